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

LonelyPsu = Literal["fail", "remove", "certainty", "adjust"]


class DesignError(ParindexError):
    """A design that R's ``svydesign`` would refuse too."""


def codes(values: Sequence[object] | NDArray[np.generic]) -> NDArray[np.int64]:
    """Dense integer codes 0…k−1 for any labels, in order of first appearance."""
    _, first, inverse = np.unique(
        np.asarray(values, dtype=object).astype(str), return_index=True, return_inverse=True
    )
    order = np.argsort(np.argsort(first))
    return order[inverse].astype(np.int64)


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
class SurveyDesign:
    weights: NDArray[np.float64]
    stages: tuple[Stage, ...]
    has_fpc: bool
    lonely_psu: LonelyPsu = "fail"

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
        fpc: Sequence[Sequence[float]] = (),
        lonely_psu: LonelyPsu = "fail",
    ) -> SurveyDesign:
        """Build a design from columns, outermost stage first (as R's ``ids=~a+b``)."""
        if fpc and len(fpc) > max(len(clusters), 1):
            raise DesignError(f"{len(fpc)} fpc columns for {max(len(clusters), 1)} stages")
        stage_ids = [codes(c) for c in clusters] or [np.arange(rows, dtype=np.int64)]
        stratum = codes(strata) if strata is not None else np.zeros(rows, dtype=np.int64)
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
                if np.any(~np.isfinite(given)) or np.any(given <= 0):
                    raise DesignError(f"fpc column {k + 1} has missing, zero or negative values")
                population = sampled / given if np.all(given <= 1) else given
                if np.any(population < sampled - 1e-9):
                    raise DesignError(
                        f"fpc column {k + 1}: population smaller than the sample in some stratum"
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
        return cls(weight_array, tuple(stages), bool(fpc), lonely_psu)


def _distinct_per_group(
    values: NDArray[np.int64], groups: NDArray[np.int64]
) -> NDArray[np.float64]:
    pairs = np.unique(np.stack([groups, values], axis=1), axis=0)
    counts = np.bincount(pairs[:, 0], minlength=int(groups.max()) + 1)
    return counts[groups].astype(float)
