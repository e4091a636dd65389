"""Sobol indices and the one-at-a-time view on cases where the answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from parindex.core.scoring.sensitivity import (
    MESSAGES,
    Statement,
    one_at_a_time,
    one_at_a_time_all,
    sobol,
)
from parindex.core.scoring.uncertainty import FIELD_WEIGHTS, ROUNDING, SURVEY, model_of
from tests.core.scoring.uncertain_cases import draws_for, points_table, uneven_edition

# A: field 1 4/4, field 2 8/16 → 60 %, with equal field weights 75 %.
# B: field 1 0/4, field 2 16/16 → 80 %, with equal field weights 50 %.
# C: 14/20 = 70 %, with equal weights (50 + 75) / 2 = 62.5 %: second either way.
# So A is third, or first with equal weights; B first, or third.
# Rounding to 0 decimals changes none of these: the ranks depend on the weighting alone.
UNITS = {
    "A": {"1.1.1": 4.0, "2.1.1": 4.0, "2.1.2": 4.0},
    "B": {"1.1.1": 0.0, "2.1.1": 8.0, "2.1.2": 8.0},
    "C": {"1.1.1": 2.0, "2.1.1": 6.0, "2.1.2": 6.0},
}


def uneven_model():  # type: ignore[no-untyped-def]
    edition = uneven_edition(
        field_weights=[{"id": "equal", "name_en": "equal field weights", "equal": True}],
        rounding_decimals=[0],
    )
    return model_of(points_table(edition, UNITS))


def test_the_weighting_explains_all_of_a_rank_that_only_it_moves() -> None:
    indices = sobol(uneven_model(), base_samples=512, seed=2)
    assert indices.factors == (FIELD_WEIGHTS, ROUNDING)
    for unit in ("A", "B"):
        weights, rounding = indices.for_unit(unit)[FIELD_WEIGHTS], indices.for_unit(unit)[ROUNDING]
        assert weights[0] == pytest.approx(1, abs=0.1) and weights[1] == pytest.approx(1, abs=0.1)
        assert abs(rounding[0]) < 0.05 and abs(rounding[1]) < 0.05
    # C is second in every scenario: nothing to explain.
    assert indices.for_unit("C") == {FIELD_WEIGHTS: (0.0, 0.0), ROUNDING: (0.0, 0.0)}


def test_survey_sampling_is_a_factor_when_draws_are_given() -> None:
    edition = uneven_edition(field_weights=[{"id": "equal", "equal": True}])
    table = points_table(edition, UNITS)
    rng = np.random.default_rng(0)
    # C's survey component swings widely: it overtakes A and B in about half the draws.
    draws = draws_for(table, {("C", "2.1.2"): rng.choice([0.0, 8.0], 256)}, 256)
    indices = sobol(model_of(table, draws=draws), base_samples=256, seed=1)
    assert indices.factors == (SURVEY, FIELD_WEIGHTS)
    c_survey = indices.for_unit("C")[SURVEY]
    assert c_survey[1] > 0.5  # C's rank is mostly the survey's doing


def test_one_at_a_time_says_in_plain_words_what_the_rank_would_be() -> None:
    statements = {s.params["option"]: s for s in one_at_a_time(uneven_model(), "A")}
    weighting = statements["equal field weights"]
    assert weighting == Statement(
        "oat.field_weights.changes",
        {"option": "equal field weights", "rank": 1, "published": 3, "value": "equal"},
    )
    assert (
        weighting.text()
        == "With the field weighting “equal field weights” your rank would be 1, not 3."
    )
    assert statements["0"].text() == "Rounded to 0 decimals your rank would stay 3."


def test_the_sentences_of_every_unit_at_once_are_each_units_own() -> None:
    model = uneven_model()
    every = one_at_a_time_all(model)
    assert set(every) == {"A", "B", "C"}
    for unit in ("A", "B", "C"):
        assert every[unit] == one_at_a_time(model, unit)
    # B is first as published, third with equal field weights (the comment at the top).
    assert every["B"][0].params == {
        "option": "equal field weights",
        "rank": 3,
        "published": 1,
        "value": "equal",
    }


def test_every_message_code_has_its_text_and_uses_only_known_parameters() -> None:
    for code, text in MESSAGES.items():
        assert text.format(option="x", rank=1, published=2), code
