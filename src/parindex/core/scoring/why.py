"""Why a unit scored what it did: points lost per component against the maximum, the best unit
and its peer group's median, sorted; components at the maximum are listed as "keep"."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parindex.core.scoring.scoretable import ScoreTable


@dataclass(frozen=True)
class Shortfall:
    node: str
    points: float
    max_points: float
    lost: float
    """Against the maximum."""
    behind_best: float
    """Against the best unit on this node (0 when the unit is the best)."""
    behind_median: float
    """Against its peer group's median (0 when at or above it)."""


@dataclass(frozen=True)
class UnitWhy:
    unit: str
    shortfalls: tuple[Shortfall, ...]
    keep: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class WhyTable:
    """The arrays for every unit; :meth:`for_unit` turns one row into sentences' material."""

    table: ScoreTable
    lost: NDArray[np.float64]
    behind_best: NDArray[np.float64]
    behind_median: NDArray[np.float64]
    counted: NDArray[np.bool_]
    order: NDArray[np.int64]

    def for_unit(self, unit: str) -> UnitWhy:
        i = self.table.units.index(unit)
        node_ids = self.table.points_table.layout.node_ids
        sums = self.table.aggregates
        # One row as Python lists: indexing numpy scalars in the loop cost more than all the
        # arithmetic of the table (benchmarks/RESULTS.md, scoring profile).
        counted, lost = self.counted[i].tolist(), self.lost[i].tolist()
        points, maxima = sums.node_points[i].tolist(), sums.node_max[i].tolist()
        best, median = self.behind_best[i].tolist(), self.behind_median[i].tolist()
        shortfalls, keep = [], []
        for j in self.order[i].tolist():
            if not counted[j]:
                continue
            node = node_ids[j]
            if lost[j] <= 1e-12:
                keep.append(node)
                continue
            shortfalls.append(Shortfall(node, points[j], maxima[j], lost[j], best[j], median[j]))
        return UnitWhy(unit, tuple(shortfalls), tuple(keep))


def why(table: ScoreTable) -> WhyTable:
    sums = table.aggregates
    counted = sums.node_max > 0
    points = np.where(counted, sums.node_points, np.nan)
    best = np.nanmax(np.where(counted.any(axis=0), points, 0.0), axis=0)
    median = np.zeros_like(points)
    groups = np.array(table.points_table.peer_groups, dtype=object)
    for group in dict.fromkeys(table.points_table.peer_groups):
        members = groups == group
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a node no member is scored on
            median[members] = np.nanmedian(points[members], axis=0)
    lost = np.where(counted, sums.node_max - sums.node_points, 0.0)
    behind_best = np.where(counted, np.maximum(best - sums.node_points, 0.0), 0.0)
    behind_median = np.where(
        counted, np.maximum(np.nan_to_num(median) - sums.node_points, 0.0), 0.0
    )
    # Largest loss first; ties broken by distance behind the best unit.
    order = np.lexsort((-behind_best, -lost), axis=1)
    return WhyTable(table, lost, behind_best, behind_median, counted, order)
