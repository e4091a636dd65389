"""Scores of every round: the unit's self-assessment, the appraisers' two rounds and the
council's decision, each appended as a new ``ScoreEntry`` (nothing is overwritten)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core.assessment.rounds import standing
from parindex.core.assessment.workflow import APPRAISABLE, EDITABLE_BY_UNIT, State
from parindex.core.methodology.nodes import ComponentNode
from parindex.core.methodology.rules import ManualRule, Ratio, SurveyMappingRule, YesNoRule
from parindex.core.numbers import parse_number
from parindex.core.roles import Role
from parindex.server.accounts.models import User
from parindex.server.assessments.models import Assessment, Round, ScoreEntry
from parindex.server.assessments.services.cycle import (
    AssessmentError,
    component_of,
    out_of_range,
    require_open,
)
from parindex.server.assessments.services.visibility import roles_for
from parindex.server.audit import events as audit_events


def score_board(assessment: Assessment) -> dict[str, dict[str, ScoreEntry]]:
    """Per component, the latest entry of each round. Sorted here rather than by the database,
    so that a list of assessments that prefetched their ``scores`` reads them in one query."""
    board: dict[str, dict[str, ScoreEntry]] = {}
    for entry in sorted(assessment.scores.all(), key=lambda e: e.pk):
        board.setdefault(entry.component, {})[entry.round] = entry
    return board


def final_points(
    assessment: Assessment, board: dict[str, dict[str, ScoreEntry]] | None = None
) -> dict[str, float]:
    """Each component's standing score (``core.assessment.rounds.standing``): the council's,
    else round 2, else round 1, else the self score; survey components from the survey round.
    ``board``: the assessment's ``score_board`` when the caller has it already."""
    result = {}
    for component, rounds in (score_board(assessment) if board is None else board).items():
        points = standing({round_: entry.points for round_, entry in rounds.items()})
        if points is not None:
            result[component] = points
    return result


def rule_points(spec: ComponentNode, inputs: Mapping[str, str]) -> float:
    """Points from a rule's inputs as typed (decimal comma accepted)."""
    rule = spec.rule
    if isinstance(rule, YesNoRule):
        answer = str(inputs.get("yes", "")).strip().lower()
        return rule.score(spec.max_points, answer in ("1", "yes", "true", "có", "co"))
    values = {}
    for name in rule.inputs:
        try:
            value = parse_number(inputs.get(name, ""))
        except ValueError:
            value = None
        if value is None:
            raise AssessmentError(_("'{name}' must be a number").format(name=name))
        values[name] = value
    if "numerator" in values:
        return rule.score(spec.max_points, Ratio(values["numerator"], values["denominator"]))
    value = next(iter(values.values()))
    return rule.score(spec.max_points, value)


def check_self_editable(assessment: Assessment, user: User) -> None:
    """Refuse unless ``user`` may write this unit's self-assessment now."""
    require_open(assessment)
    if Role.FOCAL_POINT not in roles_for(user, assessment):
        raise AssessmentError(_("only the unit's focal point fills in its self-assessment"))
    if assessment.state not in EDITABLE_BY_UNIT:
        raise AssessmentError(_("the self-assessment can be changed only while it is a draft"))


@transaction.atomic
def save_self_score(
    assessment: Assessment,
    user: User,
    component_id: str,
    *,
    points: float | None = None,
    inputs: Mapping[str, str] | None = None,
    explanation: str = "",
) -> ScoreEntry:
    check_self_editable(assessment, user)
    component = component_of(assessment, component_id)
    rule = component.spec.rule
    if isinstance(rule, SurveyMappingRule):
        raise AssessmentError(_("this component is scored from the survey"))
    if not isinstance(rule, ManualRule):
        # A computed component takes its indicator, never points typed over the rule.
        points = rule_points(component.spec, inputs or {})
    if points is not None and not 0 <= points <= component.spec.max_points:
        raise AssessmentError(out_of_range(component_id, component.spec.max_points))
    before = score_board(assessment).get(component_id, {}).get(Round.SELF)
    if (
        before is not None
        and before.points == points
        and before.inputs == dict(inputs or {})
        and before.explanation == explanation
    ):
        return before  # saving a page again appends nothing: history shows only changes
    return audit_events.score(
        ScoreEntry.objects.create(
            assessment=assessment,
            component=component_id,
            round=Round.SELF,
            points=points,
            previous=before.points if before else None,
            inputs=dict(inputs or {}),
            explanation=explanation,
            author=user,
        )
    )


@transaction.atomic
def appraise(
    assessment: Assessment,
    user: User,
    component_id: str,
    *,
    points: float | None,
    reason: str = "",
) -> ScoreEntry:
    """Accept the standing score (``points=None``) or set another one, with a reason."""
    require_open(assessment)
    if Role.APPRAISER not in roles_for(user, assessment):
        raise AssessmentError(_("only an appraiser assigned to this unit appraises it"))
    if assessment.state not in APPRAISABLE:
        raise AssessmentError(_("this assessment cannot be appraised in its present state"))
    component = component_of(assessment, component_id)
    round_ = Round.APPRAISAL_1 if assessment.state == State.SUBMITTED else Round.APPRAISAL_2
    standing = final_points(assessment).get(component_id)
    if points is None:
        points = standing
    elif points != standing and not reason.strip():
        raise AssessmentError(_("{id}: a changed score needs a reason").format(id=component_id))
    if points is not None and not 0 <= points <= component.spec.max_points:
        raise AssessmentError(out_of_range(component_id, component.spec.max_points))
    return audit_events.score(
        ScoreEntry.objects.create(
            assessment=assessment,
            component=component_id,
            round=round_,
            points=points,
            previous=standing,
            reason=reason,
            author=user,
        )
    )


@transaction.atomic
def council_score(
    assessment: Assessment, user: User, component_id: str, points: float, reason: str
) -> ScoreEntry:
    require_open(assessment)
    if Role.COUNCIL_MEMBER not in roles_for(user, assessment):
        raise AssessmentError(_("only council members decide at the council"))
    if assessment.state != State.APPRAISED_2:
        raise AssessmentError(_("the council decides on assessments appraised twice"))
    if not reason.strip():
        raise AssessmentError(_("a council decision needs a reason"))
    component = component_of(assessment, component_id)
    if not 0 <= points <= component.spec.max_points:
        raise AssessmentError(out_of_range(component_id, component.spec.max_points))
    return audit_events.score(
        ScoreEntry.objects.create(
            assessment=assessment,
            component=component_id,
            round=Round.COUNCIL,
            points=points,
            previous=final_points(assessment).get(component_id),
            reason=reason,
            author=user,
        )
    )
