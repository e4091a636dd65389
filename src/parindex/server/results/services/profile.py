"""A unit's profile across the published years of an index: score and rank history, its fields
with their change, the biggest falls and rises, points lost per field against the maximum beside
the best unit and the peer median, and — for a cycle determined here — the components where it
lost most (``core.scoring.why``), each linking down to the assessment for those allowed to see it,
how sure its rank is (the cycle's stored rank intervals) and its improvement plans for those
allowed to see them.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.scoring import why
from parindex.reports import charts
from parindex.server.accounts.models import Unit, User
from parindex.server.accounts.permissions import allows
from parindex.server.results.models import Index, Publication, ResultRow, Status
from parindex.server.results.services import regions
from parindex.server.results.services.certainty import UnitCertainty, unit_certainty
from parindex.server.results.services.series import (
    method_of,
    method_title,
    national_average,
    primary,
)
from parindex.server.results.services.surveys import UnitSurvey, unit_surveys


@dataclass(frozen=True)
class HistoryPoint:
    year: int
    pct: float | None
    rank_label: str
    group: str
    method: str
    average: float | None
    regional: float | None = None
    """The mean of the unit's socio-economic region that year (provinces only)."""

    @property
    def method_title(self) -> str:
        return method_title(self.method)


@dataclass(frozen=True)
class FieldResult:
    node: str
    name: str
    pct: float | None
    points: float | None
    max_points: float | None
    lost: float | None
    best: float | None
    peer_median: float | None
    change: float | None
    comparable: bool


@dataclass(frozen=True)
class ComponentLoss:
    node: str
    name: str
    points: float
    max_points: float
    lost: float
    behind_best: float
    behind_median: float


@dataclass(frozen=True)
class PlanLink:
    url: str
    year: int
    target: str


@dataclass
class UnitProfile:
    unit: Unit
    index: str
    index_label: str
    publication: Publication
    row: ResultRow
    history: list[HistoryPoint]
    fields: list[FieldResult]
    falls: list[FieldResult]
    rises: list[FieldResult]
    components: list[ComponentLoss] | None
    components_note: str
    trace_url: str | None
    surveys: list[UnitSurvey] = field(default_factory=list)
    """Estimates with 95 % intervals from closed surveys with a domain for the unit."""
    region: regions.RegionalAverage | None = None
    """The unit's socio-economic region and its mean in the latest year (provinces only)."""
    specs: dict[str, dict[str, Any]] = field(default_factory=dict)
    certainty: UnitCertainty | None = None
    """The latest year's rank interval, group shares, change and sensitivity, or why none."""
    plans: list[PlanLink] = field(default_factory=list)
    """The unit's improvement plans the viewer may see (``plans.view_improvementplan``)."""


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def unit_profile(index: str, ref: str, user: User | None = None) -> UnitProfile | None:
    english = get_language() == "en"
    unit = Unit.objects.filter(ref=ref).first()
    if unit is None:
        return None
    years = sorted(
        set(
            ResultRow.objects.filter(publication__index=index, unit=unit, node="").values_list(
                "publication__year", flat=True
            )
        )
    )
    chosen: list[tuple[Publication, ResultRow]] = []
    for year in years:
        publication = primary(index, year)
        row = publication.rows.filter(unit=unit, node="").first() if publication else None
        if publication is not None and row is not None:
            chosen.append((publication, row))
    if not chosen:
        return None
    history = []
    for publication, row in chosen:
        average = national_average(publication)
        regional = regions.of_unit(publication, unit.ref)
        history.append(
            HistoryPoint(
                publication.year,
                row.pct,
                row.rank_label,
                row.group,
                method_of(publication),
                average,
                regional.value if regional else None,
            )
        )
    publication, row = chosen[-1]
    previous = chosen[-2] if len(chosen) > 1 else None
    comparable = previous is not None and method_of(previous[0]) == method_of(publication)
    fields = _fields(publication, unit, previous[0] if comparable and previous else None, english)
    moved = [f for f in fields if f.change is not None]
    profile = UnitProfile(
        unit=unit,
        index=index,
        index_label=str(Index(index).label),
        publication=publication,
        row=row,
        history=history,
        fields=fields,
        falls=sorted((f for f in moved if (f.change or 0) < 0), key=lambda f: f.change or 0)[:3],
        rises=sorted((f for f in moved if (f.change or 0) > 0), key=lambda f: -(f.change or 0))[:3],
        components=None,
        components_note="",
        trace_url=None,
        region=regions.of_unit(publication, unit.ref),
        surveys=unit_surveys(unit),
        certainty=unit_certainty(publication, unit.ref),
        plans=_plans(unit, user),
    )
    _components(profile, user, english)
    profile.specs = _specs(profile)
    return profile


def _plans(unit: Unit, user: User | None) -> list[PlanLink]:
    if user is None:
        return []
    from parindex.server.plans.models import ImprovementPlan
    from parindex.server.plans.wording import target_label

    found = ImprovementPlan.objects.filter(unit=unit).select_related("cycle", "unit")
    return [
        PlanLink(plan.get_absolute_url(), plan.cycle.year, target_label(plan.target))
        for plan in found
        if allows(user, "plans.view_improvementplan", plan)
    ]


def _fields(
    publication: Publication, unit: Unit, previous: Publication | None, english: bool
) -> list[FieldResult]:
    nodes = [n for n in publication.nodes.all() if n.node]
    rows = list(publication.rows.exclude(node="").filter(status=Status.PUBLISHED))
    mine = {r.node: r for r in rows if r.unit_id == unit.pk}
    peer = publication.rows.filter(unit=unit, node="").values_list("peer_group", flat=True).first()
    before = {}
    if previous is not None:
        before = {r.node: r for r in previous.rows.filter(unit=unit).exclude(node="")}
    result = []
    for node in nodes:
        values = [r.pct for r in rows if r.node == node.node and r.pct is not None]
        peers = [
            r.pct
            for r in rows
            if r.node == node.node and r.pct is not None and r.peer_group == (peer or "")
        ]
        own = mine.get(node.node)
        old = before.get(node.node)
        change = None
        if own is not None and old is not None and own.pct is not None and old.pct is not None:
            change = round(own.pct - old.pct, 2)
        lost = None
        if own is not None and own.points is not None and own.max_points is not None:
            lost = round(own.max_points - own.points, 2)
        result.append(
            FieldResult(
                node=node.node,
                name=(node.name_en if english and node.name_en else node.name_vi),
                pct=own.pct if own else None,
                points=own.points if own else None,
                max_points=own.max_points if own else node.max_points,
                lost=lost,
                best=max(values) if values else None,
                peer_median=round(statistics.median(peers), 2) if peers else None,
                change=change,
                comparable=previous is not None,
            )
        )
    return result


def _components(profile: UnitProfile, user: User | None, english: bool) -> None:
    """Where the unit lost most, component by component: only for a cycle determined here, and
    only while its inputs are the ones published (same hash)."""
    cycle = profile.publication.cycle
    if cycle is None:
        profile.components_note = _(
            "Component scores are not published for results imported from another source."
        )
        return
    from parindex.server.assessments import services as assessments

    table = assessments.score_table(cycle)
    published_hash = profile.publication.provenance.get("inputs_sha256")
    if table.provenance.inputs_sha256 != published_hash:
        profile.components_note = _(
            "Scores changed after publication; the published components cannot be shown."
        )
        return
    if profile.unit.ref not in table.units:
        return
    names = assessments.edition_of(cycle).names(english)
    profile.components = [
        ComponentLoss(
            s.node,
            names.get(s.node, s.node),
            s.points,
            s.max_points,
            round(s.lost, 2),
            round(s.behind_best, 2),
            round(s.behind_median, 2),
        )
        for s in why(table).for_unit(profile.unit.ref).shortfalls[:10]
    ]
    assessment = cycle.assessments.filter(unit=profile.unit).first()
    if user is not None and assessment is not None and assessments.can_view(user, assessment):
        profile.trace_url = reverse(
            "assessment-detail", kwargs={"pk": cycle.pk, "ref": profile.unit.ref}
        )


def _specs(profile: UnitProfile) -> dict[str, dict[str, Any]]:
    points = [
        charts.TrendPoint(h.year, h.pct, h.method, profile.unit.name) for h in profile.history
    ] + [
        charts.TrendPoint(h.year, h.average, h.method, _("National average"))
        for h in profile.history
    ]
    if len([p for p in profile.history if p.pct is not None]) < 2:
        return {}
    return {
        "history": charts.trend(
            points,
            {
                "title": _("Score over the years"),
                "description": _(
                    "The unit's score and the national average per year; a dashed line marks a "
                    "change of method."
                ),
                "year": _("Year"),
                "value": _("Score"),
                "series": _("Series"),
                "method": _("Method"),
                "not_comparable": _("not comparable"),
            },
        )
    }
