"""``manual``: the points are given directly, by a person or by an indicator already in points."""

from __future__ import annotations

from typing import ClassVar, Literal

from parindex.core.methodology.rules.base import RuleBase, RuleValue, as_number, clip


class ManualRule(RuleBase):
    """Points as entered, held within ``[0, max]``.

    >>> ManualRule(kind="manual").score(2.0, 1.5)
    1.5
    >>> ManualRule(kind="manual").score(2.0, 7)
    2.0
    """

    kind: Literal["manual"] = "manual"
    inputs: ClassVar[tuple[str, ...]] = ("points",)

    def score(self, max_points: float, value: RuleValue) -> float:
        return float(clip(as_number(value), max_points))
