"""The pure rules the assessment pages follow: the standing score across rounds, the steps
open to a role in a state, and what a page lets its reader do."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from parindex.core.assessment.components import components
from parindex.core.assessment.rounds import claimed, standing
from parindex.core.assessment.workflow import (
    Action,
    Deadlines,
    Mode,
    State,
    allowed_actions,
    page_mode,
)
from parindex.core.methodology import load_shipped
from parindex.core.roles import Role

DEADLINES = Deadlines(*(datetime(2026, m, 1, tzinfo=UTC) for m in (3, 4, 5)))
BEFORE = datetime(2026, 2, 1, tzinfo=UTC)
AFTER_ALL = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("rounds", "expected"),
    [
        pytest.param({"self": 3.0}, 3.0, id="only the self score: it stands"),
        pytest.param({"self": 3.0, "appraisal_1": 2.0}, 2.0, id="round 1 overrides the unit"),
        pytest.param(
            {"self": 3.0, "appraisal_1": 2.0, "appraisal_2": 2.5}, 2.5, id="round 2 overrides 1"
        ),
        pytest.param(
            {"self": 3.0, "appraisal_2": 2.5, "council": 1.0},
            1.0,
            id="the council has the last word",
        ),
        pytest.param(
            {"self": 3.0, "appraisal_1": None}, 3.0, id="a round without points is skipped"
        ),
        pytest.param({"survey": 4.2, "self": 1.0}, 4.2, id="a survey score stands over any other"),
        pytest.param({}, None, id="nothing scored: nothing stands"),
    ],
)
def test_the_standing_score(rounds: dict[str, float | None], expected: float | None) -> None:
    assert standing(rounds) == expected


def test_what_a_unit_claims_is_its_self_score_or_the_survey_for_survey_components() -> None:
    rounds = {"self": 2.0, "survey": 3.0, "council": 1.0}
    assert claimed(rounds, from_survey=False) == 2.0
    assert claimed(rounds, from_survey=True) == 3.0


@pytest.mark.parametrize(
    ("state", "roles", "now", "expected"),
    [
        pytest.param(
            State.DRAFT, {Role.LEADER}, BEFORE, [Action.APPROVE], id="a leader approves a draft"
        ),
        pytest.param(
            State.APPROVED,
            {Role.LEADER, Role.FOCAL_POINT},
            BEFORE,
            [Action.RETURN, Action.SUBMIT],
            id="an approved draft goes back or is submitted",
        ),
        pytest.param(
            State.APPROVED,
            {Role.FOCAL_POINT},
            AFTER_ALL,
            [],
            id="after the self-assessment deadline the focal point cannot submit",
        ),
        pytest.param(
            State.SUBMITTED,
            {Role.APPRAISER, Role.ADMIN},
            BEFORE,
            [Action.APPRAISE_1, Action.REOPEN],
            id="an appraiser closes round 1, an administrator may reopen",
        ),
        pytest.param(
            State.APPRAISED_2,
            {Role.COUNCIL_MEMBER},
            AFTER_ALL,
            [Action.FINALISE],
            id="the council finalises",
        ),
        pytest.param(State.FINAL, set(Role), BEFORE, [], id="nothing moves a final assessment"),
    ],
)
def test_the_steps_open_to_a_role(
    state: State, roles: set[Role], now: datetime, expected: list[Action]
) -> None:
    assert allowed_actions(state, frozenset(roles), now, DEADLINES) == expected


@pytest.mark.parametrize(
    ("state", "roles", "mode"),
    [
        pytest.param(
            State.DRAFT, {Role.FOCAL_POINT}, Mode.SELF, id="the focal point scores its draft"
        ),
        pytest.param(
            State.APPROVED, {Role.FOCAL_POINT}, Mode.READ, id="an approved draft is read only"
        ),
        pytest.param(State.EXPLAINING, {Role.FOCAL_POINT}, Mode.EXPLAIN, id="the unit explains"),
        pytest.param(
            State.SUBMITTED, {Role.APPRAISER}, Mode.APPRAISE, id="the appraiser appraises"
        ),
        pytest.param(State.EXPLAINING, {Role.APPRAISER}, Mode.READ, id="the appraiser waits"),
        pytest.param(
            State.APPRAISED_2, {Role.COUNCIL_MEMBER}, Mode.COUNCIL, id="the council decides"
        ),
        pytest.param(State.DRAFT, {Role.ADMIN}, Mode.READ, id="an administrator reads"),
    ],
)
def test_the_page_mode(state: State, roles: set[Role], mode: Mode) -> None:
    assert page_mode(state, frozenset(roles)) is mode


def test_a_commune_is_not_assessed_on_a_departments_components() -> None:
    edition = load_shipped("par-index-provincial-units/2024").value
    assert edition is not None
    commune = {c.id for c in components(edition, "commune")}
    department = {c.id for c in components(edition, "department")}
    assert "1.3" in department and "1.3" not in commune
    assert "4.3" in commune and "4.3" not in department
