"""The public results pages, read without signing in: the demo's five published years of the 63
provinces (their averages and group counts are the announced ones), the ranking with field names,
change since last year, the break where the method changed, the charts and the downloads."""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings
from django.test import Client

from parindex.core.methodology.shipped import load_shipped
from parindex.server.results.models import Publication, ResultRow

pytestmark = pytest.mark.django_db


@pytest.fixture
def years(reference_units: None) -> dict[int, Publication]:
    from parindex.server.demo.results import build_published_years

    return {p.year: p for p in build_published_years(np.random.default_rng(7))}


def index_rows(publication: Publication) -> dict[str, ResultRow]:
    return {r.unit.ref: r for r in publication.rows.filter(node="").select_related("unit")}


@pytest.mark.parametrize(
    ("year", "average", "groups"),
    [
        (2024, 88.37, {"A": 13, "B": 50}),
        (2023, 86.98, {"A": 7, "B": 56}),
        (2021, 86.37, {"A": 3, "B": 59, "C": 1}),
        (2020, 83.72, None),
    ],
    ids=["2024 as announced", "2023 as announced", "2021 as announced", "2020 average"],
)
def test_the_demo_years_look_like_the_announced_ones(years, year, average, groups) -> None:  # type: ignore[no-untyped-def]
    rows = index_rows(years[year])
    values = [r.pct for r in rows.values()]
    assert len(values) == 63
    assert round(sum(values) / 63 + 1e-9, 2) == average
    if groups is not None:
        counted: dict[str, int] = {}
        for r in rows.values():
            counted[r.group] = counted.get(r.group, 0) + 1
        assert counted == groups
    for row in list(rows.values())[:5]:
        fields = years[year].rows.filter(unit=row.unit).exclude(node="")
        assert sum(f.points for f in fields) == pytest.approx(row.points, abs=1e-6)
        assert all(f.points <= f.max_points for f in fields)
    assert sorted(r.rank for r in rows.values())[0] == 1
    assert {r.ranked_of for r in rows.values()} == {63}


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_ranking_page_names_fields_ranks_of_63_and_changes(years) -> None:  # type: ignore[no-untyped-def]
    html = page(Client(), "/results/par-index-province/2024/")
    edition = load_shipped("par-index-province/2023").value
    for field in edition.fields:
        assert field.name_vi in html
    assert "Lĩnh vực 1" not in html
    assert "Trung bình cả nước" in html and "88,37" in html
    stated = html.split("Trung bình cả nước theo nguồn công bố")[1].split("</tr>")[0]
    assert '<td class="num">88,37</td>' in stated, "the source's figure in Vietnamese form too"
    current, before = index_rows(years[2024]), index_rows(years[2023])
    first = min(current.values(), key=lambda r: r.rank)
    row = re.search(rf'<tr data-unit="{first.unit.ref}".*?</tr>', html, re.S)
    assert row is not None and "1/63" in row[0]
    change = round(first.pct - before[first.unit.ref].pct, 2)
    assert f"{change:+.2f}".replace(".", ",") in row[0]
    places = before[first.unit.ref].rank - first.rank
    assert (f"▲ {places}" if places > 0 else "=") in row[0]


def test_a_change_of_method_is_shown_as_not_comparable(years) -> None:  # type: ignore[no-untyped-def]
    html = page(Client(), "/results/par-index-province/2022/")
    assert "không so sánh được" in html
    specs = json.loads(re.search(r'id="chart-specs"[^>]*>(.*?)</script>', html, re.S)[1])
    breaks = specs["trend"]["layer"][1]["data"]["values"]
    assert [b["year"] for b in breaks] == [2021.5], "only where the edition changed"


def test_charts_come_as_data_with_a_table_each_and_no_inline_script(years) -> None:  # type: ignore[no-untyped-def]
    html = page(Client(), "/results/par-index-province/2024/")
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all('src="' in s or 'type="application/json"' in s for s in scripts)
    specs = json.loads(re.search(r'id="chart-specs"[^>]*>(.*?)</script>', html, re.S)[1])
    assert set(specs) == {"heatmap", "distribution", "groups", "trend", "regions", "map"}
    assert len(specs["map"]["data"]["values"]) == 63
    assert len(specs["heatmap"]["data"]["values"]) == 63 * 8
    assert html.count('class="data chart-data"') == 6
    for name in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "results.js"):
        assert f"/static/parindex/{name}" in html or f"/static/parindex/vendor/{name}" in html


def _region_file(count: int) -> dict[str, tuple[str, str]]:
    """ref → (name, region code) read straight from the data file, not through the code."""
    path = Path(__file__).parents[3] / f"src/parindex/core/units/data/regions_{count}.csv"
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    return {row["ref"]: (row["name_vi"], row["region"]) for row in csv.DictReader(lines)}


def test_the_ranking_page_shows_the_average_of_each_region(years) -> None:  # type: ignore[no-untyped-def]
    html = page(Client(), "/results/par-index-province/2024/")
    table = re.search(r'<table class="data" id="regional-averages">.*?</table>', html, re.S)
    assert table is not None
    shown = dict(
        re.findall(
            r'data-region="([^"]+)"><th scope="row">[^<]+</th><td class="num">([^<]+)<', table[0]
        )
    )
    assert list(shown) == ["dbsh", "tdmnpb", "btb-dhmt", "tn", "dnb", "dbscl"]
    rows = index_rows(years[2024])
    regions = _region_file(63)
    for code, text in shown.items():
        values = [rows[ref].pct for ref, (_n, c) in regions.items() if c == code]
        expected = statistics.fmean(values)
        assert float(text.replace(",", ".")) == pytest.approx(expected, abs=0.005 + 1e-9), code
    assert "Tây Nguyên" in table[0] and "Đồng bằng sông Cửu Long" in table[0]
    specs = json.loads(re.search(r'id="chart-specs"[^>]*>(.*?)</script>', html, re.S)[1])
    assert len(specs["regions"]["data"]["values"]) == 6


def test_a_unit_profile_shows_its_region_s_average(years) -> None:  # type: ignore[no-untyped-def]
    html = page(Client(), "/results/par-index-province/unit/province:68/")
    rows = index_rows(years[2024])
    members = [ref for ref, (_n, c) in _region_file(63).items() if c == "tn"]
    expected = statistics.fmean(rows[ref].pct for ref in members)
    found = re.search(r'<dd id="region">(.*?)</dd>', html, re.S)
    assert found is not None and "Tây Nguyên" in found[1]
    shown = re.search(r'id="region-average">([^<]+)<', found[1])
    assert shown is not None
    assert float(shown[1].replace(",", ".")) == pytest.approx(expected, abs=0.005 + 1e-9)
    assert "số đơn vị có điểm công bố: 5" in found[1]


def test_english_switch(years) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, "/results/par-index-province/2024/")
    assert "National average" in html and "PAR INDEX of provinces 2024" in html
    edition = load_shipped("par-index-province/2023").value
    assert edition.fields[0].name_en in html


def test_every_published_table_downloads_at_a_stable_address(years) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.get("/results/par-index-province/2024.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 63 * 9
    assert {"unit", "node", "pct", "rank", "ranked_of", "group", "source"} <= set(rows[0])
    data = client.get("/results/par-index-province/2024.json").json()
    assert data["publication"]["synthetic"] is True
    assert data["publication"]["stated"]["national_average"] == "88.37"
    assert len(data["rows"]) == 63 * 9
    assert client.get("/results/par-index-province/1999/").status_code == 404
    assert client.get("/results/nonsense/2024/").status_code == 404
    assert client.get("/results/").status_code == 200


def test_the_map_is_coloured_by_any_field_with_a_legend(years) -> None:  # type: ignore[no-untyped-def]
    html = page(Client(), "/results/par-index-province/2024/?colour=8")
    specs = json.loads(re.search(r'id="chart-specs"[^>]*>(.*?)</script>', html, re.S)[1])
    tiles = {t["ref"]: t for t in specs["map"]["data"]["values"]}
    field_8 = {r.unit.ref: r.pct for r in years[2024].rows.filter(node="8").select_related("unit")}
    for ref, value in field_8.items():
        expected = (
            "≥ 90"
            if value >= 90
            else "80–90"
            if value >= 80
            else "70–80"
            if value >= 70
            else "< 70"
        )
        assert (tiles[ref]["value"], tiles[ref]["class"]) == (value, expected)
    legend = specs["map"]["layer"][0]["encoding"]["color"]
    edition = load_shipped("par-index-province/2023").value
    assert legend["title"] == edition.fields[-1].name_vi
    assert '<option value="8" selected>' in html
    unknown = page(Client(), "/results/par-index-province/2024/?colour=nonsense")
    assert '<option value="group" selected>' in unknown


def test_places_are_not_compared_across_the_merger(years) -> None:  # type: ignore[no-untyped-def]
    """Hà Nội was left whole in 2025: its points compare, its rank of 63 and of 34 do not."""
    from parindex.server.results.services.publication import RowData, TableData, write_publication

    write_publication(
        TableData(
            index="par-index-province",
            year=2025,
            origin="import",
            title="2025",
            rows=[RowData("province:01", pct=90.0, rank=1, ranked_of=34, group="A")],
            edition="par-index-province/2023",
        )
    )
    html = page(Client(), "/results/par-index-province/2025/")
    row = re.search(r'<tr data-unit="province:01".*?</tr>', html, re.S)[0]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    before = index_rows(years[2024])["province:01"].pct
    assert cells[4] == f"{90.0 - before:+.2f}".replace(".", ",")
    assert cells[5] == "", "no places across 63 → 34"


def test_the_63_provinces_seen_as_today_s_34(years) -> None:  # type: ignore[no-untyped-def]
    html = page(Client(), "/results/par-index-province/2024/?view=34")
    assert "Không phải kết quả công bố" in html
    rows = index_rows(years[2024])
    # Tuyên Quang (since 1 July 2025) absorbed Hà Giang and the old Tuyên Quang.
    row = re.search(r'<tr data-unit="province:08/2025">(.*?)</tr>', html, re.S)[1]
    mean = round((rows["province:02"].pct + rows["province:08"].pct) / 2 + 1e-9, 2)
    assert f"{mean:.2f}".replace(".", ",") in row
    assert "Tỉnh Hà Giang" in row and rows["province:02"].rank_label in row
    assert html.count('<tr data-unit="province:') >= 63 + 34
    specs = json.loads(re.search(r'id="chart-specs"[^>]*>(.*?)</script>', html, re.S)[1])
    assert len(specs["merged"]["data"]["values"]) == 34
    hanoi = next(t for t in specs["merged"]["data"]["values"] if t["ref"] == "province:01")
    assert hanoi["value"] == rows["province:01"].pct, "a province left whole keeps its score"


def test_a_new_publication_refreshes_the_cached_pages(years) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.results.services.publication import RowData, TableData, write_publication

    client = Client()
    before = page(client, "/results/par-index-province/2024/")
    assert page(client, "/results/par-index-province/2024/") == before
    write_publication(
        TableData(
            index="par-index-province",
            year=2025,
            origin="import",
            title="2025",
            rows=[RowData("province:01", pct=90.0, rank=1, ranked_of=34, group="A")],
        )
    )
    after = page(client, "/results/par-index-province/2024/")
    assert ">2025</a>" in after and ">2025</a>" not in before


def test_the_provenance_line_names_the_method_in_words_in_the_reader_s_language(years) -> None:  # type: ignore[no-untyped-def]
    """The line used to read "PAR INDEX 2024 (dữ liệu giả lập / synthetic) · … parindex demo
    (synthetic) · phương pháp par-index-province/2023": English and an edition id in Vietnamese."""
    client = Client()
    line = page(client, "/results/par-index-province/2024/").split('class="provenance">')[1]
    line = line.split("</p>")[0]
    assert "synthetic" not in line and "par-index-province/2023" not in line
    assert "do bản trình diễn parindex tạo ra (dữ liệu giả lập)" in line
    assert (
        "phương pháp Chỉ số cải cách hành chính của các tỉnh, thành phố trực thuộc trung ương "
        "(2022–2030)" in line
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page(client, "/results/par-index-province/2024/").split('class="provenance">')[1]
    assert "method PAR INDEX of provinces and centrally-run cities (2022–2030)" in english
    assert "generated by the parindex demonstration (synthetic data)" in english
