"""The yearly determination of one unit as a pure state machine: who may move an assessment
from which state to which, and when. The web layer asks ``move`` and stores what it returns;
nothing here touches a database, so the whole table of allowed and forbidden moves is tested
directly.

    draft ──approve (leader)──▶ approved ──submit (focal point, by the deadline)──▶ submitted
      ▲  ◀──────────return (leader)──────────┘                                        │
      └──────reopen (admin, with a reason)◀── any state before finalised               │
    submitted ──appraise (appraiser)──▶ appraised_1 ──request explanation──▶ explaining
    explaining ──explain (focal point, by the explanation deadline)──▶ explained
    appraised_1 | explained ──appraise round 2 (appraiser)──▶ appraised_2
    appraised_2 ──finalise (council member)──▶ final

Editing the self-assessment is allowed in ``draft`` only; a unit whose self-assessment deadline
has passed cannot submit, and only an administrator can reopen it, with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from parindex.core.errors import ParindexError
from parindex.core.roles import Role


class State(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SUBMITTED = "submitted"
    APPRAISED_1 = "appraised_1"
    EXPLAINING = "explaining"
    EXPLAINED = "explained"
    APPRAISED_2 = "appraised_2"
    FINAL = "final"


class Action(StrEnum):
    APPROVE = "approve"
    RETURN = "return"
    SUBMIT = "submit"
    APPRAISE_1 = "appraise_1"
    REQUEST_EXPLANATION = "request_explanation"
    EXPLAIN = "explain"
    APPRAISE_2 = "appraise_2"
    FINALISE = "finalise"
    REOPEN = "reopen"


class WorkflowError(ParindexError):
    """A move that is not allowed; the message says why, for the person who tried it.

    ``code`` names the reason (``role``, ``state``, ``self_deadline``, ``explanation_deadline``,
    ``reopen_reason``, ``appraisal_deadline``) so that the web layer can say it in the user's
    language."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Deadlines:
    self_assessment: datetime
    explanation: datetime
    appraisal: datetime


@dataclass(frozen=True)
class Move:
    source: frozenset[State]
    target: State
    role: Role


MOVES: dict[Action, Move] = {
    Action.APPROVE: Move(frozenset({State.DRAFT}), State.APPROVED, Role.LEADER),
    Action.RETURN: Move(frozenset({State.APPROVED}), State.DRAFT, Role.LEADER),
    Action.SUBMIT: Move(frozenset({State.APPROVED}), State.SUBMITTED, Role.FOCAL_POINT),
    Action.APPRAISE_1: Move(frozenset({State.SUBMITTED}), State.APPRAISED_1, Role.APPRAISER),
    Action.REQUEST_EXPLANATION: Move(
        frozenset({State.APPRAISED_1}), State.EXPLAINING, Role.APPRAISER
    ),
    Action.EXPLAIN: Move(frozenset({State.EXPLAINING}), State.EXPLAINED, Role.FOCAL_POINT),
    Action.APPRAISE_2: Move(
        frozenset({State.APPRAISED_1, State.EXPLAINED}), State.APPRAISED_2, Role.APPRAISER
    ),
    Action.FINALISE: Move(frozenset({State.APPRAISED_2}), State.FINAL, Role.COUNCIL_MEMBER),
    Action.REOPEN: Move(
        frozenset(set(State) - {State.DRAFT, State.FINAL}), State.DRAFT, Role.ADMIN
    ),
}

EDITABLE_BY_UNIT = frozenset({State.DRAFT})
EXPLAINABLE_BY_UNIT = frozenset({State.EXPLAINING})
APPRAISABLE = frozenset({State.SUBMITTED, State.APPRAISED_1, State.EXPLAINED})


def move(
    state: State,
    action: Action,
    roles: frozenset[Role],
    now: datetime,
    deadlines: Deadlines,
    reason: str = "",
) -> State:
    """The state after ``action`` by someone holding ``roles`` (for this unit), or a
    ``WorkflowError`` saying why not.

    >>> from datetime import UTC
    >>> d = Deadlines(*(datetime(2026, m, 1, tzinfo=UTC) for m in (3, 4, 5)))
    >>> move(State.APPROVED, Action.SUBMIT, frozenset({Role.FOCAL_POINT}),
    ...      datetime(2026, 2, 1, tzinfo=UTC), d)
    <State.SUBMITTED: 'submitted'>
    """
    rule = MOVES[action]
    if rule.role not in roles:
        raise WorkflowError("role", f"only a {rule.role.value} can {action.value}")
    if state not in rule.source:
        raise WorkflowError("state", f"cannot {action.value} an assessment that is {state.value}")
    if action is Action.SUBMIT and now > deadlines.self_assessment:
        raise WorkflowError(
            "self_deadline",
            "the self-assessment deadline has passed; an administrator can reopen it",
        )
    if action is Action.EXPLAIN and now > deadlines.explanation:
        raise WorkflowError("explanation_deadline", "the explanation deadline has passed")
    if action is Action.REOPEN and not reason.strip():
        raise WorkflowError("reopen_reason", "reopening needs a reason")
    if action in (Action.APPRAISE_1, Action.APPRAISE_2) and now > deadlines.appraisal:
        raise WorkflowError(
            "appraisal_deadline",
            "the appraisal deadline has passed; an administrator can extend it",
        )
    return rule.target
