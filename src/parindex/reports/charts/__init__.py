"""Vega-Lite specifications of the published results, as plain dicts (JSON-ready).

Pure functions of result objects: the same spec is embedded in the public pages (rendered by the
vendored vega-embed) and can be turned into SVG for reports. Labels come translated by the caller.
"""

from parindex.reports.charts.specs import (
    GROUP_COLOURS,
    ChartRow,
    TrendPoint,
    distribution,
    group_counts,
    heatmap,
    tile_map,
    trend,
)

__all__ = [
    "GROUP_COLOURS",
    "ChartRow",
    "TrendPoint",
    "distribution",
    "group_counts",
    "heatmap",
    "tile_map",
    "trend",
]
