"""The shipped editions validate and match the structures the decisions state (METHODS.md)."""

from __future__ import annotations

from collections import Counter

import pytest

from parindex.core.methodology import Edition, EditionStatus, load_shipped, shipped_edition_ids
from parindex.core.methodology.schema import schema_documents
from parindex.core.methodology.shipped import editions_root


def edition(edition_id: str) -> Edition:
    report = load_shipped(edition_id)
    assert report.ok, str(report)
    assert report.value is not None
    return report.value


def survey_points(e: Edition) -> float:
    return sum(node.max_points for _f, _c, node in e.scored() if node.source.startswith("survey:"))


def test_the_expected_editions_are_shipped() -> None:
    assert set(shipped_edition_ids()) >= {
        "par-index-province/2017",
        "par-index-province/2023",
        "par-index-ministry/2023",
        "sipas/2023",
        "decision-766/2022",
        "circular-01-2018/2018",
        "papi/2018",
        "par-index-provincial-units/2024",
    }


@pytest.mark.parametrize("edition_id", shipped_edition_ids())
def test_every_shipped_edition_validates(edition_id: str) -> None:
    e = edition(edition_id)
    assert e.id == edition_id
    if e.status is EditionStatus.ILLUSTRATIVE:
        assert "MINH HỌA" in e.status_note_vi.upper() or "minh họa" in e.status_note_vi, (
            "illustrative editions say so"
        )


def test_province_2017_follows_decision_2948() -> None:
    e = edition("par-index-province/2017")
    assert [f.max_points for f in e.fields] == [10, 10, 14.5, 11, 16, 7, 16, 15.5]
    assert e.counts()["components"] == 81


@pytest.mark.parametrize(
    ("edition_id", "fields", "criteria", "components", "survey"),
    [
        ("par-index-province/2023", 8, 37, 88, 32.0),
        ("par-index-ministry/2023", 7, 38, 97, 31.5),
    ],
)
def test_decision_876_structures(
    edition_id: str, fields: int, criteria: int, components: int, survey: float
) -> None:
    e = edition(edition_id)
    assert e.counts() == {"fields": fields, "criteria": criteria, "components": components}
    assert e.total_points == 100
    assert survey_points(e) == pytest.approx(survey)
    assert [(b.code, b.min) for b in e.grading.bands][:3] == [("A", 90), ("B", 80), ("C", 70)]  # type: ignore[union-attr]


def test_ministry_fields_have_the_stated_criteria_and_component_counts() -> None:
    e = edition("par-index-ministry/2023")
    stated = [(7, 6), (9, 15), (6, 19), (4, 14), (6, 16), (3, 13), (3, 14)]
    actual = [(len(f.criteria), sum(len(c.components) for c in f.criteria)) for f in e.fields]
    assert actual == stated


def test_sipas_has_two_contents_33_items_and_the_satisfied_share_rule() -> None:
    e = edition("sipas/2023")
    assert [f.id for f in e.fields] == ["I", "II"]
    groups = [(c.id, len(c.components)) for f in e.fields for c in f.criteria]
    assert groups == [
        ("I.A", 2),
        ("I.B", 2),
        ("I.C", 8),
        ("I.D", 2),
        ("II.1", 4),
        ("II.2", 4),
        ("II.3", 5),
        ("II.4", 3),
        ("II.5", 3),
    ]
    assert e.counts()["components"] == 33
    assert [o.name_vi for o in e.answer_scale] == [
        "Rất không hài lòng",
        "Không hài lòng",
        "Bình thường",
        "Hài lòng",
        "Rất hài lòng",
    ]
    rules = {(n.rule.kind, getattr(n.rule, "answers", None), n.source) for _f, _c, n in e.scored()}
    assert rules == {("survey_mapping", ("4", "5"), "survey:citizens")}
    assert e.aggregation.value == "mean"


def test_decision_766_groups_and_capped_ratios() -> None:
    e = edition("decision-766/2022")
    assert [f.max_points for f in e.fields] == [18, 20, 22, 22, 18]
    thresholds = {n.id: n.rule.threshold for _f, _c, n in e.scored()}  # type: ignore[union-attr]
    assert thresholds["3.1"] == 0.8 and thresholds["5.4"] == 0.9
    assert (
        e.grading is not None
        and e.grading.bands[0].min == 90
        and e.grading.bands[-1].name_vi == "Yếu"
    )


def test_circular_01_has_nine_indices_of_two_points_and_both_scales() -> None:
    e = edition("circular-01-2018/2018")
    assert [n.max_points for _f, _c, n in e.scored()] == [2.0] * 9
    assert e.grading is not None and [b.min for b in e.grading.bands] == [15, 12, 9, 6, 0]
    (civil_servant,) = e.other_scales
    assert civil_servant.components == ("1.1", "1.2", "1.3", "1.4", "1.7")
    assert [b.min for b in civil_servant.bands] == [5, 3.5, 0]


def test_papi_has_eight_dimensions_of_ten_points() -> None:
    e = edition("papi/2018")
    assert [f.max_points for f in e.fields] == [10.0] * 8
    assert e.total_points == 80
    assert e.counts()["criteria"] == 28


def test_a_provincial_edition_ranks_departments_and_communes_apart_with_criteria_for_one_kind() -> (
    None
):
    e = edition("par-index-provincial-units/2024")
    assert [g.id for g in e.peer_groups] == ["departments", "communes"]
    kinds = Counter(tuple(k.value for k in n.applies_to) for _f, _c, n in e.scored())
    assert kinds[("department",)] >= 1 and kinds[("commune",)] >= 1


def test_2023_province_fields_replace_their_2017_themes() -> None:
    e = edition("par-index-province/2023")
    assert e.previous == "par-index-province/2017"
    assert [f.replaces for f in e.fields] == [str(i) for i in range(1, 9)]


def test_committed_json_schemas_match_the_models() -> None:
    directory = editions_root() / "schema"
    for name, text in schema_documents().items():
        assert (directory / name).read_text("utf-8") == text, (
            f"{name} is stale: uv run python -m parindex.core.methodology.schema"
        )
