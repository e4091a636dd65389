"""Which strata the lonely-PSU policy decides: one sampled cluster, not self-representing, at a
stage that adds variance."""

from __future__ import annotations

from parindex.core.surveys.design import SurveyDesign
from parindex.core.surveys.lonely import lonely_strata


def test_a_stratum_with_one_psu_is_lonely_and_names_its_rows() -> None:
    design = SurveyDesign.from_columns(
        6, strata=["a", "a", "b", "b", "b", "b"], clusters=[["1", "1", "2", "2", "3", "3"]]
    )
    (found,) = lonely_strata(design)
    assert found.stage == 1 and found.rows.tolist() == [0, 1]


def test_a_commune_with_one_village_is_lonely_at_stage_two_only_under_an_fpc() -> None:
    strata = ["p"] * 6
    communes = ["c1", "c1", "c2", "c2", "c2", "c2"]
    villages = ["v1", "v1", "v2", "v2", "v3", "v3"]
    with_fpc = SurveyDesign.from_columns(
        6, strata=strata, clusters=[communes, villages], fpc=[[10.0] * 6, [4.0] * 6]
    )
    (found,) = lonely_strata(with_fpc)
    assert found.stage == 2 and found.rows.tolist() == [0, 1]
    without = SurveyDesign.from_columns(6, strata=strata, clusters=[communes, villages])
    assert lonely_strata(without) == [], "without an fpc R adds no variance from stage 2"


def test_a_self_representing_stratum_is_not_lonely() -> None:
    design = SurveyDesign.from_columns(
        4, strata=["a", "a", "b", "b"], clusters=[["1", "1", "2", "3"]], fpc=[[1.0, 1.0, 4.0, 4.0]]
    )
    assert lonely_strata(design) == []
