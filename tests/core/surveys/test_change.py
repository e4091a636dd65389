"""Significance of a SIPAS change between two years, on the Lạng Sơn case of the source
articles: SIPAS 2022 75.44 % from 486 ballots in 3 districts, a fall of 11.63 points."""

from __future__ import annotations

import math

import numpy as np
import pytest

from parindex.core.surveys import SurveyDesign, estimate
from parindex.core.surveys.change import changes

ITEMS = 33
PER_DISTRICT = 162  # 3 districts × 162 = 486 ballots


def year(district_totals: list[int]) -> tuple[SurveyDesign, np.ndarray]:
    """486 ballots; each ballot's score is the share of the 33 items it was satisfied with, and
    district i's ballots were satisfied with ``district_totals[i]`` items in all."""
    scores, districts = [], []
    for district, total in enumerate(district_totals):
        base, extra = divmod(total, PER_DISTRICT)
        satisfied = np.full(PER_DISTRICT, base)
        satisfied[:extra] += 1
        scores.append(satisfied / ITEMS)
        districts += [f"huyen-{district}"] * PER_DISTRICT
    design = SurveyDesign.from_columns(len(districts), clusters=[districts])
    return design, np.concatenate(scores)


LANG_SON_2022 = [3900, 4050, 4149]  # 12,099 of 486 × 33 = 16,038 answers satisfied: 75.44 %
LANG_SON_2021 = [4600, 4650, 4714]  # 13,964 of 16,038: 87.07 %


def sipas(totals: list[int]):  # type: ignore[no-untyped-def]
    design, scores = year(totals)
    return estimate(design, scores, domain_labels=("Lạng Sơn",), variables=("index",))


def test_the_lang_son_fall_of_11_63_points_is_significant_worked_by_hand() -> None:
    now, then = sipas(LANG_SON_2022), sipas(LANG_SON_2021)
    (change,) = changes(now, then)

    # By hand. One stratum, 3 districts (PSUs) of equal size, no fpc, equal weights: the mean is
    # the mean of the district means m_i, and its linearised variance is Σ(m_i − m̄)² / (n(n−1)).
    m22 = [3900 / 5346, 4050 / 5346, 4149 / 5346]  # 5,346 = 162 ballots × 33 items
    mean22 = 12099 / 16038  # 0.754396
    var22 = sum((m - mean22) ** 2 for m in m22) / (3 * 2)  # 0.0010998710 / 6
    m21 = [4600 / 5346, 4650 / 5346, 4714 / 5346]
    mean21 = 13964 / 16038  # 0.870682
    var21 = sum((m - mean21) ** 2 for m in m21) / (3 * 2)  # 0.0002285071 / 6
    difference = mean22 - mean21  # −0.116286: the published −11.63 points
    se = math.sqrt(var22 + var21)  # √(0.013539² + 0.006171²) = 0.014880
    low, high = difference - 1.959964 * se, difference + 1.959964 * se  # (−0.1454, −0.0871)

    assert round(mean22 * 100, 2) == 75.44 and round(difference * 100, 2) == -11.63
    assert change.current == pytest.approx(mean22, rel=1e-12)
    assert change.difference == pytest.approx(difference, rel=1e-12)
    assert change.se == pytest.approx(se, rel=1e-12)
    assert (change.ci_low, change.ci_high) == pytest.approx((low, high), rel=1e-6)
    assert round(change.ci_low * 100, 2) == -14.54 and round(change.ci_high * 100, 2) == -8.71
    assert change.significant and change.p_value < 1e-12


def test_a_fall_of_two_points_on_the_same_ballots_is_not_significant() -> None:
    # 2022 districts further apart, 13,643 satisfied in all: 85.07 %, two points below 2021.
    (change,) = changes(sipas([4300, 4800, 4543]), sipas(LANG_SON_2021))
    assert round(change.difference * 100, 2) == -2.0
    assert change.ci_low < 0 < change.ci_high
    assert not change.significant


def test_only_estimates_present_in_both_years_are_compared() -> None:
    now = estimate(*year(LANG_SON_2022), domain_labels=("LS",), variables=("index",))
    then = estimate(*year(LANG_SON_2021), domain_labels=("HN",), variables=("index",))
    assert changes(now, then) == ()
