"""``yes_no``: full points when a requirement is met (e.g. the yearly PAR plan was issued on time)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from parindex.core.methodology.rules.base import RuleBase, RuleValue


class YesNoRule(RuleBase):
    """``yes_share`` of the maximum for yes, ``no_share`` for no.

    >>> YesNoRule(kind="yes_no").score(1.0, True), YesNoRule(kind="yes_no").score(1.0, False)
    (1.0, 0.0)
    >>> YesNoRule(kind="yes_no", no_share=0.5).score(2.0, False)
    1.0
    """

    kind: Literal["yes_no"] = "yes_no"
    yes_share: float = Field(default=1.0, ge=0, le=1)
    no_share: float = Field(default=0.0, ge=0, le=1)
    inputs: ClassVar[tuple[str, ...]] = ("yes",)

    def score(self, max_points: float, value: RuleValue) -> float:
        if not isinstance(value, bool):
            raise TypeError(f"yes_no scores True or False, got {value!r}")
        return max_points * (self.yes_share if value else self.no_share)
