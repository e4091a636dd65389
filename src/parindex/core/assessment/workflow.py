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


def refusal(
    state: State,
    action: Action,
    roles: frozenset[Role],
    now: datetime,
    deadlines: Deadlines,
) -> WorkflowError | None:
    """Why ``action`` is not open to someone holding ``roles`` now, or ``None`` when it is
    (apart from what the step itself must bring, such as a reopening's reason)."""
    rule = MOVES[action]
    if rule.role not in roles:
        return WorkflowError("role", f"only a {rule.role.value} can {action.value}")
    if state not in rule.source:
        return WorkflowError("state", f"cannot {action.value} an assessment that is {state.value}")
    if action is Action.SUBMIT and now > deadlines.self_assessment:
        return WorkflowError(
            "self_deadline",
            "the self-assessment deadline has passed; an administrator can reopen it",
        )
    if action is Action.EXPLAIN and now > deadlines.explanation:
        return WorkflowError("explanation_deadline", "the explanation deadline has passed")
    if action in (Action.APPRAISE_1, Action.APPRAISE_2) and now > deadlines.appraisal:
        return WorkflowError(
            "appraisal_deadline",
            "the appraisal deadline has passed; an administrator can extend it",
        )
    return None


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
    error = refusal(state, action, roles, now, deadlines)
    if error is not None:
        raise error
    if action is Action.REOPEN and not reason.strip():
        raise WorkflowError("reopen_reason", "reopening needs a reason")
    return MOVES[action].target


def allowed_actions(
    state: State, roles: frozenset[Role], now: datetime, deadlines: Deadlines
) -> list[Action]:
    """The steps open to someone holding ``roles`` now, in the workflow's order.

    >>> from datetime import UTC
    >>> d = Deadlines(*(datetime(2026, m, 1, tzinfo=UTC) for m in (3, 4, 5)))
    >>> allowed_actions(State.APPROVED, frozenset({Role.LEADER, Role.FOCAL_POINT}),
    ...                 datetime(2026, 2, 1, tzinfo=UTC), d)
    [<Action.RETURN: 'return'>, <Action.SUBMIT: 'submit'>]
    """
    return [a for a in Action if refusal(state, a, roles, now, deadlines) is None]


class Mode(StrEnum):
    """What a page of an assessment lets its reader do."""

    SELF = "self"
    EXPLAIN = "explain"
    APPRAISE = "appraise"
    COUNCIL = "council"
    READ = "read"


def page_mode(state: State, roles: frozenset[Role]) -> Mode:
    """What someone holding ``roles`` does on an assessment's pages in ``state``: the unit
    scores its draft and answers questions, appraisers appraise, the council decides.

    >>> page_mode(State.DRAFT, frozenset({Role.FOCAL_POINT}))
    <Mode.SELF: 'self'>
    >>> page_mode(State.DRAFT, frozenset({Role.APPRAISER}))
    <Mode.READ: 'read'>
    """
    if Role.FOCAL_POINT in roles and state in EDITABLE_BY_UNIT:
        return Mode.SELF
    if Role.FOCAL_POINT in roles and state in EXPLAINABLE_BY_UNIT:
        return Mode.EXPLAIN
    if Role.APPRAISER in roles and state in APPRAISABLE:
        return Mode.APPRAISE
    if Role.COUNCIL_MEMBER in roles and state == State.APPRAISED_2:
        return Mode.COUNCIL
    return Mode.READ
