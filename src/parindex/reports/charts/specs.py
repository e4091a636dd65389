"""The charts of a published table: component heatmap (units × fields), distribution of scores,
units per group, trend of the average across years with a visible break where the method
changed, and the tile-grid cartogram of the provinces."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Spec = dict[str, Any]
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

GROUP_COLOURS = {"A": "#1a7f37", "B": "#4f8fc0", "C": "#d9a21b", "D": "#b3261e", "": "#9aa5b1"}
"""Colour per group; colour-blind safe order (green, blue, amber, red)."""


@dataclass(frozen=True)
class ChartRow:
    """One unit of a published table, as the charts need it."""

    ref: str
    name: str
    pct: float | None
    group: str
    fields: Mapping[str, float | None]


@dataclass(frozen=True)
class TrendPoint:
    year: int
    value: float | None
    method: str
    """Units are compared only within one method; a new method starts a new line."""
    series: str = ""


def _base(title: str, description: str) -> Spec:
    return {
        "$schema": SCHEMA,
        "title": title,
        "description": description,
        "config": {"font": "Noto Sans, Segoe UI, Roboto, Arial, sans-serif"},
    }


def _table(columns: Sequence[tuple[str, str]], values: Sequence[Mapping[str, Any]]) -> Spec:
    """The chart's data as a table (headings, rows) for readers who cannot see the chart."""
    return {
        "table": {
            "columns": [label for _key, label in columns],
            "rows": [[item.get(key) for key, _label in columns] for item in values],
        }
    }


def heatmap(
    rows: Sequence[ChartRow], fields: Sequence[tuple[str, str]], labels: Mapping[str, str]
) -> Spec:
    """Units (in table order) × fields, coloured by the field's %."""
    values = [
        {"unit": row.name, "field": name, "pct": row.fields.get(node)}
        for row in rows
        for node, name in fields
        if row.fields.get(node) is not None
    ]
    order = [row.name for row in rows]
    return {
        **_base(labels["title"], labels["description"]),
        "usermeta": _table(
            [("unit", labels["unit"]), ("field", labels["field"]), ("pct", labels["pct"])], values
        ),
        "data": {"values": values},
        "mark": {"type": "rect", "tooltip": True},
        "width": {"step": 28},
        "height": {"step": 14},
        "encoding": {
            "x": {
                "field": "field",
                "type": "nominal",
                "sort": [name for _n, name in fields],
                "title": labels["field"],
                "axis": {"labelAngle": -40, "labelLimit": 220},
            },
            "y": {"field": "unit", "type": "nominal", "sort": order, "title": labels["unit"]},
            "color": {
                "field": "pct",
                "type": "quantitative",
                "title": labels["pct"],
                "scale": {"scheme": "blues"},
            },
            "tooltip": [
                {"field": "unit", "title": labels["unit"]},
                {"field": "field", "title": labels["field"]},
                {"field": "pct", "title": labels["pct"], "format": ".2f"},
            ],
        },
    }


def distribution(rows: Sequence[ChartRow], labels: Mapping[str, str]) -> Spec:
    """How the units' scores spread, one bar per 2 points of %, coloured by group."""
    values = [{"pct": row.pct, "group": row.group} for row in rows if row.pct is not None]
    groups = sorted({row.group for row in rows if row.pct is not None})
    return {
        **_base(labels["title"], labels["description"]),
        "usermeta": _table([("pct", labels["pct"]), ("group", labels["group"])], values),
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "width": 420,
        "height": 180,
        "encoding": {
            "x": {
                "field": "pct",
                "bin": {"step": 2},
                "type": "quantitative",
                "title": labels["pct"],
            },
            "y": {"aggregate": "count", "type": "quantitative", "title": labels["count"]},
            "color": {
                "field": "group",
                "type": "nominal",
                "title": labels["group"],
                "scale": {
                    "domain": groups,
                    "range": [GROUP_COLOURS.get(g, "#777") for g in groups],
                },
            },
        },
    }


def group_counts(counts: Mapping[str, int], labels: Mapping[str, str]) -> Spec:
    values = [{"group": group, "units": n} for group, n in sorted(counts.items())]
    groups = [group for group, _n in sorted(counts.items())]
    return {
        **_base(labels["title"], labels["description"]),
        "usermeta": _table([("group", labels["group"]), ("units", labels["count"])], values),
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "width": 240,
        "height": 160,
        "encoding": {
            "x": {"field": "group", "type": "nominal", "title": labels["group"], "sort": groups},
            "y": {"field": "units", "type": "quantitative", "title": labels["count"]},
            "color": {
                "field": "group",
                "type": "nominal",
                "legend": None,
                "scale": {
                    "domain": groups,
                    "range": [GROUP_COLOURS.get(g, "#777") for g in groups],
                },
            },
        },
    }


def trend(points: Sequence[TrendPoint], labels: Mapping[str, str]) -> Spec:
    """One line per method (and series); where the method changed, a dashed rule marked "not
    comparable": the lines are never joined across it."""
    values = [
        {"year": p.year, "value": p.value, "method": p.method, "series": p.series or p.method}
        for p in points
        if p.value is not None
    ]
    years_of_change = set()
    for series in dict.fromkeys(p.series for p in points):
        ordered = sorted((p for p in points if p.series == series), key=lambda p: p.year)
        for before, after in itertools.pairwise(ordered):
            if before.method != after.method:
                years_of_change.add(after.year - 0.5)
    breaks = [{"year": y, "label": labels["not_comparable"]} for y in sorted(years_of_change)]
    layers: list[Spec] = [
        {
            "data": {"values": values},
            "mark": {"type": "line", "point": True, "tooltip": True},
            "encoding": {
                "x": {
                    "field": "year",
                    "type": "quantitative",
                    "title": labels["year"],
                    "axis": {"format": "d", "tickMinStep": 1},
                },
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": labels["value"],
                    "scale": {"zero": False},
                },
                "color": {"field": "series", "type": "nominal", "title": labels["series"]},
                "detail": {"field": "method"},
                "tooltip": [
                    {"field": "year", "title": labels["year"]},
                    {"field": "value", "title": labels["value"], "format": ".2f"},
                    {"field": "method", "title": labels["method"]},
                ],
            },
        }
    ]
    if breaks:
        layers.append(
            {
                "data": {"values": breaks},
                "layer": [
                    {
                        "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#b3261e"},
                        "encoding": {"x": {"field": "year", "type": "quantitative"}},
                    },
                    {
                        "mark": {
                            "type": "text",
                            "align": "left",
                            "dx": 3,
                            "dy": -4,
                            "y": 0,
                            "color": "#b3261e",
                            "baseline": "top",
                        },
                        "encoding": {
                            "x": {"field": "year", "type": "quantitative"},
                            "text": {"field": "label"},
                        },
                    },
                ],
            }
        )
    return {
        **_base(labels["title"], labels["description"]),
        "width": 460,
        "height": 200,
        "usermeta": _table(
            [
                ("year", labels["year"]),
                ("series", labels["series"]),
                ("value", labels["value"]),
                ("method", labels["method"]),
            ],
            [{**v, "year": str(v["year"])} for v in values],
        ),
        "layer": layers,
    }


def tile_map(
    tiles: Mapping[str, tuple[int, int, str]],
    values: Mapping[str, tuple[str, float | None, str]],
    labels: Mapping[str, str],
    colours: Mapping[str, str] | None = None,
) -> Spec:
    """The tile-grid cartogram: ``tiles`` ref → (column, row, short label); ``values`` ref →
    (name, value, colour class). One equal square per province, coloured by class."""
    data = []
    for ref, (column, row, short) in tiles.items():
        name, value, klass = values.get(ref, (short, None, ""))
        data.append(
            {
                "ref": ref,
                "col": column,
                "row": row,
                "short": short,
                "name": name,
                "value": value,
                "class": klass or labels["no_data"],
            }
        )
    palette = dict(colours or GROUP_COLOURS)
    classes = list(dict.fromkeys([*palette, labels["no_data"]]))
    present = [c for c in classes if any(d["class"] == c for d in data)]
    fills = [palette.get(c, "#d8dee6") for c in present]
    columns = max((c for c, _r, _s in tiles.values()), default=0) + 1
    rows = max((r for _c, r, _s in tiles.values()), default=0) + 1
    size = 34
    return {
        **_base(labels["title"], labels["description"]),
        "width": columns * size,
        "height": rows * size,
        "usermeta": _table(
            [("name", labels["unit"]), ("value", labels["value"]), ("class", labels["legend"])],
            sorted(data, key=lambda d: str(d["name"])),
        ),
        "data": {"values": data},
        "encoding": {
            "x": {
                "field": "col",
                "type": "ordinal",
                "axis": None,
                "scale": {"domain": list(range(columns))},
            },
            "y": {
                "field": "row",
                "type": "ordinal",
                "axis": None,
                "scale": {"domain": list(range(rows))},
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": "#fff", "strokeWidth": 2, "tooltip": True},
                "encoding": {
                    "color": {
                        "field": "class",
                        "type": "nominal",
                        "title": labels["legend"],
                        "scale": {"domain": present, "range": fills},
                    },
                    "tooltip": [
                        {"field": "name", "title": labels["unit"]},
                        {"field": "value", "title": labels["value"], "format": ".2f"},
                        {"field": "class", "title": labels["legend"]},
                    ],
                },
            },
            {
                # The label sits on the tile: it carries the same tooltip, or it would hide it.
                "mark": {"type": "text", "fontSize": 9, "color": "#fff", "tooltip": True},
                "encoding": {
                    "text": {"field": "short"},
                    "tooltip": [
                        {"field": "name", "title": labels["unit"]},
                        {"field": "value", "title": labels["value"], "format": ".2f"},
                        {"field": "class", "title": labels["legend"]},
                    ],
                },
            },
        ],
    }
