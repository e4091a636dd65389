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


def draw(
    frame: Table,
    *,
    strata: str | None,
    stages: Sequence[StageSpec],
    final_take: int,
    seed: int,
) -> FrameSample:
    """Select from ``frame``; the same frame, design and seed always give the same sample."""
    if final_take < 1 or any(stage.take < 1 for stage in stages):
        raise TableError("every stage must take at least one unit")
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
        labels, inverse, sizes = np.unique(
            codes[depth][members].astype(str), return_inverse=True, return_counts=True
        )
        take = min(stage.take, len(labels))
        if stage.method == "pps":
            selection = systematic_pps(sizes.astype(float), take, rng)
        else:
            selection = simple_random(len(labels), take, rng)
        after_pps = stage.method == "pps" or any(np.isnan(c) for c in counts)
        count = np.nan if after_pps else float(len(labels))
        for index, p_cluster in zip(selection.indices, selection.probabilities, strict=True):
            descend(members[inverse == index], depth + 1, p * float(p_cluster), [*counts, count])

    for stratum in sorted(set(stratum_of)):
        descend(np.flatnonzero(stratum_of == stratum).astype(np.int64), 0, 1.0, [])
    order = np.argsort(chosen, kind="stable")
    rows = np.array(chosen, dtype=np.int64)[order]
    return FrameSample(
        rows,
        tuple(str(stratum_of[r]) for r in rows),
        tuple(tuple(stage[i] for i in order) for stage in clusters),
        tuple(tuple(stage[i] for i in order) for stage in fpc),
        np.array(probability)[order],
    )
