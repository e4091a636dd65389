"""Plan actions: the allowed moves, as a table."""

from __future__ import annotations

import pytest

from parindex.core.plans import ActionStatus as S
from parindex.core.plans import can_move

ALLOWED = {
    (S.PLANNED, S.IN_PROGRESS),
    (S.PLANNED, S.DONE),
    (S.PLANNED, S.DROPPED),
    (S.IN_PROGRESS, S.PLANNED),
    (S.IN_PROGRESS, S.DONE),
    (S.IN_PROGRESS, S.DROPPED),
    (S.DONE, S.IN_PROGRESS),
    (S.DROPPED, S.PLANNED),
}


@pytest.mark.parametrize(("current", "to"), [(a, b) for a in S for b in S])
def test_an_action_moves_only_as_the_table_says(current: S, to: S) -> None:
    assert can_move(current, to) == ((current, to) in ALLOWED)
