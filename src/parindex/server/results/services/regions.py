"""Averages by socio-economic region for the public pages: the pure means come from
``core.units.regions``; here they get the region's name in the reader's language and a chart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.units.regions import region, region_of_province, regional_averages
from parindex.reports.charts.regions import regional_averages as regional_chart
from parindex.server.results.models import Publication, Status


@dataclass(frozen=True)
class RegionalAverage:
    code: str
    name: str
    value: float | None
    units: int


def by_region(
    values: Mapping[str, float | None], region_of: Mapping[str, str] | None = None
) -> list[RegionalAverage]:
    """The published % of a table's units (ref → % or None) averaged by region; empty for a
    table without provinces (the ministries). ``region_of``: ref → region code, by default the
    provinces of both periods."""
    english = get_language() == "en"
    return [
        RegionalAverage(
            found.region.code,
            found.region.name_en if english else found.region.name_vi,
            found.value,
            found.units,
        )
        for found in regional_averages(values, region_of or region_of_province())
    ]


def region_name(ref: str) -> tuple[str, str] | None:
    """(code, name in the reader's language) of a province's region; None for other units."""
    code = region_of_province().get(ref)
    if code is None:
        return None
    found = region(code)
    return code, found.name_en if get_language() == "en" else found.name_vi


def chart(
    averages: list[RegionalAverage],
    national: float | None,
    wording: Mapping[str, str] | None = None,
) -> dict[str, Any] | None:
    """The chart of ``averages``; ``wording`` may replace its ``title``, ``description`` and
    the dashed line's name (``national``)."""
    if not any(a.value is not None for a in averages):
        return None
    labels = {
        "title": _("Average by socio-economic region"),
        "description": _(
            "The mean score of each region's units with a published score; the dashed "
            "line is the national average."
        ),
        "region": _("Socio-economic region"),
        "value": _("Average"),
        "units": _("Units"),
        "national": _("National average"),
    }
    return regional_chart(
        [(a.name, a.value, a.units) for a in averages], national, {**labels, **(wording or {})}
    )


def of_unit(publication: Publication, ref: str) -> RegionalAverage | None:
    """The mean of ``publication``'s published % over the provinces of ``ref``'s region; None
    for a unit without a region."""
    code = region_of_province().get(ref)
    if code is None:
        return None
    members = {r for r, c in region_of_province().items() if c == code}
    rows = publication.rows.filter(node="", unit__ref__in=members).values_list(
        "unit__ref", "status", "pct"
    )
    found = by_region({r: pct if status == Status.PUBLISHED else None for r, status, pct in rows})
    return next((a for a in found if a.code == code), None)
