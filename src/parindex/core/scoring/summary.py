"""National and regional figures of a score table: averages, medians, extremes, group counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from parindex.core.scoring.rounding import round_half_up
from parindex.core.scoring.scoretable import ScoreTable


@dataclass(frozen=True)
class Summary:
    scope: str
    """``all``, a peer group id, or a region name."""
    units: int
    mean: float
    median: float
    minimum: float
    maximum: float
    groups: dict[str, int]


def summarise(table: ScoreTable, regions: Mapping[str, str] | None = None) -> tuple[Summary, ...]:
    """Figures over all units, each peer group, and each region (when ``regions`` maps units).

    Averages are of the published (rounded) percentages, rounded again as published.
    """
    scopes: dict[str, list[int]] = {"all": list(range(len(table.units)))}
    for i, group in enumerate(table.points_table.peer_groups):
        if group != "all":
            scopes.setdefault(f"group:{group}", []).append(i)
    for i, unit in enumerate(table.units):
        if regions and unit in regions:
            scopes.setdefault(f"region:{regions[unit]}", []).append(i)
    codes = (
        [band.code for band in table.points_table.edition.grading.bands]
        if table.points_table.edition.grading
        else []
    )
    summaries = []
    for scope, members in scopes.items():
        values = table.index_pct[members]
        values = values[~np.isnan(values)]
        if not len(values):
            continue
        stats = round_half_up(np.array([values.mean(), np.median(values)]), 2)
        counts = {code: sum(1 for i in members if table.groups[i] == code) for code in codes}
        summaries.append(
            Summary(
                scope,
                len(values),
                float(stats[0]),
                float(stats[1]),
                float(values.min()),
                float(values.max()),
                counts,
            )
        )
    return tuple(summaries)
