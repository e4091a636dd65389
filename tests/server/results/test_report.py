"""Reports of published results, opened as their readers would: the national PDF and a unit's
report card in Vietnamese and English (text read back from the PDF), and the Excel workbook;
the averages by socio-economic region worked out from the region file and the published rows,
and the geographic map drawn only when a boundary file is configured."""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from parindex.reports.results_report import pdf, workbook
from parindex.server.results.models import Publication
from parindex.server.results.services.report import ReportError, national_report, unit_report
from tests.shared_geo import shared_geo

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
    assert steps[-1][0] == steps[-1][1] == 5, "four charts and the typesetting"
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


REGIONS_VI = {
    "dbsh": "Đồng bằng sông Hồng",
    "tdmnpb": "Trung du và miền núi phía Bắc",
    "btb-dhmt": "Bắc Trung Bộ và Duyên hải miền Trung",
    "tn": "Tây Nguyên",
    "dnb": "Đông Nam Bộ",
    "dbscl": "Đồng bằng sông Cửu Long",
}
"""GSO's names, in its order (north to south), written out here rather than read from the code."""


def regional_means(publication: Publication) -> dict[str, tuple[float, int]]:
    """region code → (mean of the published %, units), from the data file and the rows."""
    path = Path(__file__).parents[3] / "src/parindex/core/units/data/regions_63.csv"
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    region = {row["ref"]: row["region"] for row in csv.DictReader(lines)}
    found: dict[str, list[float]] = {}
    for ref, pct in publication.rows.filter(node="").values_list("unit__ref", "pct"):
        found.setdefault(region[ref], []).append(pct)
    return {code: (statistics.fmean(v), len(v)) for code, v in found.items()}


def number(text: str) -> float:
    return float(text.replace(",", "."))


def test_the_national_report_has_the_averages_by_region(years) -> None:  # type: ignore[no-untyped-def]
    expected = regional_means(years[2024])
    assert {code: n for code, (_m, n) in expected.items()} == {
        "dbsh": 11,
        "tdmnpb": 14,
        "btb-dhmt": 14,
        "tn": 5,
        "dnb": 6,
        "dbscl": 13,
    }
    text = text_of(pdf(national_report("par-index-province", 2024, "vi")))
    table = text[text.index("Điểm trung bình theo vùng kinh tế - xã hội") :]
    positions = []
    for code, name in REGIONS_VI.items():
        row = re.search(rf"{name} (\d+,\d\d) (\d+)\n", table)
        assert row is not None, name
        mean, units = expected[code]
        assert number(row[1]) == pytest.approx(mean, abs=0.005 + 1e-9), name
        assert int(row[2]) == units
        positions.append(row.start())
    assert positions == sorted(positions), "north to south, as GSO lists them"
    assert "Trung bình theo vùng kinh tế - xã hội" in table, "the chart's title, drawn as SVG"
    english = text_of(pdf(national_report("par-index-province", 2024, "en")))
    row = re.search(r"Central Highlands (\d+\.\d\d) 5\n", english)
    assert row is not None and float(row[1]) == pytest.approx(expected["tn"][0], abs=0.005 + 1e-9)


def test_a_province_s_report_card_gives_its_region_s_average(years) -> None:  # type: ignore[no-untyped-def]
    text = text_of(pdf(unit_report("par-index-province", "province:68", "vi")))  # Lâm Đồng
    mean = {year: regional_means(p)["tn"][0] for year, p in years.items()}
    assert re.search(r"Vùng kinh tế - xã hội\s+Tây Nguyên", text)
    shown = re.search(r"Trung bình của vùng\s+(\d+,\d\d)", text)
    assert shown is not None and number(shown[1]) == pytest.approx(mean[2024], abs=0.005 + 1e-9)
    assert re.search(r"Số đơn vị của vùng có điểm\s+công bố\s+5", text)
    history = text[text.index("Lịch sử") :]
    row = years[2020].rows.get(unit__ref="province:68", node="")
    line = re.search(rf"2020 {row.pct:.2f} ".replace(".", ",") + r".*", history)
    assert line is not None, "the history's 2020 row"
    score, national, regional = (number(v) for v in re.findall(r"\d+,\d\d", line[0]))
    assert (score, national) == (row.pct, 83.72)
    assert regional == pytest.approx(mean[2020], abs=0.005 + 1e-9), "that year's regional mean"


def test_the_workbook_has_a_sheet_of_regional_averages(years) -> None:  # type: ignore[no-untyped-def]
    book = load_workbook(io.BytesIO(workbook(national_report("par-index-province", 2024, "vi"))))
    sheet = book["Trung bình theo vùng"]
    assert [c.value for c in sheet[1]] == ["Vùng kinh tế - xã hội", "Trung bình", "Đơn vị"]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert [r[0] for r in rows] == list(REGIONS_VI.values())
    expected = regional_means(years[2024])
    for (name, mean, units), code in zip(rows, REGIONS_VI, strict=True):
        assert isinstance(mean, float), "a number, not text"
        assert mean == pytest.approx(expected[code][0], abs=0.005 + 1e-9), name
        assert units == expected[code][1]


GROUP_FILLS = {"A": (26, 127, 55), "B": (79, 143, 192)}
"""The map's group colours (#1a7f37, #4f8fc0) as the PDF's fill colour operands."""


def fills(data: bytes) -> Counter[str]:
    """How many shapes of the document are filled with each group's colour."""
    counts: Counter[str] = Counter()
    for page in PdfReader(io.BytesIO(data)).pages:
        content = page.get_contents()
        stream = content.get_data().decode("latin-1") if content is not None else ""
        for found in re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) scn", stream):
            rgb = tuple(round(float(v) * 255) for v in found.groups())
            for group, colour in GROUP_FILLS.items():
                if rgb == colour:
                    counts[group] += 1
    return counts


def test_a_boundary_file_adds_the_geographic_map_to_the_national_report(  # type: ignore[no-untyped-def]
    years, settings
) -> None:
    settings.PARINDEX_BOUNDARIES = ()
    plain = pdf(national_report("par-index-province", 2024, "vi"))
    settings.PARINDEX_BOUNDARIES = (str(shared_geo("vn-provinces-63.topo.json")),)
    steps: list[tuple[int, int]] = []
    mapped = pdf(
        national_report("par-index-province", 2024, "vi"), lambda d, t: steps.append((d, t))
    )
    title = "Bản đồ địa lý các tỉnh, thành phố: Nhóm"
    assert title not in text_of(plain)
    assert steps[-1] == (6, 6), "one chart more than without the file"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(mapped)).pages]
    (page,) = [p for p in pages if title in p]
    assert page.count(title) == 2, "the section's heading and the chart's own title"
    assert "chưa công bố điểm" in page, "the legend, with a class for provinces without a score"
    # Each province is one shape in its group's colour (13 in A, 50 in B) plus a legend swatch.
    added = fills(mapped) - fills(plain)
    assert added == Counter({"A": 13 + 1, "B": 50 + 1})
