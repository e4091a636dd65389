"""Questionnaires as data: shipped forms load, cover their edition's survey nodes, and travel
through XLSForm (read by pyxform, as ODK and KoboToolbox read them) unchanged."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook

from parindex.core.methodology import load_shipped
from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires
from parindex.core.surveys.xlsform import export_xlsform, import_xlsform

COVERS = {
    "sipas-2023-citizens": ("sipas/2023", "citizens"),
    "par-2023-officials": ("par-index-province/2023", "officials"),
    "par-2023-citizens": ("par-index-province/2023", "citizens"),
    "par-2023-enterprises": ("par-index-province/2023", "enterprises"),
}


@pytest.mark.parametrize("name", sorted(COVERS))
def test_a_shipped_questionnaire_asks_each_survey_node_of_its_group_once(name: str) -> None:
    report = load_questionnaire(shipped_questionnaires()[name])
    assert report.ok, str(report)
    questionnaire = report.value
    assert questionnaire is not None
    edition_id, group = COVERS[name]
    edition = load_shipped(edition_id).value
    assert edition is not None
    expected = {n.id for _f, _c, n in edition.scored() if n.source == f"survey:{group}"}
    asked = Counter(q.node for q in questionnaire.questions() if q.node)
    assert set(asked) == expected and set(asked.values()) == {1}
    assert questionnaire.respondent_group == group


def test_the_sipas_form_has_33_items_on_the_five_point_scale_and_skip_logic() -> None:
    questionnaire = load_questionnaire(shipped_questionnaires()["sipas-2023-citizens"]).value
    assert questionnaire is not None
    items = [q for q in questionnaire.questions() if q.node]
    assert len(items) == 33
    assert [c.label_vi for c in questionnaire.scale("sat5").choices] == [
        "Rất không hài lòng",
        "Không hài lòng",
        "Bình thường",
        "Hài lòng",
        "Rất hài lòng",
    ]
    service_items = [q for q in items if q.node and q.node.startswith("II.")]
    assert all(q.relevant == "${used_service} = 'yes'" for q in service_items), (
        "asked only of service users"
    )


@pytest.mark.parametrize("name", sorted(COVERS))
def test_xlsform_round_trip_is_exact(tmp_path: Path, name: str) -> None:
    questionnaire = load_questionnaire(shipped_questionnaires()[name]).value
    assert questionnaire is not None
    path = tmp_path / f"{name}.xlsx"
    export_xlsform(questionnaire, path)
    back = import_xlsform(path, questionnaire.respondent_group)
    assert back.ok, str(back)
    assert back.value == questionnaire


def form(path: Path, rows: list[list[object]], choices: list[list[object]] | None = None) -> Path:
    workbook = Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    survey.append(["type", "name", "label::Tiếng Việt (vi)"])
    for row in rows:
        survey.append(row)
    sheet = workbook.create_sheet("choices")
    sheet.append(["list_name", "name", "label::Tiếng Việt (vi)"])
    for row in choices or [["yn", "yes", "Có"], ["yn", "no", "Không"]]:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("rows", "message", "line"),
    [
        ([["select_one nolist", "q1", "Câu 1"]], "List name not in choices sheet: nolist", 2),
        (
            [["integer", "q1", "Câu 1"], ["text", "q1", "Câu 2"]],
            "question name 'q1' is used again (first on row 2)",
            3,
        ),
        (
            [["integer", "q1", "Câu 1"], ["geopoint", "where", "Vị trí"]],
            "question type 'geopoint' is not supported",
            3,
        ),
    ],
    ids=["an unknown choice list", "a duplicate question name", "an unsupported question type"],
)
def test_a_bad_form_is_refused_with_its_row(
    tmp_path: Path, rows: list[list[object]], message: str, line: int
) -> None:
    report = import_xlsform(form(tmp_path / "bad.xlsx", rows), "citizens")
    assert report.value is None
    (finding,) = report.findings
    assert message in finding.message
    assert finding.line == line


def test_a_file_that_is_not_a_form_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_text("type,name", "utf-8")
    (finding,) = import_xlsform(path, "citizens").findings
    assert "not a readable XLSForm" in finding.message
