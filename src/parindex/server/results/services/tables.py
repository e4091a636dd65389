"""What the public pages show of a publication: the ranking table with field names, change since
the previous year, averages, group counts, the trend across years (broken where the method
changed) and the charts (``figures``); the years and methods come from ``series``. Each page
is one call here returning one typed context."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.scoring.rounding import round_half_up_scalar
from parindex.reports import charts
from parindex.server.results.models import Index, Publication, PublishedNode, ResultRow, Status
from parindex.server.results.services import boundaries, figures, regions
from parindex.server.results.services.series import (
    mean,
    method_of,
    method_title,
    previous_of,
    primary,
    trend_points,
)

if TYPE_CHECKING:
    from parindex.server.assessments.services.intervals import CycleCertainty, UnitInterval


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
    boundary_file: boundaries.Boundaries | None = None
    """The configured boundary file the ``geomap`` chart draws from (reports inline it)."""


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
    previous = previous_of(publication)
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
    averages = [Average(_("National average"), mean([r.pct for r in scored if r.pct]), len(scored))]
    peers = sorted({r.peer_group for r in scored if r.peer_group})
    if len(peers) > 1:
        for peer in peers:
            members = [r.pct for r in scored if r.peer_group == peer and r.pct is not None]
            averages.append(Average(peer, mean(members), len(members)))
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
    page.specs = figures.specs(page)
    return page
