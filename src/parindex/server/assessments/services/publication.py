"""From standing scores to the published table: survey points, the score table, the preview
with year-on-year changes, the council's notes and publication (frozen with its provenance)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core.assessment.workflow import State
from parindex.core.methodology import diff_editions
from parindex.core.methodology.rules import SurveyMappingRule
from parindex.core.onestop.d766 import SOURCE_PREFIX as D766_SOURCE
from parindex.core.scoring.compare import PreviousResult, UnitChange, year_on_year
from parindex.core.scoring.points import points_table
from parindex.core.scoring.scoretable import ScoreTable, UnitResult, compute
from parindex.core.scoring.why import UnitWhy, why
from parindex.core.units import UnitKind
from parindex.server.accounts.models import User
from parindex.server.accounts.permissions import allows
from parindex.server.assessments.models import CouncilNote, Cycle, Round, ScoreEntry
from parindex.server.assessments.services.cycle import AssessmentError, edition_of, out_of_range
from parindex.server.assessments.services.scores import final_points
from parindex.server.audit import events as audit_events
from parindex.server.results.services.publication import record_publication


def note_decision(cycle: Cycle, user: User, text: str) -> CouncilNote:
    if not allows(user, "assessments.record_council_decision", cycle):
        raise AssessmentError(_("only council members record decisions"))
    return CouncilNote.objects.create(cycle=cycle, text=text, by=user)


@transaction.atomic
def import_survey_points(
    cycle: Cycle, user: User, points: Mapping[str, Mapping[str, float]]
) -> int:
    """Survey components' points per unit ref (from the survey results, or a file); all or
    nothing: an unknown unit or component refuses the whole import."""
    if not allows(user, "assessments.import_survey_points", cycle):
        raise AssessmentError(_("only administrators and survey managers import survey points"))
    edition = edition_of(cycle)
    survey_nodes = {
        n.id: n.max_points
        for _f, _c, n in edition.scored()
        if isinstance(n.rule, SurveyMappingRule)
    }
    by_ref = {a.unit.ref: a for a in cycle.assessments.select_related("unit")}
    entries = []
    for ref, values in points.items():
        if ref not in by_ref:
            raise AssessmentError(_("unit {ref} is not assessed in this cycle").format(ref=ref))
        for node, value in values.items():
            if node not in survey_nodes:
                raise AssessmentError(
                    _("{node} is not a survey component of {edition}").format(
                        node=node, edition=cycle.edition
                    )
                )
            if not 0 <= value <= survey_nodes[node]:
                raise AssessmentError(f"{ref} · " + out_of_range(node, survey_nodes[node]))
            entries.append(
                ScoreEntry(
                    assessment=by_ref[ref],
                    component=node,
                    round=Round.SURVEY,
                    points=value,
                    author=user,
                    reason="survey",
                )
            )
    audit_events.scores(ScoreEntry.objects.bulk_create(entries))
    return len(entries)


ONESTOP = "one-stop data"
"""The reason recorded with the points taken from a unit's one-stop data."""


def onestop_components(cycle: Cycle) -> list[str]:
    """The components of ``cycle``'s index computed from one-stop data (``computed:d766.*``)."""
    return [n.id for _f, _c, n in edition_of(cycle).scored() if n.source.startswith(D766_SOURCE)]


@transaction.atomic
def import_onestop_points(cycle: Cycle, user: User) -> int:
    """Every unit's points for the components computed from one-stop data, from its dossiers,
    ratings and feedback (and its units' below) over the cycle's year, scored by the cycle's own
    index. Stored as measured points, like the survey's (they stand over the unit's claim), the
    reason saying where they came from; an indicator without data stores nothing. Returns how
    many points were stored."""
    # Imported here: the ratings app reads assessments' neighbours, not the other way round.
    from parindex.core.onestop import Period, score
    from parindex.server.ratings.aggregates import d766_rates

    if not allows(user, "assessments.import_survey_points", cycle):
        raise AssessmentError(_("only administrators and survey managers import survey points"))
    if not onestop_components(cycle):
        raise AssessmentError(_("no component of this index is computed from one-stop data"))
    edition = edition_of(cycle)
    period = Period.parse(str(cycle.year))
    entries = []
    for assessment in cycle.assessments.select_related("unit"):
        result = score(edition, d766_rates(assessment.unit, period))
        for node, points in result.points.items():
            if points is None:
                continue
            entries.append(
                ScoreEntry(
                    assessment=assessment,
                    component=node,
                    round=Round.SURVEY,
                    points=points,
                    author=user,
                    reason=ONESTOP,
                )
            )
    audit_events.scores(ScoreEntry.objects.bulk_create(entries))
    return len(entries)


def score_table(cycle: Cycle, provisional: frozenset[str] = frozenset()) -> ScoreTable:
    """The scoring engine on every unit's standing scores (none: 0 points); the units in
    ``provisional`` are scored but not ranked (nor counted in the rank's denominator)."""
    edition = edition_of(cycle)
    # A component nobody scored earns nothing: the unit claimed no points for it and no round
    # awarded any. (The preview of a cycle in progress shows it so, too.)
    points, kinds = {}, {}
    for assessment in cycle.assessments.select_related("unit").order_by("unit__ref"):
        kinds[assessment.unit.ref] = UnitKind(assessment.unit.kind)
        points[assessment.unit.ref] = final_points(assessment)
    report = points_table(edition, points, source=f"cycle {cycle.pk}", unit_kinds=kinds)
    if report.value is None:
        raise AssessmentError("; ".join(f.message for f in report.findings[:5]))
    return compute(report.value, not_ranked=provisional)


@transaction.atomic
def publish(cycle: Cycle, user: User) -> dict[str, Any]:
    """Freeze the computed table with its provenance; a published cycle never changes."""
    if not allows(user, "assessments.publish_cycle", cycle):
        raise AssessmentError(_("only an administrator publishes"))
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.published_at is not None:
        raise AssessmentError(_("this cycle is already published"))
    unfinished = cycle.assessments.exclude(state=State.FINAL).count()
    if unfinished:
        raise AssessmentError(_("assessments not final yet: {count}").format(count=unfinished))
    table = score_table(cycle)
    names = dict(cycle.assessments.values_list("unit__ref", "unit__name_vi"))
    frozen = [
        {**asdict(result), "name_vi": names.get(result.unit, result.unit)}
        for result in table.results
    ]
    cycle.published_table = json.loads(json.dumps(frozen, default=str))
    cycle.provenance = json.loads(json.dumps(asdict(table.provenance), default=str))
    cycle.published_at = timezone.now()
    cycle.save(update_fields=["published_table", "provenance", "published_at"])
    record_publication(table, cycle=cycle)
    audit_events.publication(cycle, user)
    # The public ranking shows rank intervals: computed now, off the request, so that its
    # first visitor reads them (a cycle's scores no longer change once published).
    from parindex.server.assessments.services.certainty import refresh

    pk = cycle.pk
    transaction.on_commit(lambda: refresh.enqueue(pk))
    return {"units": len(frozen)}


def _family(edition_id: str) -> str:
    return edition_id.split("/", 1)[0]


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The latest published cycle of the same index and organiser before this one."""
    earlier = Cycle.objects.filter(
        year__lt=cycle.year, published_at__isnull=False, organiser=cycle.organiser
    ).order_by("-year")
    return next((c for c in earlier if _family(c.edition) == _family(cycle.edition)), None)


def previous_results(cycle: Cycle) -> dict[str, PreviousResult]:
    before = previous_cycle(cycle)
    if before is None or not before.published_table:
        return {}
    return {
        row["unit"]: PreviousResult(
            row["unit"],
            row.get("index_pct"),
            row.get("rank"),
            row.get("group", ""),
            row.get("field_pct"),
            row.get("field_rank"),
        )
        for row in before.published_table
    }


@dataclass(frozen=True)
class PreviewRow:
    result: UnitResult
    name: str
    change: UnitChange
    why: UnitWhy
    provisional: bool
    """Not final yet: scored as it stands, not ranked among the final units."""


def preview(cycle: Cycle) -> list[PreviewRow]:
    """The table as it would be published: ranks, groups, change since the previous published
    cycle (fields compared only where the edition diff says they are comparable) and why.

    Only final assessments are ranked; a unit still in the workflow is listed after them with
    its standing points marked provisional, without a rank (a partial score ranked 33rd of 34
    would read as a result)."""
    unfinished = frozenset(
        cycle.assessments.exclude(state=State.FINAL).values_list("unit__ref", flat=True)
    )
    table = score_table(cycle, provisional=unfinished)
    before = previous_cycle(cycle)
    diff = None
    if before is not None and before.edition != cycle.edition:
        diff = diff_editions(edition_of(before), edition_of(cycle))
    changes = {c.unit: c for c in year_on_year(table, previous_results(cycle), diff)}
    explained = why(table)
    names = dict(cycle.assessments.values_list("unit__ref", "unit__name_vi"))
    rows = [
        PreviewRow(
            result,
            names.get(result.unit, result.unit),
            changes[result.unit],
            explained.for_unit(result.unit),
            result.unit in unfinished,
        )
        for result in table.results
    ]
    order = {group.id: i for i, group in enumerate(edition_of(cycle).peer_groups)}
    return sorted(
        rows,
        key=lambda r: (
            r.provisional,
            order.get(r.result.peer_group, 0),
            r.result.rank is None,
            r.result.rank or 0,
            r.name,
        ),
    )
