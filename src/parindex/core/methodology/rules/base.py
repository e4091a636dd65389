"""What every scoring-rule kind shares: typed parameters, the values it scores, clipping."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True, slots=True)
class Ratio:
    """A rate as its parts, e.g. dossiers settled on time over dossiers settled."""

    numerator: float
    denominator: float

    def value(self) -> float | None:
        """The ratio, or ``None`` when there is nothing to divide by."""
        if self.denominator == 0:
            return None
        return self.numerator / self.denominator


RuleValue = float | bool | int | Ratio | Mapping[str, float]
"""What a rule scores: points, yes/no, a count, a ratio, or survey answer shares."""


class RuleBase(BaseModel):
    """A scoring rule: ``score(max_points, value)`` gives points in ``[0, max_points]``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    inputs: ClassVar[tuple[str, ...]] = ()
    """Names of the values an official or a system supplies, for forms and workbooks."""

    def score(self, max_points: float, value: RuleValue) -> float:
        raise NotImplementedError


def clip(points: float, max_points: float) -> float:
    """Points held inside ``[0, max_points]``.

    >>> clip(-1, 2), clip(1.5, 2), clip(3, 2)
    (0, 1.5, 2)
    """
    return min(max(points, 0), max_points)


def as_ratio(value: RuleValue) -> Ratio:
    if isinstance(value, Ratio):
        return value
    raise TypeError(f"expected a Ratio(numerator, denominator), got {value!r}")


def as_number(value: RuleValue) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)
