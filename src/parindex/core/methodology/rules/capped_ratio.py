"""``capped_ratio``: points = max × min(1, rate ÷ threshold) (Decision 766's indicators)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from parindex.core.methodology.rules.base import RuleBase, RuleValue, as_ratio


class CappedRatioRule(RuleBase):
    """Full points from ``threshold`` upwards, proportional below it.

    >>> from parindex.core.methodology.rules.base import Ratio
    >>> rule = CappedRatioRule(kind="capped_ratio", threshold=0.8)
    >>> rule.score(12.0, Ratio(40, 100)), rule.score(12.0, Ratio(90, 100))
    (6.0, 12.0)
    """

    kind: Literal["capped_ratio"] = "capped_ratio"
    threshold: float = Field(gt=0, le=1)
    if_none: float = Field(default=1.0, ge=0, le=1)
    inputs: ClassVar[tuple[str, ...]] = ("numerator", "denominator")

    def score(self, max_points: float, value: RuleValue) -> float:
        ratio = as_ratio(value).value()
        if ratio is None:
            return max_points * self.if_none
        return max_points * min(1.0, max(ratio, 0.0) / self.threshold)
