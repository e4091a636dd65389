"""Sample sizes and selections: reproducible, with the right inclusion probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from parindex.core.surveys import SurveyDesign, estimate
from parindex.core.surveys.design import DesignError
from parindex.core.surveys.sampling import (
    simple_random,
    size_for_precision,
    systematic_pps,
    three_stage,
    yamane,
)


@pytest.mark.parametrize(
    ("population", "margin", "expected"),
    [(10_000, 0.05, 385), (500, 0.05, 223), (1_000_000, 0.03, 1110), (100, 0.05, 80)],
    ids=["10,000 at 5 %", "500 at 5 %", "a million at 3 %", "100 at 5 %"],
)
def test_yamane_sizes_worked_by_hand(population: int, margin: float, expected: int) -> None:
    # n = N / (1 + N e²): 10,000 / 26 = 384.6 → 385; 500 / 2.25 = 222.2 → 223;
    # 1,000,000 / 901 = 1109.9 → 1110; 100 / 1.25 = 80
    assert yamane(population, margin) == expected


def test_precision_sizes_follow_the_design_effect_population_and_response() -> None:
    base = size_for_precision(0.05)  # 1.96² · 0.25 / 0.0025 = 384.1 → 385
    assert base == 385
    assert size_for_precision(0.05, design_effect=2) == 769  # 768.3
    assert size_for_precision(0.05, population=1000) == 278  # 384.1 / (1 + 383.1/1000) = 277.7
    assert size_for_precision(0.05, response_rate=0.5) == 769


def test_the_same_seed_draws_the_same_sample() -> None:
    first = simple_random(1000, 50, np.random.default_rng(7))
    again = simple_random(1000, 50, np.random.default_rng(7))
    other = simple_random(1000, 50, np.random.default_rng(8))
    assert first.indices.tolist() == again.indices.tolist() != other.indices.tolist()
    assert first.probabilities.tolist() == [0.05] * 50


def test_pps_probabilities_sum_to_n_and_large_units_are_certain() -> None:
    sizes = np.array([1000.0, 50, 60, 70, 80, 90, 100, 110, 120, 130])
    selection = systematic_pps(sizes, 4, np.random.default_rng(1))
    assert len(selection.indices) == 4
    assert 0 in selection.indices.tolist(), "a unit larger than the sampling interval is certain"
    assert selection.probabilities[selection.indices.tolist().index(0)] == 1.0


def test_pps_selection_frequencies_match_the_probabilities() -> None:
    sizes = np.array([10.0, 20, 30, 40, 50, 60, 70, 80])
    rng = np.random.default_rng(2024)
    counts = np.zeros(len(sizes))
    draws = 4000
    for _ in range(draws):
        counts[systematic_pps(sizes, 3, rng).indices] += 1
    expected = 3 * sizes / sizes.sum()
    assert np.abs(counts / draws - expected).max() < 0.03  # binomial SE ≤ 0.008 at 4,000 draws


def test_a_three_stage_sample_estimates_a_known_population_share() -> None:
    rng = np.random.default_rng(42)
    strata = np.repeat(np.arange(4), 3000)
    communes = np.tile(np.repeat(np.arange(20), 150), 4)
    villages = np.tile(np.repeat(np.arange(5), 30), 80)
    satisfied = (rng.random(12_000) < np.repeat([0.6, 0.7, 0.8, 0.9], 3000)).astype(float)
    sample = three_stage(
        strata,
        communes,
        villages,
        communes_per_stratum=6,
        villages_per_commune=2,
        households_per_village=10,
        rng=np.random.default_rng(3),
    )
    assert len(sample.rows) == 4 * 6 * 2 * 10
    # every household had probability 6/20 · 2/5 · 10/30
    assert sample.probability == pytest.approx(np.full(len(sample.rows), 6 / 20 * 2 / 5 * 10 / 30))
    design = SurveyDesign.from_columns(
        len(sample.rows),
        strata=strata[sample.rows],
        clusters=[communes[sample.rows], villages[sample.rows], sample.rows],
        fpc=[sample.communes_in_stratum, sample.villages_in_commune, sample.households_in_village],
    )
    assert design.weights == pytest.approx(1 / sample.probability)
    result = estimate(design, satisfied[sample.rows])
    truth = satisfied.mean()
    assert abs(result.estimate[0, 0] - truth) < 3 * result.se[0, 0]


def test_impossible_draws_are_refused() -> None:
    with pytest.raises(DesignError, match="cannot draw 11 of 10"):
        simple_random(10, 11, np.random.default_rng(0))
    with pytest.raises(DesignError, match="positive"):
        systematic_pps([1.0, 0.0], 1, np.random.default_rng(0))
