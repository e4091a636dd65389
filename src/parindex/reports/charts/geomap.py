"""The geographic choropleth: province boundaries from a file the installation names
(``PARINDEX_BOUNDARIES``), served by the site, coloured like the tile-grid cartogram.

The boundaries are not in the spec: Vega loads them from ``url`` (same origin, so the page's
Content-Security-Policy allows it). Each feature carries its province's ref in
``properties.parindex_ref``; the published values are joined to it by a lookup."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parindex.reports.charts.specs import GROUP_COLOURS, Spec, _base, _table


def choropleth(
    url: str,
    data_format: Mapping[str, str],
    values: Mapping[str, tuple[str, float | None, str]],
    labels: Mapping[str, str],
    colours: Mapping[str, str] | None = None,
) -> Spec:
    """``values``: ref → (name, value, colour class), as for the tile map."""
    rows = [
        {"ref": ref, "name": name, "value": value, "class": klass or labels["no_data"]}
        for ref, (name, value, klass) in values.items()
    ]
    palette = dict(colours or GROUP_COLOURS)
    classes = list(dict.fromkeys([*palette, labels["no_data"]]))
    present = [c for c in classes if any(r["class"] == c for r in rows) or c == labels["no_data"]]
    tooltip = [
        {"field": "name", "title": labels["unit"]},
        {"field": "value", "title": labels["value"], "format": ".2f"},
        {"field": "class", "title": labels["legend"]},
    ]
    return {
        **_base(labels["title"], labels["description"]),
        "width": 360,
        "height": 560,
        "usermeta": _table(
            [("name", labels["unit"]), ("value", labels["value"]), ("class", labels["legend"])],
            sorted(rows, key=lambda r: str(r["name"])),
        ),
        "data": {"url": url, "format": dict(data_format)},
        "projection": {"type": "mercator"},
        "transform": [
            {
                "lookup": "properties.parindex_ref",
                "from": {"data": {"values": rows}, "key": "ref", "fields": ["name", "value"]},
            },
            {
                # A feature of no province, or a province without a figure, is "no data".
                "lookup": "properties.parindex_ref",
                "from": {"data": {"values": rows}, "key": "ref", "fields": ["class"]},
                "default": labels["no_data"],
            },
        ],
        "mark": {"type": "geoshape", "stroke": "#fff", "strokeWidth": 0.5, "tooltip": True},
        "encoding": {
            "color": {
                "field": "class",
                "type": "nominal",
                "title": labels["legend"],
                "legend": {"orient": "bottom", "columns": 2},
                "scale": {
                    "domain": present,
                    "range": [palette.get(c, "#d8dee6") for c in present],
                },
            },
            "tooltip": tooltip,
        },
    }


def with_boundaries(spec: Spec, document: Mapping[str, Any]) -> Spec:
    """``spec`` with the boundary file's content inline instead of its address: a report is
    drawn where no site serves the file (vl-convert reads inline TopoJSON and GeoJSON)."""
    return {**spec, "data": {"values": document, "format": dict(spec["data"]["format"])}}
