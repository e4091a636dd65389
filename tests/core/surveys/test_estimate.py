"""Estimator behaviour a survey manager meets, worked by hand where R is not the reference."""

from __future__ import annotations

import math

import numpy as np
import pytest

from parindex.core.surveys import DesignError, SurveyDesign, estimate, interval


def test_a_simple_random_sample_gives_the_textbook_mean_and_standard_error() -> None:
    # n = 4 of N = 40: mean 5; s² = ((2−5)² + (4−5)² + (6−5)² + (8−5)²) / 3 = 20/3;
    # SE = sqrt((1 − 4/40) · s² / 4) = sqrt(0.9 · 20/12) = sqrt(1.5)
    design = SurveyDesign.from_columns(4, fpc=[[40, 40, 40, 40]])
    result = estimate(design, np.array([2.0, 4.0, 6.0, 8.0]))
    assert result.estimate[0, 0] == 5.0
    assert result.se[0, 0] == pytest.approx(math.sqrt(1.5), rel=1e-12)
    assert design.weights.tolist() == [10.0] * 4, "weights come from the fpc when none are given"


def test_the_wilson_interval_worked_by_hand() -> None:
    # p = 0.8 with SE 0.04 → n_eff = 0.8 · 0.2 / 0.0016 = 100; z = 1.959964
    # centre = (0.8 + z²/200) / (1 + z²/100); half = z · sqrt(0.0016 + z²/40000) / (1 + z²/100)
    z = 1.959963984540054
    centre = (0.8 + z**2 / 200) / (1 + z**2 / 100)
    half = z * math.sqrt(0.0016 + z**2 / 40000) / (1 + z**2 / 100)
    low, high = interval(
        "wilson", np.array([0.8]), np.array([0.04]), n=np.array([500]), df=np.array([40])
    )
    assert (low[0], high[0]) == pytest.approx((centre - half, centre + half), rel=1e-12)
    assert 0 < low[0] < 0.8 < high[0] < 1


def test_a_proportion_of_one_gets_a_wilson_interval_below_one_from_its_respondents() -> None:
    low, high = interval(
        "wilson", np.array([1.0]), np.array([0.0]), n=np.array([30]), df=np.array([9])
    )
    assert high[0] == pytest.approx(1.0) and 0.85 < low[0] < 1.0


def test_no_logit_interval_with_a_single_degree_of_freedom() -> None:
    low, high = interval(
        "logit", np.array([0.5]), np.array([0.05]), n=np.array([20]), df=np.array([1])
    )
    assert math.isnan(low[0]) and math.isnan(high[0])


def test_a_stratum_with_one_psu_fails_as_in_r_unless_told_otherwise() -> None:
    strata = ["a", "a", "b"]
    with pytest.raises(DesignError, match="only one PSU at stage 1"):
        estimate(SurveyDesign.from_columns(3, strata=strata), np.array([1.0, 2.0, 3.0]))
    removed = estimate(
        SurveyDesign.from_columns(3, strata=strata, lonely_psu="remove"), np.array([1.0, 2.0, 3.0])
    )
    # ȳ = 2, Σw = 3: linearised values (y − 2)/3 = −1/3, 0, 1/3. Stratum a alone contributes:
    # its two totals −1/3 and 0 centred at −1/6 give 2 · (1/6)² = 1/18, times n/(n−1) = 2 → 1/9.
    assert removed.se[0, 0] == pytest.approx(1 / 3, rel=1e-12)


def test_missing_answers_leave_only_their_variable() -> None:
    design = SurveyDesign.from_columns(4)
    values = np.array([[1.0, 1.0], [np.nan, 0.0], [0.0, 1.0], [1.0, np.nan]])
    result = estimate(design, values, variables=("q1", "q2"))
    assert result.n.tolist() == [[3, 3]]
    assert result.estimate[0].tolist() == pytest.approx([2 / 3, 2 / 3])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {
                "fpc": [[0.5, 0.5, 0.5]],
                "clusters": [[1, 2, 3]],
                "strata": None,
                "weights": [1, 1, -1],
            },
            "weights",
        ),
        ({"fpc": [[2, 2, 2]]}, "population of 2, smaller than its 3 sampled"),
        ({"fpc": [[10, 10, 10], [5, 5, 5]]}, "2 fpc columns for 1 stages"),
    ],
    ids=[
        "negative weights",
        "a population smaller than its sample",
        "more fpc columns than stages",
    ],
)
def test_impossible_designs_are_refused_with_the_reason(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(DesignError, match=message):
        SurveyDesign.from_columns(3, **kwargs)  # type: ignore[arg-type]


def test_a_combination_ignores_missing_variables_it_does_not_use() -> None:
    design = SurveyDesign.from_columns(4)
    y = np.array([[1.0, np.nan], [0.0, np.nan], [1.0, np.nan], [1.0, np.nan]])
    result = estimate(design, y, combine=np.eye(2))
    assert result.estimate[0, 0] == 0.75, "an unanswered second item leaves the first alone"
    assert np.isnan(result.estimate[0, 1])


def test_a_missing_cluster_id_is_refused_naming_column_and_row() -> None:
    # R: svydesign(id = ~dnum, ...) with an NA id stops with "missing values in `id`".
    with pytest.raises(DesignError, match="column 'dnum' has no value on row 3"):
        SurveyDesign.from_columns(3, clusters=[["a", "b", ""]], cluster_names=["dnum"])
    with pytest.raises(DesignError, match="column 'xa' has no value on row 3"):
        SurveyDesign.from_columns(3, clusters=[["a", "NA", "b"]], cluster_names=["xa"], first_row=2)


def test_an_fpc_that_varies_within_a_stratum_is_refused_naming_the_stratum() -> None:
    # R only warns ("`fpc' varies within strata: stratum E at stage 1") and goes on.
    with pytest.raises(
        DesignError, match=r"fpc column 'fpc' varies within stratum 'E': 40 on row 2, 41"
    ):
        SurveyDesign.from_columns(
            3,
            strata=["E", "E", "H"],
            fpc=[[40, 41, 30]],
            strata_name="stype",
            fpc_names=["fpc"],
            first_row=2,
        )


def test_a_lonely_psu_is_named_by_its_stratum_and_by_its_cluster_below_stage_one() -> None:
    with pytest.raises(DesignError, match="stratum 'Calaveras' has only one PSU at stage 1"):
        estimate(
            SurveyDesign.from_columns(3, strata=["Alameda", "Alameda", "Calaveras"]),
            np.array([1.0, 2.0, 3.0]),
        )
    two_stage = SurveyDesign.from_columns(
        4,
        clusters=[["d1", "d1", "d2", "d2"], ["s1", "s2", "s3", "s3"]],
        cluster_names=["dnum", "snum"],
        fpc=[[10, 10, 10, 10]],
    )
    with pytest.raises(DesignError, match=r"cluster 'dnum=d2' .* only one PSU at stage 2"):
        estimate(two_stage, np.array([1.0, 2.0, 3.0, 4.0]))


def test_average_spreads_the_other_strata_variance_over_a_lonely_one() -> None:
    # Strata a (2, 4) and b (6): ȳ = 4, Σw = 3, linearised values (y − 4)/3 = −2/3, 0, 2/3.
    # Stratum a: totals −2/3, 0 centred at −1/3 → 2/9, × n/(n−1) = 2 → 4/9. R's "average"
    # gives b the mean of the others: 4/9 × 2 strata ÷ 1 stratum with a variance = 8/9.
    design = SurveyDesign.from_columns(3, strata=["a", "a", "b"], lonely_psu="average")
    result = estimate(design, np.array([2.0, 4.0, 6.0]))
    assert result.se[0, 0] == pytest.approx(math.sqrt(8 / 9), rel=1e-12)


def test_zero_weights_leave_the_degrees_of_freedom_but_not_the_rows() -> None:
    design = SurveyDesign.from_columns(
        6, weights=[1, 1, 0, 0, 1, 1], clusters=[["a", "b", "c", "c", "d", "e"]]
    )
    result = estimate(design, np.array([1.0, 0.0, 1.0, np.nan, 1.0, 0.0]))
    # Clusters a, b, d, e have weight: 4 PSUs − 1 stratum (R's degf); all 6 rows are the design's.
    assert result.df[0, 0] == 3 and result.rows[0, 0] == 6 and result.n[0, 0] == 5
