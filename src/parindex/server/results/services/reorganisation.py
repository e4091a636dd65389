"""A table of the 63 provinces seen through the 2025 merger: for each of today's 34 provinces, the
published scores of the provinces it absorbed and their unweighted mean, their averages by
socio-economic region (``regions_34.csv``) and, with a boundary file of the 34, their geographic
map. This is an aid to read history, never a published result, and the page says so."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.scoring.rounding import round_half_up_scalar
from parindex.core.units.reference import MERGER_2025_IN_FORCE
from parindex.core.units.regions import regions_34
from parindex.reports import charts
from parindex.reports.charts.tiles import tile_layout
from parindex.server.accounts.models import Unit
from parindex.server.results.models import Publication, Status
from parindex.server.results.services import boundaries, regions
from parindex.server.results.services.figures import BAND_COLOURS, band, geographic_map


@dataclass(frozen=True)
class Predecessor:
    ref: str
    name: str
    pct: float | None
    rank_label: str


@dataclass(frozen=True)
class MergedRow:
    ref: str
    name: str
    predecessors: tuple[Predecessor, ...]
    mean: float | None
    """Unweighted mean of the predecessors' published %; ``None`` unless every one has one."""


def merged_rows(publication: Publication) -> list[MergedRow]:
    english = get_language() == "en"

    def name(unit: Unit) -> str:
        return unit.name_en if english and unit.name_en else unit.name_vi

    rows = {
        r.unit_id: r
        for r in publication.rows.filter(node="").select_related("unit")
        if r.unit.kind == "province"
    }
    today = (
        Unit.objects.filter(kind="province")
        .valid_on(MERGER_2025_IN_FORCE)
        .prefetch_related("predecessors")
        .order_by("code")
    )
    merged = []
    for unit in today:
        before = list(unit.predecessors.all()) or [unit]
        members = []
        for old in sorted(before, key=lambda u: u.code):
            row = rows.get(old.pk)
            published = row is not None and row.status == Status.PUBLISHED
            members.append(
                Predecessor(
                    old.ref,
                    name(old),
                    row.pct if published and row else None,
                    row.rank_label if row else "—",
                )
            )
        values = [m.pct for m in members if m.pct is not None]
        mean = (
            round_half_up_scalar(statistics.fmean(values), 2)
            if values and len(values) == len(members)
            else None
        )
        merged.append(MergedRow(unit.ref, name(unit), tuple(members), mean))
    merged.sort(key=lambda m: (m.mean is None, -(m.mean or 0), m.name))
    return merged


def merged_map(rows: list[MergedRow]) -> dict[str, Any]:
    return charts.tile_map(
        tile_layout(34),
        {r.ref: (r.name, r.mean, band(r.mean)) for r in rows},
        {
            "title": _("Aggregated to today's 34 provinces"),
            "description": _(
                "Unweighted mean of the published scores of the provinces merged into each; not "
                "a published result."
            ),
            "legend": _("Score") + " (%)",
            "unit": _("Province"),
            "value": _("Score") + " (%)",
            "no_data": _("no published score"),
        },
        colours=BAND_COLOURS,
    )


def is_before_merger(publication: Publication) -> bool:
    """Whether the table holds provinces that the 2025 merger dissolved."""
    return publication.rows.filter(
        unit__kind="province", unit__valid_to__lt=MERGER_2025_IN_FORCE
    ).exists()


@dataclass
class MergedView:
    """The page's "aggregated to today's 34 provinces" view."""

    rows: list[MergedRow]
    regional: list[regions.RegionalAverage]
    """Unweighted means of the aggregated scores of each region's provinces since 2025."""
    mean: float | None
    """Unweighted mean of the aggregated scores of the 34 (those with one)."""
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)


def merged_view(publication: Publication) -> MergedView:
    """The 63 provinces of ``publication`` aggregated to the 34: rows, tile map, averages by
    region — each of today's provinces counts once, whatever the number it absorbed — and the
    geographic map when a boundary file of the 34 is configured."""
    rows = merged_rows(publication)
    means = [r.mean for r in rows if r.mean is not None]
    view = MergedView(
        rows,
        regions.by_region({r.ref: r.mean for r in rows}, regions_34()),
        round_half_up_scalar(statistics.fmean(means), 2) if means else None,
    )
    view.specs["merged"] = merged_map(rows)
    regional = regions.chart(
        view.regional,
        view.mean,
        {
            "title": _("Average by socio-economic region of today's 34 provinces"),
            "description": _(
                "Unweighted mean of the aggregated scores of each region's provinces since "
                "1 July 2025 (each province counts once); the dashed line is the unweighted "
                "mean of the 34. Not a published result."
            ),
            "national": _("Unweighted mean of the 34 provinces"),
        },
    )
    if regional is not None:
        view.specs["merged_regions"] = regional
    found = boundaries.for_period(34)
    if found is not None:
        score = _("Score") + " (%)"
        view.specs["merged_geomap"] = geographic_map(
            found,
            {r.ref: (r.name, r.mean, band(r.mean)) for r in rows},
            _("Geographic map: aggregated to today's 34 provinces"),
            score,
            score,
            banded=True,
        )
    return view
