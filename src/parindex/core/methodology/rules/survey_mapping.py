"""``survey_mapping``: a survey answer distribution turned into a score in [0, 1], then points.

Two methods: ``answer_weights`` (each answer earns a share of the question's points, e.g. the
100/60/20/0 % of a provincial practice) and ``top_share`` (the share of chosen answers, e.g.
"Hài lòng" + "Rất hài lòng", SIPAS's default).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from parindex.core.methodology.rules.base import RuleBase, RuleValue


class SurveyMappingRule(RuleBase):
    """Points = max × score; the value is answer shares (or counts) by answer code, or a score.

    >>> weights = SurveyMappingRule(
    ...     kind="survey_mapping", method="answer_weights", weights={"A": 1, "B": 0.6, "C": 0.2, "D": 0}
    ... )
    >>> round(weights.score(2.0, {"A": 50, "B": 30, "C": 20, "D": 0}), 10)
    1.44
    >>> top = SurveyMappingRule(kind="survey_mapping", method="top_share", answers=["4", "5"])
    >>> top.score(1.0, {"1": 0.1, "2": 0.1, "3": 0.2, "4": 0.4, "5": 0.2})
    0.6000000000000001
    >>> top.score(10.0, 0.8)
    8.0
    """

    kind: Literal["survey_mapping"] = "survey_mapping"
    method: Literal["answer_weights", "top_share"]
    weights: dict[str, float] = Field(default_factory=dict)
    answers: tuple[str, ...] = ()
    inputs: ClassVar[tuple[str, ...]] = ("answer_shares",)

    @model_validator(mode="after")
    def _parameters_fit_the_method(self) -> SurveyMappingRule:
        if self.method == "answer_weights":
            if not self.weights or self.answers:
                raise ValueError("answer_weights takes 'weights' (answer → share), not 'answers'")
            bad = {a: w for a, w in self.weights.items() if not 0 <= w <= 1}
            if bad:
                raise ValueError(f"weights must lie in [0, 1]: {bad}")
        elif not self.answers or self.weights:
            raise ValueError("top_share takes 'answers' (the codes counted), not 'weights'")
        return self

    def score(self, max_points: float, value: RuleValue) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return max_points * min(max(float(value), 0.0), 1.0)
        if not isinstance(value, Mapping):
            raise TypeError(f"survey_mapping scores answer shares or a score, got {value!r}")
        total = sum(value.values())
        if total <= 0:
            return 0.0
        if self.method == "answer_weights":
            unknown = set(value) - set(self.weights)
            if unknown:
                raise ValueError(f"answers without a weight: {sorted(unknown)}")
            earned = sum(share * self.weights[answer] for answer, share in value.items())
        else:
            earned = sum(share for answer, share in value.items() if answer in self.answers)
        return max_points * earned / total
