"""What the cycle pages list: the cycles and assessments a user may open, each with its totals
and state, and the council's table. Every assessment shown passes ``visibility.can_view``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from parindex.core.assessment import workflow
from parindex.core.assessment.workflow import Action, State
from parindex.core.roles import Role
from parindex.server.accounts.models import User
from parindex.server.assessments.models import (
    Assessment,
    Cycle,
    ExplanationRequest,
    ScoreEntry,
    StateChange,
)
from parindex.server.assessments.services.cycle import deadlines
from parindex.server.assessments.services.evidence import missing_evidence
from parindex.server.assessments.services.totals import Totals, totals_for, totals_of
from parindex.server.assessments.services.visibility import can_view, listed, manages, roles_for


def cycles_for(user: User) -> list[tuple[Cycle, list[Assessment]]]:
    """Each cycle with the assessments ``user`` may open (a cycle's administrators see it whole;
    a published one is listed for everybody)."""
    found = []
    for cycle in Cycle.objects.select_related("organiser").order_by("-year", "name"):
        visible = [a for a in listed(cycle) if can_view(user, a)]
        if visible or cycle.published_at or manages(user, cycle):
            found.append((cycle, visible))
    return found


# The tables read each entry's round and points only (``score_board``): an entry's inputs,
# explanation and reason (JSON and text) are not decoded for the 90 entries of each of 78 rows.
_SCORES = Prefetch(
    "scores", queryset=ScoreEntry.objects.only("id", "assessment", "component", "round", "points")
)


@dataclass(frozen=True)
class CycleRow:
    assessment: Assessment
    totals: Totals
    appraisers: str


def cycle_rows(user: User, cycle: Cycle) -> list[CycleRow]:
    """The cycle's assessments ``user`` may open, with their totals and appraisers."""
    shown = [a for a in listed(cycle).prefetch_related(_SCORES) if can_view(user, a)]
    totals = totals_for(shown)
    return [
        CycleRow(a, totals[a.pk], ", ".join(u.get_username() for u in a.appraisers.all()))
        for a in shown
    ]


@dataclass(frozen=True)
class CouncilRow:
    """A unit on the council's table; a draft shows its state only (it is the unit's own)."""

    assessment: Assessment
    totals: Totals | None
    can_finalise: bool


def council_rows(user: User, cycle: Cycle) -> list[CouncilRow]:
    rows = []
    now, limits = timezone.now(), deadlines(cycle)
    listing = list(listed(cycle).prefetch_related(_SCORES))
    visible = [a for a in listing if can_view(user, a)]
    totals = totals_for(visible)
    for assessment in listing:
        if assessment.pk not in totals:
            rows.append(CouncilRow(assessment, None, False))
            continue
        allowed = workflow.allowed_actions(
            State(assessment.state), roles_for(user, assessment), now, limits
        )
        rows.append(CouncilRow(assessment, totals[assessment.pk], Action.FINALISE in allowed))
    return rows


@dataclass(frozen=True)
class Summary:
    """One assessment as its page shows it: totals, what ``user`` may do, what is missing."""

    totals: Totals
    roles: frozenset[Role]
    actions: list[Action]
    missing: list[str]
    requests: list[ExplanationRequest]
    moves: list[StateChange]


def summary(user: User, assessment: Assessment) -> Summary:
    roles = roles_for(user, assessment)
    state = State(assessment.state)
    drafting = state in (State.DRAFT, State.APPROVED)
    return Summary(
        totals_of(assessment),
        roles,
        workflow.allowed_actions(state, roles, timezone.now(), deadlines(assessment.cycle)),
        missing_evidence(assessment) if drafting else [],
        list(assessment.explanation_requests.order_by("component", "id")),
        list(assessment.moves.select_related("by")),
    )
