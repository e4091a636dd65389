"""A survey design as R's ``survey`` package describes it: strata, nested clusters by stage,
finite population corrections, weights.

Clusters are forced to nest (a village id is read within its commune, a commune within its
stratum), as ``svydesign`` does. An ``fpc`` of at most 1 is a sampling fraction; above 1 it is
the number of clusters (or units) in the population of the stratum, as in R. Without weights,
the weights come from the fpc (inverse of the product of n/N over stages), else they are 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from parindex.core.errors import ParindexError

LonelyPsu = Literal["fail", "remove", "certainty", "adjust", "average"]

MISSING_TEXT = frozenset({"", "NA", "NaN", "nan", "None"})
"""Cells that mean "no value": an empty CSV cell, R's ``NA``, a NaN written out as text."""


class DesignError(ParindexError):
    """A design that R's ``svydesign`` would refuse too."""


def codes(values: Sequence[object] | NDArray[np.generic]) -> NDArray[np.int64]:
    """Dense integer codes 0…k−1 for any labels (compared as text), in order of first
    appearance."""
    seen: dict[str, int] = {}
    return np.fromiter(
        (seen.setdefault(str(v), len(seen)) for v in values), dtype=np.int64, count=len(values)
    )


def _nest(*columns: NDArray[np.int64]) -> NDArray[np.int64]:
    stacked = np.stack(columns, axis=1)
    _, inverse = np.unique(stacked, axis=0, return_inverse=True)
    return inverse.reshape(-1).astype(np.int64)


@dataclass(frozen=True, eq=False)
class Stage:
    """One sampling stage: its clusters and the strata they were drawn within."""

    clusters: NDArray[np.int64]
    """Per row: the cluster (PSU at stage 1), coded globally and nested in its stratum."""
    strata: NDArray[np.int64]
    """Per row: the stratum the cluster was drawn in (stage > 1: its parent cluster)."""
    sampled: NDArray[np.float64]
    """Per row: clusters sampled in that stratum (n)."""
    population: NDArray[np.float64]
    """Per row: clusters in the population of that stratum (N); inf without an fpc."""
    factor: NDArray[np.float64]
    """Per row: product of n/N of the stages above (R's multistage scaling); 1 at stage 1."""


@dataclass(frozen=True, eq=False)
class Names:
    """The design's columns as the user gave them, to name a stratum or cluster in a message
    by its own value ("stratum 'E'", "cluster 'dnum=15'") rather than by an internal index."""

    strata: tuple[str, NDArray[np.str_]] | None
    clusters: tuple[tuple[str, NDArray[np.str_]], ...]
    first_row: int = 1
    """The number of the first data row in messages (2 for a file under its heading row)."""

    def stratum(self, level: int, row: int) -> str:
        """The group a stage-``level`` (0-based) cluster was drawn within, named by row."""
        where = f"stratum '{self.strata[1][row]}'" if self.strata is not None else "the population"
        if level == 0:
            return where
        path = ", ".join(f"{name}={values[row]}" for name, values in self.clusters[:level])
        return f"cluster '{path}' ({where})"


@dataclass(frozen=True, eq=False)
class SurveyDesign:
    weights: NDArray[np.float64]
    stages: tuple[Stage, ...]
    has_fpc: bool
    lonely_psu: LonelyPsu = "fail"
    names: Names | None = None
    """The columns' own values, for messages (absent when built without labels)."""

    def where(self, level: int, row: int) -> str:
        """Names the stratum of ``row`` at stage ``level`` (0-based) for a message."""
        if self.names is None:
            return f"stratum {int(self.stages[level].strata[row])}"
        return self.names.stratum(level, row)

    @property
    def rows(self) -> int:
        return len(self.weights)

    @classmethod
    def from_columns(
        cls,
        rows: int,
        *,
        weights: Sequence[float] | NDArray[np.float64] | None = None,
        strata: Sequence[object] | None = None,
        clusters: Sequence[Sequence[object]] = (),
        fpc: Sequence[Sequence[float] | NDArray[np.float64]] = (),
        lonely_psu: LonelyPsu = "fail",
        strata_name: str = "strata",
        cluster_names: Sequence[str] = (),
        fpc_names: Sequence[str] = (),
        first_row: int = 1,
    ) -> SurveyDesign:
        """Build a design from columns, outermost stage first (as R's ``ids=~a+b``).

        The names (the columns' headings) only serve messages. A missing stratum or cluster id
        is refused (R: "missing values in `id`"), as is an fpc that varies within a stratum
        (R warns and goes on with a variance nobody designed).

        Fewer fpc columns than stages are allowed (R refuses them): the stages below the last
        fpc are then treated as drawn with replacement, which is what the server needs after a
        PPS stage.
        """
        if fpc and len(fpc) > max(len(clusters), 1):
            raise DesignError(f"{len(fpc)} fpc columns for {max(len(clusters), 1)} stages")
        names = [*cluster_names, *(f"cluster column {k + 1}" for k in range(len(clusters)))]
        fpc_labels = [
            *(f"fpc column '{name}'" for name in fpc_names),
            *(f"fpc column {k + 1}" for k in range(len(fpc))),
        ]
        text_strata = _labels(strata, strata_name, first_row) if strata is not None else None
        text_clusters = tuple(
            (names[k], _labels(column, names[k], first_row)) for k, column in enumerate(clusters)
        )
        labels = Names(
            (strata_name, text_strata) if text_strata is not None else None,
            text_clusters,
            first_row,
        )
        stage_ids = [codes(c) for _, c in text_clusters] or [np.arange(rows, dtype=np.int64)]
        stratum = codes(text_strata) if text_strata is not None else np.zeros(rows, np.int64)
        stages: list[Stage] = []
        factor = np.ones(rows)
        parent_stratum = stratum
        nested_parent: NDArray[np.int64] | None = None
        for k, ids in enumerate(stage_ids):
            within = parent_stratum if k == 0 else nested_parent
            assert within is not None
            nested = _nest(within, ids)
            sampled = _distinct_per_group(nested, within)
            population = np.full(rows, np.inf)
            if k < len(fpc):
                given = np.asarray(fpc[k], dtype=float)
                bad = np.flatnonzero(~np.isfinite(given) | (given <= 0))
                if len(bad):
                    raise DesignError(
                        f"{fpc_labels[k]}: row {bad[0] + first_row} has "
                        f"{'no value' if np.isnan(given[bad[0]]) else given[bad[0]]!r}; "
                        "an fpc is a population count or a sampling fraction above 0"
                    )
                _constant_within(given, within, fpc_labels[k], labels, k)
                population = sampled / given if np.all(given <= 1) else given
                small = np.flatnonzero(population < sampled - 1e-9)
                if len(small):
                    row = int(small[0])
                    raise DesignError(
                        f"{fpc_labels[k]}: {labels.stratum(k, row)} has a population of "
                        f"{population[row]:g}, smaller than its {int(sampled[row])} sampled "
                        "clusters"
                    )
            stages.append(Stage(nested, within, sampled, population, factor.copy()))
            factor = factor * sampled / population
            nested_parent = nested
        if weights is None:
            inclusion = np.ones(rows)
            for stage in stages:
                inclusion = inclusion * np.where(
                    np.isfinite(stage.population), stage.sampled / stage.population, 1.0
                )
            weights = 1.0 / inclusion
        weight_array = np.asarray(weights, dtype=float)
        if (
            weight_array.shape != (rows,)
            or np.any(~np.isfinite(weight_array))
            or np.any(weight_array < 0)
        ):
            raise DesignError("weights must be one finite, non-negative number per row")
        return cls(weight_array, tuple(stages), bool(fpc), lonely_psu, labels)


def _labels(
    values: Sequence[object] | NDArray[np.generic], name: str, first_row: int
) -> NDArray[np.str_]:
    text = np.asarray([str(v) for v in values], dtype=object)
    absent = np.zeros(len(text), dtype=bool)
    for missing in MISSING_TEXT:
        absent |= text == missing
    if np.any(absent):
        raise DesignError(
            f"column '{name}' has no value on row {int(np.flatnonzero(absent)[0]) + first_row} "
            "(a stratum or cluster id cannot be missing; R: missing values in `id`)"
        )
    return text


def _constant_within(
    given: NDArray[np.float64], within: NDArray[np.int64], label: str, names: Names, level: int
) -> None:
    """Refuses an fpc that is not one value per stratum, naming the stratum and two rows."""
    order = np.lexsort((given, within))
    change = np.flatnonzero(
        (within[order][1:] == within[order][:-1]) & (given[order][1:] != given[order][:-1])
    )
    if len(change):
        first, second = int(order[change[0]]), int(order[change[0] + 1])
        raise DesignError(
            f"{label} varies within {names.stratum(level, first)}: {given[first]:g} on row "
            f"{first + names.first_row}, {given[second]:g} on row {second + names.first_row}; "
            "give one value per stratum"
        )


def _distinct_per_group(
    values: NDArray[np.int64], groups: NDArray[np.int64]
) -> NDArray[np.float64]:
    pairs = np.unique(np.stack([groups, values], axis=1), axis=0)
    counts = np.bincount(pairs[:, 0], minlength=int(groups.max()) + 1)
    return counts[groups].astype(float)
