"""An action of an improvement plan: raise one component to a target by a deadline.

Its status moves planned → in progress → done, or is dropped; a done action can be reopened and
a dropped one planned again. Each move is appended to the action's history by the server. The
next cycle's score of the component is the action's outcome, set against its target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


_MOVES: dict[ActionStatus, frozenset[ActionStatus]] = {
    ActionStatus.PLANNED: frozenset(
        {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED}
    ),
    ActionStatus.IN_PROGRESS: frozenset(
        {ActionStatus.PLANNED, ActionStatus.DONE, ActionStatus.DROPPED}
    ),
    ActionStatus.DONE: frozenset({ActionStatus.IN_PROGRESS}),
    ActionStatus.DROPPED: frozenset({ActionStatus.PLANNED}),
}


def can_move(current: ActionStatus, to: ActionStatus) -> bool:
    """Whether an action may go from ``current`` to ``to``.

    >>> can_move(ActionStatus.PLANNED, ActionStatus.DONE), can_move(ActionStatus.DONE, ActionStatus.DROPPED)
    (True, False)
    """
    return to in _MOVES[current]


@dataclass(frozen=True)
class Outcome:
    component: str
    current: float
    target: float
    outcome: float | None
    """The component's points in the next cycle; None while it has none."""

    @property
    def met(self) -> bool | None:
        return None if self.outcome is None else self.outcome >= self.target - 1e-9


def outcomes(
    planned: Mapping[str, tuple[float, float]], scored: Mapping[str, float]
) -> tuple[Outcome, ...]:
    """Each planned component (current, target) against its points in the next cycle.

    >>> [o.met for o in outcomes({"1.1": (1, 2), "1.2": (0, 1), "1.3": (0, 3)}, {"1.1": 2, "1.2": 0.5})]
    [True, False, None]
    """
    return tuple(
        Outcome(component, current, target, scored.get(component))
        for component, (current, target) in planned.items()
    )
