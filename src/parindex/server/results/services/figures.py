"""The figures of a year's ranking page as Vega-Lite specs: the component heatmap, the
distribution, the units per group, the national average over the years, the regional means, the
tile map and (with a boundary file) the geographic map; a map coloured by a score uses bands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from parindex.reports import charts
from parindex.reports.charts.geomap import choropleth
from parindex.reports.charts.tiles import layout_for
from parindex.server.results.models import Index
from parindex.server.results.services import boundaries, regions

if TYPE_CHECKING:
    from parindex.server.results.services.tables import RankingPage

BANDS = ((90.0, "≥ 90"), (80.0, "80–90"), (70.0, "70–80"), (0.0, "< 70"))
BAND_COLOURS = {"≥ 90": "#1a7f37", "80–90": "#4f8fc0", "70–80": "#d9a21b", "< 70": "#b3261e"}


def band(value: float | None) -> str:
    """The class of a % on the map when it is coloured by a score rather than by group."""
    if value is None:
        return ""
    return next(label for floor, label in BANDS if value >= floor)


def specs(page: RankingPage) -> dict[str, dict[str, Any]]:
    rows = [
        charts.ChartRow(
            r.ref,
            r.name,
            r.pct,
            r.group,
            {c.node: v for c, v in zip(page.columns, r.fields, strict=True)},
        )
        for r in page.rows
    ]
    score = _("Score") + (" (%)" if page.publication.scale_max == 100 else "")
    specs: dict[str, dict[str, Any]] = {}
    if page.columns and any(v is not None for r in page.rows for v in r.fields):
        specs["heatmap"] = charts.heatmap(
            rows,
            [(c.node, c.name) for c in page.columns],
            {
                "title": _("Component indices by unit"),
                "description": _("Each unit's score on each field, darker is higher."),
                "field": _("Field"),
                "unit": _("Unit"),
                "pct": score,
            },
        )
    if page.published_units:
        specs["distribution"] = charts.distribution(
            rows,
            {
                "title": _("Distribution of scores"),
                "description": _("Number of units per score band, coloured by group."),
                "pct": score,
                "count": _("Units"),
                "group": _("Group"),
            },
        )
    if page.groups:
        specs["groups"] = charts.group_counts(
            dict(page.groups),
            {
                "title": _("Units per group"),
                "description": _("How many units are in each group."),
                "group": _("Group"),
                "count": _("Units"),
            },
        )
    if len([p for p in page.trend if p.value is not None]) > 1:
        specs["trend"] = charts.trend(
            page.trend,
            {
                "title": _("National average over the years"),
                "description": _(
                    "The national average per year; a dashed line marks a change of method."
                ),
                "year": _("Year"),
                "value": _("National average"),
                "series": _("Method"),
                "method": _("Method"),
                "not_comparable": _("not comparable"),
            },
        )
    regional = regions.chart(page.regional, page.averages[0].value)
    if regional is not None:
        specs["regions"] = regional
    refs = {r.ref for r in page.rows}
    if page.publication.index not in (Index.PAR_INDEX_MINISTRY,) and refs:
        values, title = _map_values(page)
        specs["map"] = charts.tile_map(
            layout_for(refs),
            values,
            {
                "title": _("Map of the provinces") + f": {title}",
                "description": _("One tile per province, coloured by the chosen score."),
                "legend": title,
                "unit": _("Province"),
                "value": score,
                "no_data": _("no published score"),
            },
            colours=BAND_COLOURS if page.colour != "group" else None,
        )
        found = boundaries.for_period(len(layout_for(refs)))
        if found is not None:
            page.boundary_file = found
            specs["geomap"] = geographic_map(
                found,
                values,
                _("Geographic map of the provinces") + f": {title}",
                title,
                score,
                banded=page.colour != "group",
            )
    return specs


def geographic_map(
    found: boundaries.Boundaries,
    values: dict[str, tuple[str, float | None, str]],
    title: str,
    legend: str,
    score: str,
    banded: bool,
) -> dict[str, Any]:
    """The choropleth of ``values`` (ref → name, value, class) over a configured boundary file;
    ``banded``: classes are score bands (≥ 90 …) rather than groups."""
    return choropleth(
        reverse("results-boundaries", args=[found.number]),
        found.format,
        values,
        {
            "title": title,
            "description": _("Province boundaries coloured by the chosen score."),
            "legend": legend,
            "unit": _("Province"),
            "value": score,
            "no_data": _("no published score"),
        },
        colours=BAND_COLOURS if banded else None,
    )


def _map_values(page: RankingPage) -> tuple[dict[str, tuple[str, float | None, str]], str]:
    if page.colour == "group":
        return {r.ref: (r.name, r.pct, r.group) for r in page.rows}, _("Group")
    if page.colour == "index":
        return {r.ref: (r.name, r.pct, band(r.pct)) for r in page.rows}, page.index_label
    k = [c.node for c in page.columns].index(page.colour)
    return (
        {r.ref: (r.name, r.fields[k], band(r.fields[k])) for r in page.rows},
        page.columns[k].name,
    )
