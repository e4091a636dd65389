"""``ratio_bands``: a rate scored by bands, e.g. 100 % on time → full, ≥ 80 % → half, else 0."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import field_validator

from parindex.core.methodology.rules.bands import Band, band_share, check_bands
from parindex.core.methodology.rules.base import RuleBase, RuleValue, as_ratio


class RatioBandsRule(RuleBase):
    """The share of the first band whose ``min`` the ratio reaches.

    >>> from parindex.core.methodology.rules.base import Ratio
    >>> rule = RatioBandsRule(kind="ratio_bands", bands=[Band(min=1, share=1), Band(min=0.8, share=0.5)])
    >>> rule.score(2.0, Ratio(9, 10)), rule.score(2.0, Ratio(10, 10)), rule.score(2.0, Ratio(7, 10))
    (1.0, 2.0, 0.0)

    With nothing to count (denominator 0) the unit earns ``if_none`` of the maximum: a province
    with no dossiers of a kind failed none of them.
    """

    kind: Literal["ratio_bands"] = "ratio_bands"
    bands: tuple[Band, ...]
    if_none: float = 1.0
    inputs: ClassVar[tuple[str, ...]] = ("numerator", "denominator")

    _check = field_validator("bands")(check_bands)

    def score(self, max_points: float, value: RuleValue) -> float:
        ratio = as_ratio(value).value()
        share = self.if_none if ratio is None else band_share(self.bands, ratio)
        return max_points * share
