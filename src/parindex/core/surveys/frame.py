"""Sampling frames: the list a sample is drawn from, read from CSV or Excel, and the draw itself.

A frame has one row per final unit (a household, or a dossier from a one-stop system) and
columns naming its stratum and the cluster it sits in at each stage (commune, village …).
Codes need only be unique within their parent, as statistical offices publish them.

``draw`` selects within each stratum, stage by stage: ``take`` clusters per parent at each stage
(equal probability, or probability proportional to the number of final units under them), then
``final_take`` rows per last-stage cluster (or per stratum for a one-stage design). The result
carries the inclusion probabilities and, stage by stage, the population counts ``--fpc`` needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from parindex.core.surveys.sampling import simple_random, systematic_pps
from parindex.core.tabular import Table, TableError


@dataclass(frozen=True)
class StageSpec:
    """One stage of clusters: the frame column naming them and how many to take per parent."""

    column: str
    take: int
    method: Literal["srs", "pps"] = "srs"


@dataclass(frozen=True, eq=False)
class FrameSample:
    rows: NDArray[np.int64]
    """Frame rows drawn, in frame order."""
    strata: tuple[str, ...]
    clusters: tuple[tuple[str, ...], ...]
    """Per stage (outermost first, the final units last): each drawn row's code at that stage."""
    population: tuple[tuple[float, ...], ...]
    """Per stage: units in the population of the row's parent (the fpc); NaN from the first
    PPS stage on, where variance is estimated as with replacement (no fpc), as is usual."""
    probability: NDArray[np.float64]


def check_frame(frame: Table, *, strata: str | None, stages: Sequence[StageSpec]) -> None:
    """Refuse a frame a sample should not be drawn from, naming the row: every stratum and
    cluster named (no empty cell), the design's columns distinct, and no final unit listed
    twice (a row repeating another's every value would give one household two ballots)."""
    design = [strata] if strata else []
    design += [stage.column for stage in stages]
    repeated = sorted({c for c in design if design.count(c) > 1})
    if repeated:
        raise TableError(f"{frame.source}: column '{repeated[0]}' is used twice in the design")
    for column in design:
        frame.column(column)  # refuses a missing column or an empty cell, with its row
    seen: dict[tuple[str, ...], int] = {}
    for row, values in enumerate(zip(*frame.columns.values(), strict=True), start=2):
        first = seen.setdefault(values, row)
        if first != row:
            raise TableError(
                f"{frame.source}, row {row}: repeats row {first} (the same unit listed twice)"
            )


def draw(
    frame: Table,
    *,
    strata: str | None,
    stages: Sequence[StageSpec],
    final_take: int,
    seed: int,
) -> FrameSample:
    """Select from ``frame``; the same frame, design and seed always give the same sample.

    The frame is checked first (:func:`check_frame`); nothing is drawn from a faulty one.
    """
    if final_take < 1 or any(stage.take < 1 for stage in stages):
        raise TableError("every stage must take at least one unit")
    check_frame(frame, strata=strata, stages=stages)
    rng = np.random.default_rng(seed)
    n = frame.rows
    stratum_of = np.array(frame.column(strata) if strata else [""] * n, dtype=object)
    codes = [np.array(frame.column(stage.column), dtype=object) for stage in stages]
    chosen: list[int] = []
    probability: list[float] = []
    fpc: list[list[float]] = [[] for _ in range(len(stages) + 1)]
    clusters: list[list[str]] = [[] for _ in range(len(stages) + 1)]

    def descend(members: NDArray[np.int64], depth: int, p: float, counts: list[float]) -> None:
        if depth == len(stages):
            take = min(final_take, len(members))
            picked = members[simple_random(len(members), take, rng).indices]
            without_fpc = any(np.isnan(c) for c in counts)
            for row in picked:
                chosen.append(int(row))
                probability.append(p * take / len(members))
                for k, count in enumerate([*counts, np.nan if without_fpc else len(members)]):
                    fpc[k].append(count)
                for k in range(len(stages)):
                    clusters[k].append(str(codes[k][row]))
                clusters[-1].append(str(row + 2))  # the frame row: unique, and findable
            return
        stage = stages[depth]
        labels, groups = _groups(codes[depth][members])
        sizes = np.array([len(g) for g in groups], dtype=float)
        take = min(stage.take, len(labels))
        selection = (
            systematic_pps(sizes, take, rng)
            if stage.method == "pps"
            else simple_random(len(labels), take, rng)
        )
        after_pps = stage.method == "pps" or any(np.isnan(c) for c in counts)
        count = np.nan if after_pps else float(len(labels))
        for index, p_cluster in zip(selection.indices, selection.probabilities, strict=True):
            descend(members[groups[index]], depth + 1, p * float(p_cluster), [*counts, count])

    # Each row is sorted into its stratum once, and each cluster's rows once per stage visited:
    # O(n log n) in the frame, whatever the number of strata (it was O(n × strata)).
    _labels, strata_rows = _groups(stratum_of)
    for rows_of_stratum in strata_rows:
        descend(rows_of_stratum.astype(np.int64), 0, 1.0, [])
    order = np.argsort(chosen, kind="stable")
    rows = np.array(chosen, dtype=np.int64)[order]
    return FrameSample(
        rows,
        tuple(str(stratum_of[r]) for r in rows),
        tuple(tuple(stage[i] for i in order) for stage in clusters),
        tuple(tuple(stage[i] for i in order) for stage in fpc),
        np.array(probability)[order],
    )


def _groups(keys: NDArray[np.object_]) -> tuple[NDArray[np.str_], list[NDArray[np.int64]]]:
    """The distinct keys in sorted order and, for each, the positions holding it (ascending).

    >>> labels, groups = _groups(np.array(["b", "a", "b", "c"], dtype=object))
    >>> labels.tolist(), [g.tolist() for g in groups]
    (['a', 'b', 'c'], [[1], [0, 2], [3]])
    """
    labels, inverse, counts = np.unique(keys.astype(str), return_inverse=True, return_counts=True)
    order = np.argsort(inverse, kind="stable").astype(np.int64)
    return labels, np.split(order, np.cumsum(counts)[:-1])
