"""Weights: raking equals R's ``rake``; non-response and trimming keep totals; diagnostics."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from parindex.core.surveys import SurveyDesign, codes
from parindex.core.surveys.design import DesignError
from parindex.core.surveys.weights import (
    design_weights,
    diagnose,
    nonresponse_adjusted,
    rake,
    trimmed,
)

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "survey"


def column(name: str, field: str) -> np.ndarray:
    with (GOLDEN / name).open(encoding="utf-8") as handle:
        return np.array([row[field] for row in csv.DictReader(handle)], dtype=object)


def test_raking_apistrat_on_two_margins_equals_r() -> None:
    stype, schwide = column("apistrat.csv", "stype"), column("apistrat.csv", "sch.wide")
    design = SurveyDesign.from_columns(
        len(stype), strata=stype, fpc=[column("apistrat.csv", "fpc").astype(float)]
    )
    type_codes = np.array([{"E": 0, "H": 1, "M": 2}[t] for t in stype])
    target_codes = np.array([{"No": 0, "Yes": 1}[t] for t in schwide])
    raked = rake(
        design.weights,
        [(type_codes, {0: 4421, 1: 755, 2: 1018}), (target_codes, {0: 1300, 1: 4894})],
    )
    expected = column("raked_weights.csv", "weight").astype(float)
    assert np.max(np.abs(raked - expected) / expected) < 1e-9
    assert np.bincount(type_codes, weights=raked) == pytest.approx([4421, 755, 1018], rel=1e-12)
    assert np.bincount(target_codes, weights=raked) == pytest.approx([1300, 4894], rel=1e-12)


def test_margins_with_different_grand_totals_do_not_converge_and_say_so() -> None:
    first, second = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    with pytest.raises(DesignError, match="did not converge"):
        rake(np.ones(4), [(first, {0: 10, 1: 10}), (second, {0: 40, 1: 10})], max_iterations=50)


def test_a_category_with_a_total_but_no_respondent_is_refused() -> None:
    with pytest.raises(DesignError, match="has no respondent"):
        rake(np.ones(4), [(np.array([0, 0, 0, 0]), {0: 50, 1: 10})])


def test_non_response_keeps_each_class_total_on_its_respondents() -> None:
    weights = design_weights([0.1, 0.1, 0.1, 0.1, 0.25, 0.25])
    responded = np.array([True, False, True, False, True, True])
    classes = codes(["x", "x", "x", "x", "y", "y"])
    adjusted = nonresponse_adjusted(weights, responded, classes)
    assert adjusted.tolist() == [20.0, 0.0, 20.0, 0.0, 4.0, 4.0]
    assert adjusted.sum() == weights.sum()
    with pytest.raises(DesignError, match="no respondent"):
        nonresponse_adjusted(weights, np.array([True, True, True, True, False, False]), classes)


def test_trimming_caps_extreme_weights_and_keeps_the_total() -> None:
    weights = np.array([1.0] * 9 + [20.0])
    assert diagnose(weights).above_cap == 1
    capped = trimmed(weights, cap=3.5)
    assert capped.sum() == pytest.approx(weights.sum())
    assert capped.max() <= 3.5 * np.median(capped) + 1e-9
    assert diagnose(capped).design_effect < diagnose(weights).design_effect


def test_design_weights_refuse_impossible_probabilities() -> None:
    with pytest.raises(DesignError, match=r"\(0, 1\]"):
        design_weights([0.5, 1.5])


def test_non_response_weight_stays_in_its_village_or_passes_up_to_the_commune() -> None:
    from parindex.core.surveys.weights import adjusted_for_nonresponse

    # Commune A: village 1 (weights 10, 10, 10; one answers), village 2 (20, 20; none answers).
    # Commune B: village 3 (5, 5; both answer). Village 1's respondent carries 30; village 2's
    # 40 passes to commune A's respondents (only that one): 30 + 40 = 70. Village 3 keeps 5, 5.
    weights = np.array([10.0, 10, 10, 20, 20, 5, 5])
    responded = np.array([True, False, False, False, False, True, True])
    village = np.array([0, 0, 0, 1, 1, 2, 2])
    commune = np.array([0, 0, 0, 0, 0, 1, 1])
    adjusted = adjusted_for_nonresponse(weights, responded, [village, commune])
    assert adjusted.tolist() == [70.0, 0, 0, 0, 0, 5.0, 5.0]
    assert adjusted.sum() == weights.sum(), "no weight is lost while a commune has a respondent"
    # Without a level, respondents keep their design weights and the others weigh 0.
    assert adjusted_for_nonresponse(weights, responded, []).tolist() == [10, 0, 0, 0, 0, 5, 5]
