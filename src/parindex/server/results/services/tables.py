"""What the public pages show of a publication: the ranking table with field names, change since
the previous year, averages, group counts, the trend across years (broken where the method
changed) and the charts. Each page is one call here returning one typed context."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.methodology.shipped import load_shipped, shipped_edition_ids
from parindex.core.scoring.rounding import round_half_up_scalar
from parindex.reports import charts
from parindex.reports.charts.geomap import choropleth
from parindex.reports.charts.tiles import layout_for
from parindex.server.results.models import Index, Publication, PublishedNode, ResultRow, Status
from parindex.server.results.services import boundaries, regions

if TYPE_CHECKING:
    from parindex.server.assessments.services.certainty import CycleCertainty, UnitInterval

METHOD_PERIODS: dict[str, tuple[tuple[int, str], ...]] = {
    "par-index-province": (
        (2012, "2012–2016"),
        (2017, "QĐ 2948/QĐ-BNV"),
        (2020, "QĐ 1149, 1150/QĐ-BNV"),
        (2022, "QĐ 876/QĐ-BNV"),
    ),
    "par-index-ministry": (
        (2012, "2012–2016"),
        (2017, "QĐ 2948/QĐ-BNV"),
        (2020, "QĐ 1149, 1150/QĐ-BNV"),
        (2022, "QĐ 876/QĐ-BNV"),
    ),
    "sipas": ((2017, "QĐ 2640/QĐ-BNV"), (2022, "QĐ 1001/QĐ-BNV")),
    "papi": ((2009, "6"), (2018, "8")),
}
"""The method in force from a year on, for tables imported without an edition (METHODS.md)."""


def method_of(publication: Publication) -> str:
    """Results are comparable across years only under one method: the edition, or the period."""
    if publication.edition:
        return publication.edition
    periods = METHOD_PERIODS.get(publication.index, ())
    found = [label for first, label in periods if first <= publication.year]
    return found[-1] if found else ""


def method_title(method: str) -> str:
    """A method as readers know it: a shipped edition by its title and years in the reader's
    language (its id is a code), a period's label as it is."""
    if method not in shipped_edition_ids():
        return method
    edition = load_shipped(method).value
    if edition is None:
        return method
    title = edition.title_en if get_language() == "en" and edition.title_en else edition.title_vi
    years = edition.valid_years
    span = f"{years.first}–{years.last}" if years.last else f"{years.first}"
    return f"{title} ({span})"


def primary(index: str, year: int) -> Publication | None:
    """The publication a year's page shows: the cycle determined here, else the imported source
    with most scores (the others are offered beside it)."""
    candidates = (
        Publication.objects.filter(index=index, year=year, correction__isnull=True)
        .annotate(scored=Count("rows", filter=Q(rows__node="", rows__status=Status.PUBLISHED)))
        .order_by("-scored", "-published_at")
    )
    found = list(candidates)
    for publication in found:
        if publication.origin == "cycle":
            return publication
    return found[0] if found else None


def _name(item: PublishedNode, english: bool) -> str:
    return (item.name_en if english and item.name_en else item.name_vi) or item.node


@dataclass(frozen=True)
class Column:
    node: str
    name: str
    max_points: float | None


@dataclass(frozen=True)
class RankingRow:
    ref: str
    name: str
    status: str
    pct: float | None
    points: float | None
    rank: int | None
    rank_label: str
    group: str
    peer_group: str
    change_pct: float | None
    change_places: int | None
    fields: tuple[float | None, ...]
    note: str = ""
    interval: UnitInterval | None = None
    """The rank's 90 % interval, where the publication's cycle has one (``certainty``)."""


@dataclass(frozen=True)
class Average:
    label: str
    value: float | None
    units: int


@dataclass(frozen=True)
class YearLink:
    year: int
    current: bool


@dataclass
class RankingPage:
    publication: Publication
    index_label: str
    method: str
    method_title: str
    columns: list[Column]
    rows: list[RankingRow]
    averages: list[Average]
    groups: list[tuple[str, int]]
    stated: dict[str, str]
    published_units: int
    partial: bool
    previous: Publication | None
    comparable: bool
    years: list[YearLink]
    other_sources: list[Publication]
    corrections: list[Publication]
    trend: list[charts.TrendPoint]
    colour: str = "group"
    """What the map is coloured by: ``group``, ``index`` (the %) or a field's id."""
    regional: list[regions.RegionalAverage] = field(default_factory=list)
    """Means by socio-economic region (provinces only)."""
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)
    certainty: CycleCertainty | None = None


def _mean(values: list[float]) -> float | None:
    return round_half_up_scalar(statistics.fmean(values), 2) if values else None


BANDS = ((90.0, "≥ 90"), (80.0, "80–90"), (70.0, "70–80"), (0.0, "< 70"))
BAND_COLOURS = {"≥ 90": "#1a7f37", "80–90": "#4f8fc0", "70–80": "#d9a21b", "< 70": "#b3261e"}


def band(value: float | None) -> str:
    """The class of a % on the map when it is coloured by a score rather than by group."""
    if value is None:
        return ""
    return next(label for floor, label in BANDS if value >= floor)


def ranking_page(
    index: str, year: int, source: int | None = None, colour: str = "group"
) -> RankingPage | None:
    english = get_language() == "en"
    publication = primary(index, year)
    if source is not None:
        chosen = Publication.objects.filter(pk=source, index=index, year=year).first()
        publication = chosen or publication
    if publication is None:
        return None
    previous = _previous(publication)
    method = method_of(publication)
    comparable = previous is not None and method_of(previous) == method
    nodes = list(publication.nodes.all())
    columns = [Column(n.node, _name(n, english), n.max_points) for n in nodes if n.node]
    rows = list(publication.rows.select_related("unit"))
    before: dict[tuple[str, str], ResultRow] = {}
    if previous is not None:
        before = {(r.unit.ref, r.node): r for r in previous.rows.select_related("unit")}
    by_unit: dict[str, dict[str, ResultRow]] = {}
    for row in rows:
        by_unit.setdefault(row.unit.ref, {})[row.node] = row
    table = []
    for ref, cells in by_unit.items():
        main = cells.get("")
        if main is None:
            continue
        old = before.get((ref, ""))
        change = main.change_pct
        places = None
        if comparable and old is not None:
            if change is None and main.pct is not None and old.pct is not None:
                change = round_half_up_scalar(main.pct - old.pct, 2)
            # Places move only within one field of units: 13/63 → 5/34 is not a climb of 8.
            if main.rank is not None and old.rank is not None and main.ranked_of == old.ranked_of:
                places = old.rank - main.rank
        table.append(
            RankingRow(
                ref=ref,
                name=main.unit.name_en if english and main.unit.name_en else main.unit.name_vi,
                status=main.status,
                pct=main.pct,
                points=main.points,
                rank=main.rank,
                rank_label=main.rank_label,
                group=main.group,
                peer_group=main.peer_group,
                change_pct=change,
                change_places=places,
                fields=tuple(cells[c.node].pct if c.node in cells else None for c in columns),
                note=main.note,
            )
        )
    table.sort(key=lambda r: (r.rank is None, r.rank or 0, -(r.pct or 0), r.name))
    scored = [r for r in table if r.pct is not None and r.status == Status.PUBLISHED]
    averages = [
        Average(_("National average"), _mean([r.pct for r in scored if r.pct]), len(scored))
    ]
    peers = sorted({r.peer_group for r in scored if r.peer_group})
    if len(peers) > 1:
        for peer in peers:
            members = [r.pct for r in scored if r.peer_group == peer and r.pct is not None]
            averages.append(Average(peer, _mean(members), len(members)))
    counts = Counter(r.group for r in scored if r.group)
    related = Publication.objects.filter(index=index, year=year)
    page = RankingPage(
        publication=publication,
        index_label=str(Index(index).label),
        method=method,
        method_title=method_title(method),
        columns=columns,
        rows=table,
        averages=averages,
        groups=sorted(counts.items()),
        stated=dict(publication.stated),
        published_units=len(scored),
        partial=len(scored) < len(table) or publication.origin == "import",
        previous=previous,
        comparable=comparable,
        years=[
            YearLink(y, y == year)
            for y in sorted(
                set(Publication.objects.filter(index=index).values_list("year", flat=True))
            )
        ],
        other_sources=[
            p for p in related.filter(correction__isnull=True).exclude(pk=publication.pk)
        ],
        corrections=list(related.filter(correction__isnull=False).order_by("published_at")),
        trend=trend_points(index),
        colour=colour if colour in {"group", "index", *(c.node for c in columns)} else "group",
        regional=regions.by_region(
            {r.ref: r.pct if r.status == Status.PUBLISHED else None for r in table}
        ),
    )
    page.specs = _specs(page)
    return page


def _previous(publication: Publication) -> Publication | None:
    years = (
        Publication.objects.filter(index=publication.index, year__lt=publication.year)
        .order_by("-year")
        .values_list("year", flat=True)
    )
    year = next(iter(years), None)
    return primary(publication.index, year) if year is not None else None


def national_average(publication: Publication) -> float | None:
    """The stated national average, else the mean of the published % when the table is whole
    (a cycle determined here, or a complete table): a partial table's own mean would mislead."""
    stated = publication.stated.get("national_average")
    if stated:
        try:
            return float(stated)
        except ValueError:
            return None
    rows = publication.rows.filter(node="")
    values = [v for v in rows.filter(status=Status.PUBLISHED).values_list("pct", flat=True)]
    complete = publication.origin == "cycle" or len(values) == rows.count()
    return _mean([v for v in values if v is not None]) if complete else None


def trend_points(index: str) -> list[charts.TrendPoint]:
    """The national average of each year's primary publication: the stated one when the source
    states it (a partial table's own mean would mislead), else the mean of the published %."""
    points = []
    for year in sorted(set(Publication.objects.filter(index=index).values_list("year", flat=True))):
        publication = primary(index, year)
        if publication is None:
            continue
        value = national_average(publication)
        points.append(charts.TrendPoint(year, value, method_of(publication)))
    return points


def _specs(page: RankingPage) -> dict[str, dict[str, Any]]:
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
        geographic = _geomap(len(layout_for(refs)), values, title, score, page.colour)
        if geographic is not None:
            specs["geomap"] = geographic
    return specs


def _geomap(
    count: int,
    values: dict[str, tuple[str, float | None, str]],
    title: str,
    score: str,
    colour: str,
) -> dict[str, Any] | None:
    """The geographic map, when a boundary file of the table's provinces is configured."""
    found = boundaries.for_period(count)
    if found is None:
        return None
    return choropleth(
        reverse("results-boundaries", args=[found.number]),
        found.format,
        values,
        {
            "title": _("Geographic map of the provinces") + f": {title}",
            "description": _("Province boundaries coloured by the chosen score."),
            "legend": title,
            "unit": _("Province"),
            "value": score,
            "no_data": _("no published score"),
        },
        colours=BAND_COLOURS if colour != "group" else None,
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


@dataclass(frozen=True)
class IndexYears:
    index: str
    label: str
    years: list[int]


def published_indexes() -> list[IndexYears]:
    found: dict[str, set[int]] = {}
    for index, year in Publication.objects.values_list("index", "year"):
        found.setdefault(index, set()).add(year)
    return [
        IndexYears(choice.value, str(choice.label), sorted(found[choice.value], reverse=True))
        for choice in Index
        if choice.value in found
    ]
