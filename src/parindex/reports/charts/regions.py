"""The averages of a published table by socio-economic region, as dots beside the national
average (a dashed rule), with the same numbers as a table for readers who cannot see the chart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parindex.reports.charts.specs import Spec, _base, _table


def regional_averages(
    averages: Sequence[tuple[str, float | None, int]],
    national: float | None,
    labels: Mapping[str, str],
) -> Spec:
    """``averages``: (region name, mean %, units with a figure), north to south."""
    values = [
        {"region": name, "value": value, "units": units}
        for name, value, units in averages
        if value is not None
    ]
    layers: list[Spec] = [
        {
            # Dots, not bars: regional means differ by a few points, which bars from zero hide.
            "mark": {"type": "circle", "size": 120, "tooltip": True, "color": "#4f8fc0"},
            "encoding": {
                "y": {
                    "field": "region",
                    "type": "nominal",
                    "title": labels["region"],
                    "sort": [v["region"] for v in values],
                },
                "x": {
                    "field": "value",
                    "type": "quantitative",
                    "title": labels["value"],
                    "scale": {"zero": False},
                },
                "tooltip": [
                    {"field": "region", "title": labels["region"]},
                    {"field": "value", "title": labels["value"], "format": ".2f"},
                    {"field": "units", "title": labels["units"]},
                ],
            },
        }
    ]
    if national is not None:
        layers.append(
            {
                "data": {"values": [{"value": national, "label": labels["national"]}]},
                "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#1f2933"},
                "encoding": {
                    "x": {"field": "value", "type": "quantitative"},
                    "tooltip": [
                        {"field": "label", "title": labels["national"]},
                        {"field": "value", "title": labels["value"], "format": ".2f"},
                    ],
                },
            }
        )
    return {
        **_base(labels["title"], labels["description"]),
        "usermeta": _table(
            [
                ("region", labels["region"]),
                ("value", labels["value"]),
                ("units", labels["units"]),
            ],
            values,
        ),
        "width": 240,
        "data": {"values": values},
        "layer": layers,
    }
