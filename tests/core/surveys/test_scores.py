"""SIPAS indices from answers, and PAR survey components turned into points."""

from __future__ import annotations

import numpy as np
import pytest

from parindex.core.methodology import load_shipped
from parindex.core.surveys import SurveyDesign, component_points, estimate, survey_estimates

SIPAS = load_shipped("sipas/2023").value
PAR = load_shipped("par-index-province/2023").value
assert SIPAS is not None and PAR is not None


def answers_for(
    edition, rows: int, rng: np.random.Generator, choices: list[str]
) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
    return {
        n.id: rng.choice(np.array([*choices, ""], dtype=object), rows)
        for _f, _c, n in edition.scored()
    }


def test_sipas_groups_contents_and_index_are_means_of_the_level_below() -> None:
    rng = np.random.default_rng(5)
    rows = 400
    design = SurveyDesign.from_columns(
        rows, strata=rng.choice(["a", "b"], rows), weights=rng.uniform(1, 3, rows)
    )
    answers = answers_for(SIPAS, rows, rng, ["1", "2", "3", "4", "5"])
    result = survey_estimates(design, answers, SIPAS)
    value = dict(zip(result.variables, result.estimate[0], strict=True))
    assert len(result.variables) == 33 + 9 + 2 + 1
    # item I.A.1: the weighted share of 4 and 5 among those who answered
    item = np.array([a in ("4", "5") for a in answers["I.A.1"]], dtype=float)
    answered = answers["I.A.1"] != ""
    w = design.weights
    assert value["I.A.1"] == pytest.approx(
        (w * item)[answered].sum() / w[answered].sum(), rel=1e-12
    )
    assert value["I.A"] == pytest.approx((value["I.A.1"] + value["I.A.2"]) / 2, rel=1e-12)
    groups_i = [value[g] for g in ("I.A", "I.B", "I.C", "I.D")]
    assert value["I"] == pytest.approx(np.mean(groups_i), rel=1e-12)
    assert value["index"] == pytest.approx((value["I"] + value["II"]) / 2, rel=1e-12)
    se = dict(zip(result.variables, result.se[0], strict=True))
    assert 0 < se["index"] < se["I.A.1"], "averaging many items narrows the interval"


def test_a_groups_se_is_the_se_of_the_mean_of_its_item_scores_per_respondent_when_all_answer() -> (
    None
):
    # With no missing answers, the mean of item shares equals the share of a per-respondent
    # average, so both routes must give the same estimate and standard error.
    rng = np.random.default_rng(9)
    rows = 300
    design = SurveyDesign.from_columns(rows, clusters=[rng.integers(0, 30, rows)])
    answers = answers_for(SIPAS, rows, rng, ["2", "4", "5"])
    answers = {k: np.where(v == "", "4", v) for k, v in answers.items()}
    result = survey_estimates(design, answers, SIPAS)
    items = ["I.C.5", "I.C.6", "I.C.7", "I.C.8", "I.C.9", "I.C.10", "I.C.11", "I.C.12"]
    per_person = np.mean([np.isin(answers[i], ["4", "5"]).astype(float) for i in items], axis=0)
    direct = estimate(design, per_person)
    j = result.variables.index("I.C")
    assert result.estimate[0, j] == pytest.approx(direct.estimate[0, 0], rel=1e-12)
    assert result.se[0, j] == pytest.approx(direct.se[0, 0], rel=1e-10)


def test_par_survey_components_become_points_by_their_rule_per_province() -> None:
    rng = np.random.default_rng(11)
    rows = 200
    province = rng.choice(["Lạng Sơn", "Hà Nội"], rows)
    design = SurveyDesign.from_columns(rows, strata=province)
    survey_nodes = [n for _f, _c, n in PAR.scored() if n.source.startswith("survey:")]
    answers = {
        n.id: rng.choice(np.array(["A", "B", "C", "D", "4", "5", "1"], dtype=object), rows)
        for n in survey_nodes
    }
    labels = ("Hà Nội", "Lạng Sơn")
    domains = np.array([labels.index(p) for p in province])
    scores = survey_estimates(design, answers, PAR, domains, labels)
    points = component_points(scores, PAR)
    node = survey_nodes[0]  # officials' survey: A/B/C/D weighted 1/0.6/0.2/0
    mine = province == "Lạng Sơn"
    mapped = np.array(
        [{"A": 1.0, "B": 0.6, "C": 0.2, "D": 0.0}.get(a, np.nan) for a in answers[node.id]]
    )
    valid = mine & ~np.isnan(mapped)
    assert points["Lạng Sơn"][node.id] == pytest.approx(
        node.max_points * mapped[valid].mean(), rel=1e-12
    )
    assert set(points["Hà Nội"]) == {n.id for n in survey_nodes}
    assert all(0 <= p <= PAR_MAX[k] for k, p in points["Hà Nội"].items())


PAR_MAX = {n.id: n.max_points for _f, _c, n in PAR.scored()}
