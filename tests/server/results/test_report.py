"""Reports of published results, opened as their readers would: the national PDF and a unit's
report card in Vietnamese and English (text read back from the PDF), and the Excel workbook."""

from __future__ import annotations

import io

import numpy as np
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from parindex.reports.results_report import pdf, workbook
from parindex.server.results.models import Publication
from parindex.server.results.services.report import ReportError, national_report, unit_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def years(reference_units: None) -> dict[int, Publication]:
    from parindex.server.demo.results import build_published_years

    return {p.year: p for p in build_published_years(np.random.default_rng(7))}


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_national_report_in_vietnamese_and_english(years) -> None:  # type: ignore[no-untyped-def]
    first = years[2024].rows.filter(node="").select_related("unit").order_by("rank").first()
    steps: list[tuple[int, int]] = []
    vietnamese = text_of(
        pdf(national_report("par-index-province", 2024, "vi"), lambda d, t: steps.append((d, t)))
    )
    assert "Chỉ số CCHC cấp tỉnh (PAR INDEX) 2024" in vietnamese
    assert "Trung bình cả nước 88,37 63" in vietnamese
    assert "Dữ liệu giả lập" in vietnamese, "synthetic data is said so"
    assert first.unit.name_vi.split()[-1] in vietnamese and "1/63" in vietnamese
    assert f"{first.pct:.2f}".replace(".", ",") in vietnamese
    assert "không so sánh được" in vietnamese, "the trend chart's break, drawn as SVG"
    assert steps[-1][0] == steps[-1][1] == 4, "three charts and the typesetting"
    english = text_of(pdf(national_report("par-index-province", 2024, "en"), None))
    assert "PAR INDEX of provinces 2024" in english and "National average 88.37 63" in english


def test_a_unit_report_card_is_two_to_four_pages(years) -> None:  # type: ignore[no-untyped-def]
    data = pdf(unit_report("par-index-province", "province:20", "vi"), None)
    assert 1 <= len(PdfReader(io.BytesIO(data)).pages) <= 4
    text = text_of(data)
    row = years[2024].rows.get(unit__ref="province:20", node="")
    assert "Tỉnh Lạng Sơn" in text and row.rank_label in text
    assert "Lịch sử" in text and "Các lĩnh vực" in text
    with pytest.raises(ReportError):
        unit_report("par-index-province", "province:nowhere", "vi")


def test_the_workbook_holds_the_full_tables_as_numbers(years) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(workbook(national_report("par-index-province", 2024, "vi"))))
    assert book.sheetnames[0] == "Nguồn"
    ranking = book["Bảng xếp hạng"]
    header = [c.value for c in ranking[1]]
    assert header[:4] == ["Xếp hạng", "Đơn vị", "Điểm", "Nhóm"] and len(header) == 5 + 8
    assert ranking.max_row == 1 + 63
    values = [ranking.cell(row=r, column=3).value for r in range(2, 65)]
    assert all(isinstance(v, (int, float)) for v in values), "numbers, not text"
    assert round(sum(values) / 63 + 1e-9, 2) == 88.37
