"""Scenario tables per rule kind: what a unit earns for what it did."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from parindex.core.methodology.rules import (
    RULE_KINDS,
    Band,
    CappedRatioRule,
    CountBandsRule,
    ManualRule,
    Ratio,
    RatioBandsRule,
    Rule,
    RuleValue,
    SurveyMappingRule,
    YesNoRule,
)

ON_TIME = RatioBandsRule(bands=(Band(min=1.0, share=1.0), Band(min=0.8, share=0.5)))
INSPECTIONS = CountBandsRule(bands=(Band(min=3, share=1.0), Band(min=1, share=0.5)))
ONLINE = CappedRatioRule(threshold=0.5)
OFFICIALS = SurveyMappingRule(
    method="answer_weights", weights={"A": 1.0, "B": 0.6, "C": 0.2, "D": 0.0}
)
SATISFIED = SurveyMappingRule(method="top_share", answers=("4", "5"))

SCENARIOS: list[tuple[str, object, float, RuleValue, float]] = [
    ("points entered are kept", ManualRule(), 2.0, 1.25, 1.25),
    ("points above the maximum are held at the maximum", ManualRule(), 2.0, 3, 2.0),
    ("negative points are held at zero", ManualRule(), 2.0, -1, 0.0),
    ("a plan issued on time earns full points", YesNoRule(), 1.0, True, 1.0),
    ("no plan earns nothing", YesNoRule(), 1.0, False, 0.0),
    ("a partial credit for 'no' is configurable", YesNoRule(no_share=0.25), 2.0, False, 0.5),
    ("all dossiers on time earns full points", ON_TIME, 2.0, Ratio(120, 120), 2.0),
    ("90 % on time earns the 80 % band's half", ON_TIME, 2.0, Ratio(108, 120), 1.0),
    ("exactly 80 % is in the 80 % band", ON_TIME, 2.0, Ratio(96, 120), 1.0),
    ("below 80 % earns nothing", ON_TIME, 2.0, Ratio(95, 120), 0.0),
    ("no dossiers at all failed none", ON_TIME, 2.0, Ratio(0, 0), 2.0),
    ("half the threshold earns half", ONLINE, 22.0, Ratio(25, 100), 11.0),
    ("the threshold earns all", ONLINE, 22.0, Ratio(50, 100), 22.0),
    ("above the threshold earns no more", ONLINE, 22.0, Ratio(90, 100), 22.0),
    ("three inspections earn full points", INSPECTIONS, 1.0, 3, 1.0),
    ("one inspection earns half", INSPECTIONS, 1.0, 1, 0.5),
    ("no inspection earns nothing", INSPECTIONS, 1.0, 0, 0.0),
    (
        "A/B/C/D answers earn 100/60/20/0 %",
        OFFICIALS,
        1.0,
        {"A": 10, "B": 10, "C": 10, "D": 10},
        0.45,
    ),
    ("answer shares need not sum to one", OFFICIALS, 2.0, {"A": 3, "B": 1}, 2.0 * (3 + 0.6) / 4),
    (
        "satisfied + very satisfied share",
        SATISFIED,
        100.0,
        {"1": 5, "2": 5, "3": 10, "4": 60, "5": 20},
        80.0,
    ),
    ("a survey estimate already in [0, 1] is used as it is", SATISFIED, 10.0, 0.8244, 8.244),
    ("no valid answers earn nothing", SATISFIED, 10.0, {}, 0.0),
]


@pytest.mark.parametrize(
    ("scenario", "rule", "max_points", "value", "expected"),
    SCENARIOS,
    ids=[s[0] for s in SCENARIOS],
)
def test_a_rule_scores_the_scenario(
    scenario: str, rule, max_points: float, value: RuleValue, expected: float
) -> None:  # type: ignore[no-untyped-def]
    assert rule.score(max_points, value) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("kind", sorted(RULE_KINDS))
def test_every_kind_scores_within_zero_and_the_maximum(kind: str) -> None:
    examples = {
        "manual": [(ManualRule(), v) for v in (-5, 0, 1, 9)],
        "yes_no": [(YesNoRule(), v) for v in (True, False)],
        "ratio_bands": [(ON_TIME, Ratio(n, 10)) for n in range(0, 15)],
        "capped_ratio": [(ONLINE, Ratio(n, 10)) for n in range(-2, 15)],
        "count_bands": [(INSPECTIONS, n) for n in range(0, 6)],
        "survey_mapping": [(OFFICIALS, {"A": a, "D": 10 - a}) for a in range(0, 11)],
    }[kind]
    for rule, value in examples:
        assert 0.0 <= rule.score(3.0, value) <= 3.0


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"kind": "capped_ratio", "threshold": 0}, "greater than 0"),
        ({"kind": "capped_ratio"}, "Field required"),
        ({"kind": "ratio_bands", "bands": []}, "at least one band"),
        (
            {"kind": "ratio_bands", "bands": [{"min": 1, "share": 0.5}, {"min": 0.5, "share": 1}]},
            "improving would lose points",
        ),
        ({"kind": "count_bands", "bands": [{"min": 1, "share": 1.5}]}, "less than or equal to 1"),
        ({"kind": "survey_mapping", "method": "top_share"}, "top_share takes 'answers'"),
        (
            {"kind": "survey_mapping", "method": "answer_weights", "weights": {"A": 2}},
            "weights must lie in [0, 1]",
        ),
        ({"kind": "yes_no", "maximum": 3}, "Extra inputs are not permitted"),
        ({"kind": "formula", "expression": "a/b"}, "does not match any of the expected tags"),
    ],
    ids=lambda v: str(v)[:50],
)
def test_parameters_that_do_not_fit_the_kind_are_refused(
    parameters: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError, match=message.replace("[", r"\[").replace("]", r"\]")):
        TypeAdapter(Rule).validate_python(parameters)


def test_a_rule_refuses_a_value_of_the_wrong_shape() -> None:
    with pytest.raises(TypeError, match="Ratio"):
        ON_TIME.score(1.0, 0.9)
    with pytest.raises(TypeError, match="True or False"):
        YesNoRule().score(1.0, 1)
    with pytest.raises(ValueError, match="without a weight"):
        OFFICIALS.score(1.0, {"E": 1})
