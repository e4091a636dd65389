"""``count_bands``: a count scored by bands, e.g. three or more inspections → full points."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import field_validator

from parindex.core.methodology.rules.bands import Band, band_share, check_bands
from parindex.core.methodology.rules.base import RuleBase, RuleValue, as_number


class CountBandsRule(RuleBase):
    """The share of the first band whose ``min`` the count reaches.

    >>> rule = CountBandsRule(kind="count_bands", bands=[Band(min=3, share=1), Band(min=1, share=0.5)])
    >>> rule.score(1.0, 4), rule.score(1.0, 2), rule.score(1.0, 0)
    (1.0, 0.5, 0.0)
    """

    kind: Literal["count_bands"] = "count_bands"
    bands: tuple[Band, ...]
    inputs: ClassVar[tuple[str, ...]] = ("count",)

    _check = field_validator("bands")(check_bands)

    def score(self, max_points: float, value: RuleValue) -> float:
        return max_points * band_share(self.bands, as_number(value))
