"""Every move of the assessment workflow: the whole table of allowed and forbidden moves."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parindex.core.assessment.workflow import (
    MOVES,
    Action,
    Deadlines,
    State,
    WorkflowError,
    move,
)
from parindex.core.roles import Role

DEADLINES = Deadlines(
    self_assessment=datetime(2026, 3, 31, 17, tzinfo=UTC),
    explanation=datetime(2026, 5, 15, 17, tzinfo=UTC),
    appraisal=datetime(2026, 6, 30, 17, tzinfo=UTC),
)
EARLY = datetime(2026, 3, 1, tzinfo=UTC)

# The expected table, written out by hand from the practice (METHODS.md §1): for each action,
# the states it may start from and where it leads.
ALLOWED = {
    (State.DRAFT, Action.APPROVE): State.APPROVED,
    (State.APPROVED, Action.RETURN): State.DRAFT,
    (State.APPROVED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.APPRAISE_1): State.APPRAISED_1,
    (State.APPRAISED_1, Action.REQUEST_EXPLANATION): State.EXPLAINING,
    (State.EXPLAINING, Action.EXPLAIN): State.EXPLAINED,
    (State.APPRAISED_1, Action.APPRAISE_2): State.APPRAISED_2,
    (State.EXPLAINED, Action.APPRAISE_2): State.APPRAISED_2,
    (State.APPRAISED_2, Action.FINALISE): State.FINAL,
    **{
        (state, Action.REOPEN): State.DRAFT
        for state in State
        if state not in (State.DRAFT, State.FINAL)
    },
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("action", list(Action))
def test_each_move_is_allowed_exactly_where_the_table_says(state: State, action: Action) -> None:
    roles = frozenset({MOVES[action].role})
    if (state, action) in ALLOWED:
        assert move(state, action, roles, EARLY, DEADLINES, reason="x") is ALLOWED[(state, action)]
    else:
        with pytest.raises(WorkflowError, match="cannot"):
            move(state, action, roles, EARLY, DEADLINES, reason="x")


@pytest.mark.parametrize(("state", "action"), list(ALLOWED))
def test_no_other_role_can_make_a_move(state: State, action: Action) -> None:
    others = frozenset(Role) - {MOVES[action].role}
    with pytest.raises(WorkflowError, match="only a"):
        move(state, action, others, EARLY, DEADLINES, reason="x")


def test_a_late_submission_is_refused_and_an_admin_reopens_only_with_a_reason() -> None:
    late = datetime(2026, 4, 1, tzinfo=UTC)
    with pytest.raises(WorkflowError, match="deadline has passed"):
        move(State.APPROVED, Action.SUBMIT, frozenset({Role.FOCAL_POINT}), late, DEADLINES)
    with pytest.raises(WorkflowError, match="needs a reason"):
        move(State.SUBMITTED, Action.REOPEN, frozenset({Role.ADMIN}), late, DEADLINES, "  ")
    reopened = move(
        State.SUBMITTED, Action.REOPEN, frozenset({Role.ADMIN}), late, DEADLINES, "data lost"
    )
    assert reopened is State.DRAFT


def test_explanations_and_appraisals_close_at_their_deadlines() -> None:
    after = datetime(2026, 7, 1, tzinfo=UTC)
    with pytest.raises(WorkflowError, match="explanation deadline"):
        move(State.EXPLAINING, Action.EXPLAIN, frozenset({Role.FOCAL_POINT}), after, DEADLINES)
    with pytest.raises(WorkflowError, match="appraisal deadline"):
        move(State.SUBMITTED, Action.APPRAISE_1, frozenset({Role.APPRAISER}), after, DEADLINES)
