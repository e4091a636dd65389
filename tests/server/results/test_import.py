"""Importing results published elsewhere: the real (partial) tables of PAR INDEX, SIPAS and PAPI,
their stated aggregates, and files with faults (each named by line and column; nothing stored)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.server.results.models import Publication, ResultRow, Status
from parindex.server.results.services.imports import counts_by_group, import_results

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "published"


def imported(name: str, index: str, **options: object) -> tuple[Publication, ...]:
    report = import_results(GOLDEN / name, index, **options)  # type: ignore[arg-type]
    assert report.value is not None, str(report)
    return report.value.publications


def index_rows(publication: Publication) -> dict[str, ResultRow]:
    return {
        row.unit.name_vi: row for row in publication.rows.filter(node="").select_related("unit")
    }


def test_the_2024_province_table_keeps_what_was_published_and_what_was_not(
    reference_units: None,
) -> None:
    (publication,) = imported(
        "par_index_2024_provinces.csv", "par-index-province", year=2024, ranked_of=63
    )
    rows = index_rows(publication)
    hai_phong = rows["Thành phố Hải Phòng"]
    assert (hai_phong.pct, hai_phong.rank_label, hai_phong.group, hai_phong.change_pct) == (
        96.17,
        "1/63",
        "A",
        4.30,
    )
    assert rows["Tỉnh Bà Rịa - Vũng Tàu"].status == Status.NOT_PUBLISHED
    assert rows["Tỉnh Bà Rịa - Vũng Tàu"].rank_label == "2/63", "the rank alone was published"
    assert rows["Tỉnh Cao Bằng"].rank_label == "63/63"
    assert rows["Tỉnh Lai Châu"].change_pct == 0.19 and rows["Tỉnh Lai Châu"].pct is None
    # The source's own aggregates, read from its description, for pages to show as stated.
    assert publication.stated == {"national_average": "88.37", "group_A": "13", "group_B": "50"}
    assert "vietnamplus" in hai_phong.source or "baomoi" in hai_phong.source


def test_the_2021_table_reproduces_its_stated_group_counts_at_both_ends(
    reference_units: None,
) -> None:
    """The file states 3 provinces at 90 % or more and 1 (Kiên Giang) below 80 %, and lists
    ranks 1-5 and 63 with their scores: these ends of the table are complete."""
    (publication,) = imported(
        "par_index_2021_provinces.csv", "par-index-province", year=2021, ranked_of=63
    )
    counts = counts_by_group(publication)
    assert counts["A"] == 3
    assert counts.get("C", 0) + counts.get("D", 0) == 1
    assert index_rows(publication)["Tỉnh Kiên Giang"].rank_label == "63/63"
    assert index_rows(publication)["Thành phố Huế"].pct == 89.32, "Thừa Thiên Huế is Huế now"


def test_a_file_of_several_years_makes_one_publication_per_year(reference_units: None) -> None:
    publications = imported("par_index_ministries_2012_2023_partial.csv", "par-index-ministry")
    years = [p.year for p in publications]
    assert years == sorted(set(years)) and {2012, 2017, 2022, 2023} <= set(years)
    year_2023 = next(p for p in publications if p.year == 2023)
    justice = index_rows(year_2023)["Bộ Tư pháp"]
    assert (justice.pct, justice.rank) == (89.95, 1)


def test_papi_totals_keep_stated_averages_and_last_needs_the_number_ranked(
    reference_units: None,
) -> None:
    report = import_results(GOLDEN / "papi_province_totals_partial.csv", "papi")
    assert report.value is None
    assert [(f.line, f.message) for f in report.findings] == [
        (25, "column 'rank': 'last' needs the number of units ranked"),
        (32, "column 'rank': 'last' needs the number of units ranked"),
    ]
    assert not Publication.objects.exists(), "nothing imported on error"
    publications = imported("papi_province_totals_partial.csv", "papi", ranked_of=63)
    by_year = {p.year: p for p in publications}
    assert by_year[2023].stated["national_average"] == "42.3265"
    assert by_year[2023].stated["bottom_5_range"] == "38.97-39.95"
    assert by_year[2021].scale_max == 80
    assert index_rows(by_year[2021])["Tỉnh Điện Biên"].rank_label == "63/63"
    dimensions = imported("papi_province_dimension_points.csv", "papi")
    hue_2019 = next(p for p in dimensions if p.year == 2019)
    points = dict(hue_2019.rows.exclude(node="").values_list("node", "pct"))
    assert points["d1"] == 5.24 and points["d8"] == 4.31 and len(points) == 8
    names = dict(hue_2019.nodes.values_list("node", "name_en"))
    assert names["d4"] == "Control of corruption in the public sector"
    ha_tinh_2015 = next(p for p in dimensions if p.year == 2015)
    statuses = dict(ha_tinh_2015.rows.exclude(node="").values_list("node", "status"))
    assert statuses["d7"] == statuses["d8"] == Status.NOT_PUBLISHED, "2015 had six dimensions"


def test_sipas_ranks_of_63_and_units_without_a_figure(reference_units: None) -> None:
    publications = {p.year: p for p in imported("sipas_province_points_partial.csv", "sipas")}
    rows = index_rows(publications[2023])
    assert rows["Tỉnh Quảng Ninh"].rank_label == "1/63"
    assert rows["Tỉnh Bắc Kạn"].rank_label == "63/63" and rows["Tỉnh Bắc Kạn"].pct == 75.03
    assert rows["Tỉnh Lâm Đồng"].status == Status.NOT_PUBLISHED


def test_every_fault_is_named_by_line_and_column_and_nothing_is_imported(
    reference_units: None, tmp_path: Path
) -> None:
    bad = tmp_path / "pci_2023.csv"
    bad.write_text(
        "# PCI 2023, typed by hand\n"
        "year,unit,pci,rank,status\n"
        '2023,Quảng Ninh,"70,5",1,\n'
        "2023,Atlantis,65,2,\n"
        "2023,Hà Nội,6x,3,\n"
        "2023,Lạng Sơn,120,4,\n"
        "2023,Cao Bằng,60,first,\n"
        "2023,Quảng Ninh,70,1,\n"
        "2023,Hà Giang,,,maybe\n",
        encoding="utf-8",
    )
    report = import_results(bad, "pci")
    assert report.value is None
    assert [(f.line, f.message) for f in report.findings] == [
        (4, "column 'unit': unknown unit 'Atlantis' in 2023"),
        (5, "column 'pci': '6x' is not a number"),
        (6, "column 'pci': 120 is outside 0…100"),
        (7, "column 'rank': 'first' is not a rank"),
        (8, "column 'unit': 'Quảng Ninh' appears twice for 2023 (line 3)"),
        (9, "column 'status': 'maybe' is not 'published' or 'not assessed'"),
    ]
    assert not Publication.objects.exists() and not ResultRow.objects.exists()


def test_the_same_file_again_is_ignored_and_other_figures_need_a_correction(
    reference_units: None, tmp_path: Path
) -> None:
    table = tmp_path / "pci.csv"
    table.write_text('year,unit,pci,rank\n2023,Quảng Ninh,"70,5",1\n', encoding="utf-8")
    (first,) = imported(str(table), "pci")
    again = import_results(table, "pci")
    assert again.value is not None and again.value.publications == ()
    table.write_text("year,unit,pci,rank\n2023,Quảng Ninh,71.5,1\n", encoding="utf-8")
    refused = import_results(table, "pci")
    assert refused.value is None and "correction" in refused.findings[0].message
    report = import_results(table, "pci", correction="Bảng in sai điểm Quảng Ninh")
    assert report.value is not None
    (second,) = report.value.publications
    assert second.corrects == first and second.reason == "Bảng in sai điểm Quảng Ninh"
    assert index_rows(first)["Tỉnh Quảng Ninh"].pct == 70.5
    assert index_rows(second)["Tỉnh Quảng Ninh"].pct == 71.5
