"""The appendix workbook: what parindex writes, and what it reads from officials' own tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from parindex.core.methodology import load_shipped, shipped_edition_ids
from parindex.core.methodology.excel import import_workbook
from parindex.reports.edition_workbook import export_workbook

DEFAULTS = {
    "id": "par-index-province/2026",
    "title_vi": "Bộ chỉ số thử",
    "valid_years": {"first": 2026},
    "status": "illustrative",
    "unit_kinds": ["province"],
    "total_points": 24.5,
}


@pytest.mark.parametrize("edition_id", shipped_edition_ids())
def test_every_shipped_edition_round_trips_through_excel(tmp_path: Path, edition_id: str) -> None:
    edition = load_shipped(edition_id).value
    assert edition is not None
    path = tmp_path / "edition.xlsx"
    export_workbook(edition, path)
    report = import_workbook(path)
    assert report.ok, str(report)
    assert report.value == edition


def test_the_written_workbook_reads_as_an_appendix_table(tmp_path: Path) -> None:
    edition = load_shipped("par-index-province/2023").value
    assert edition is not None
    path = tmp_path / "876.xlsx"
    export_workbook(edition, path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Bộ chỉ số", "Thông tin"]
    sheet = workbook["Bộ chỉ số"]
    assert sheet["A1"].value == edition.title_vi
    assert [c.value for c in sheet[4]][:7] == [
        "STT",
        "Lĩnh vực",
        "Tiêu chí",
        "Tiêu chí thành phần",
        "Điểm tối đa",
        "Tài liệu kiểm chứng",
        "Hướng dẫn chấm điểm",
    ]
    assert [sheet["A5"].value, sheet["B5"].value, sheet["E5"].value] == [
        "1",
        edition.fields[0].name_vi,
        9,
    ]
    assert "B5:D5" in {str(r) for r in sheet.merged_cells.ranges}, (
        "a field's name spans the name columns"
    )
    component_rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[3]]
    assert len(component_rows) == 88
    assert (
        sum(
            row[4]
            for row in sheet.iter_rows(min_row=5, values_only=True)
            if row[0] and len(str(row[0]).split(".")) == 1
        )
        == 100
    )


def official_appendix(path: Path, rows: list[list[object]]) -> None:
    """A table as an office types it: a merged title, Vietnamese headers, one name column."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["PHỤ LỤC: BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"])
    sheet.merge_cells("A1:E1")
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
            "Điểm tối đa",
            "Tài liệu kiểm chứng",
            "Hướng dẫn chấm điểm",
        ]
    )
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def test_an_official_appendix_with_roman_fields_and_decimal_commas_is_read(tmp_path: Path) -> None:
    path = tmp_path / "phu-luc.xlsx"
    official_appendix(
        path,
        [
            ["I", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", "10"],
            ["1", "Kế hoạch cải cách hành chính năm", 4],
            [
                "1.1",
                "Ban hành kế hoạch đúng thời gian quy định",
                2,
                "Kế hoạch CCHC năm",
                "Ban hành trước 15/12: 2 điểm",
            ],
            ["1.2", "Xác định đầy đủ nhiệm vụ", 2, "x"],
            ["2", "Báo cáo cải cách hành chính", "6"],
            [None, None, None],
            ["2.1", "Báo cáo đúng hạn", "6", ""],
            ["II", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "14,5"],
            ["1", "Công khai thủ tục hành chính", "14,5", "Có"],
        ],
    )
    report = import_workbook(path, {**DEFAULTS, "total_points": 24.5})
    assert report.ok, str(report)
    edition = report.value
    assert edition is not None
    assert [(f.id, f.max_points) for f in edition.fields] == [("1", 10.0), ("2", 14.5)]
    plan = edition.fields[0].criteria[0]
    assert (plan.id, [c.id for c in plan.components]) == ("1.1", ["1.1.1", "1.1.2"])
    first = plan.components[0]
    assert (first.evidence_required, first.evidence_vi, first.guidance_vi) == (
        True,
        "Kế hoạch CCHC năm",
        "Ban hành trước 15/12: 2 điểm",
    )
    assert plan.components[1].evidence_required and plan.components[1].evidence_vi == ""
    assert not edition.fields[0].criteria[1].components[0].evidence_required
    leaf = edition.fields[1].criteria[0]
    assert (
        leaf.id,
        leaf.components,
        leaf.scoring is not None and leaf.scoring.evidence_required,
    ) == ("2.1", (), True)


def test_a_sheet_without_a_header_row_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "sai.xlsx"
    workbook = Workbook()
    workbook.active.append(["Tên", "Điểm"])  # type: ignore[union-attr]
    workbook.save(path)
    (finding,) = import_workbook(path, DEFAULTS).findings
    assert finding.code == "excel-layout"
    assert "no header row with 'STT' and 'Điểm tối đa'" in finding.message


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not.xlsx"
    path.write_text("STT;Điểm", "utf-8")
    (finding,) = import_workbook(path, DEFAULTS).findings
    assert finding.code == "excel-layout" and "not an Excel workbook (.xlsx)" in finding.message


def test_bad_cells_are_located_by_row_and_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "phu-luc.xlsx"
    official_appendix(
        path,
        [
            ["I", "Lĩnh vực", 10],
            ["1", "Tiêu chí", 10],
            ["1.1", "Thành phần", "mười"],
            ["", "một dòng có tên nhưng không có STT", 1],
        ],
    )
    findings = import_workbook(path, DEFAULTS).findings
    assert [(f.code, f.line) for f in findings] == [("invalid-value", 6), ("excel-layout", 7)]
    assert "max points 'mười' is not a number" in findings[0].message


def test_sums_that_do_not_add_up_are_reported_at_their_row(tmp_path: Path) -> None:
    path = tmp_path / "phu-luc.xlsx"
    official_appendix(
        path, [["I", "Lĩnh vực", 10], ["1", "Tiêu chí", 10], ["1.1", "Thành phần", 7]]
    )
    (finding,) = import_workbook(path, {**DEFAULTS, "total_points": 10}).findings
    assert (finding.code, finding.line, finding.node) == ("points-mismatch", 5, "1.1")
    assert finding.message == "max_points 10 but its components sum to 7"
