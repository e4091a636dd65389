"""The 63 provinces of 2024 seen as today's 34 (``?view=34``): averages by socio-economic region
of the 34 (each of today's provinces counting once, as the page states), worked out by hand for
two regions from the merger resolution and for all six from the region file, and the geographic
map of the 34 only when a boundary file of the 34 is configured."""

from __future__ import annotations

import csv
import json
import re
import statistics
from pathlib import Path

import numpy as np
import pytest
from django.test import Client

from parindex.server.results.models import Publication
from tests.shared_geo import shared_geo

pytestmark = pytest.mark.django_db

URL = "/results/par-index-province/2024/?view=34"


@pytest.fixture
def year(reference_units: None) -> Publication:
    from parindex.server.demo.results import build_published_years

    return {p.year: p for p in build_published_years(np.random.default_rng(7))}[2024]


def _html(client: Client, url: str = URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _specs(html: str) -> dict[str, dict]:  # type: ignore[type-arg]
    found = re.search(r'id="chart-specs"[^>]*>(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found[1])  # type: ignore[no-any-return]


def _shown(html: str) -> dict[str, tuple[float, int]]:
    table = re.search(r'<table class="data" id="merged-regional-averages">.*?</table>', html, re.S)
    assert table is not None
    rows = re.findall(
        r'data-region="([^"]+)"><th scope="row">[^<]+</th><td class="num">([^<]+)</td>'
        r'<td class="num">(\d+)<',
        table[0],
    )
    return {code: (float(value.replace(",", ".")), int(n)) for code, value, n in rows}


def _r2(value: float) -> float:
    """The page's rounding of an aggregated score (half up, 2 decimals)."""
    return float(f"{value + 1e-9:.2f}")


def test_two_regions_of_the_34_worked_out_from_the_merger(year) -> None:  # type: ignore[no-untyped-def]
    pct = {r.unit.ref: r.pct for r in year.rows.filter(node="").select_related("unit")}

    def merged(*refs: str) -> float:
        return _r2(statistics.fmean(pct[f"province:{r}"] for r in refs))

    # Resolution 202/2025/QH15: Gia Lai = Gia Lai + Bình Định; Đắk Lắk = Đắk Lắk + Phú Yên;
    # Lâm Đồng = Lâm Đồng + Đắk Nông + Bình Thuận. All three are in Tây Nguyên.
    highlands = [merged("64", "52"), merged("66", "54"), merged("68", "67", "60")]
    # Đồng Nai = Đồng Nai + Bình Phước; Hồ Chí Minh = HCM + Bình Dương + Bà Rịa - Vũng Tàu;
    # Tây Ninh = Tây Ninh + Long An: Đông Nam Bộ.
    south_east = [merged("75", "70"), merged("79", "74", "77"), merged("72", "80")]
    html = _html(Client())
    shown = _shown(html)
    assert shown["tn"][0] == pytest.approx(statistics.fmean(highlands), abs=0.005 + 1e-9)
    assert shown["dnb"][0] == pytest.approx(statistics.fmean(south_east), abs=0.005 + 1e-9)
    assert shown["tn"][1] == shown["dnb"][1] == 3, "three provinces each since 1 July 2025"
    assert "mỗi tỉnh, thành phố được tính một lần" in html, "the weighting is stated"
    assert "Không phải kết quả công bố" in html


def test_every_region_of_the_34_from_the_region_file(year) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    path = Path(__file__).parents[3] / "src/parindex/core/units/data/regions_34.csv"
    lines = [line for line in path.read_text("utf-8").splitlines() if not line.startswith("#")]
    region = {row["ref"]: row["region"] for row in csv.DictReader(lines)}
    pct = {r.unit.ref: r.pct for r in year.rows.filter(node="").select_related("unit")}
    by_region: dict[str, list[float]] = {}
    for ref, code in region.items():
        unit = Unit.objects.get(ref=ref)
        before = [u.ref for u in unit.predecessors.all()] or [ref]
        by_region.setdefault(code, []).append(_r2(statistics.fmean(pct[r] for r in before)))
    html = _html(Client())
    shown = _shown(html)
    assert list(shown) == ["dbsh", "tdmnpb", "btb-dhmt", "tn", "dnb", "dbscl"]
    for code, means in by_region.items():
        assert shown[code][0] == pytest.approx(statistics.fmean(means), abs=0.005 + 1e-9), code
        assert shown[code][1] == len(means)
    assert sum(n for _v, n in shown.values()) == 34
    everything = [m for means in by_region.values() for m in means]
    total = re.search(r"34 tỉnh, thành phố</th><td class=\"num\">([^<]+)<", html)
    assert total is not None
    assert float(total[1].replace(",", ".")) == pytest.approx(
        statistics.fmean(everything), abs=0.005 + 1e-9
    )
    specs = _specs(html)
    chart = specs["merged_regions"]
    assert [v["units"] for v in chart["data"]["values"]] == [n for _v, n in shown.values()]
    assert chart["layer"][1]["data"]["values"][0]["value"] == pytest.approx(
        statistics.fmean(everything), abs=0.005 + 1e-9
    ), "the dashed line is the mean of the 34"
    assert "merged_regions" not in _specs(_html(Client(), "/results/par-index-province/2024/"))


def test_the_geographic_map_of_the_34_needs_a_boundary_file_of_the_34(year, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PARINDEX_BOUNDARIES = ()
    specs = _specs(_html(Client()))
    assert "merged" in specs and "merged_geomap" not in specs and "geomap" not in specs
    settings.PARINDEX_BOUNDARIES = (str(shared_geo("vn-provinces-34.topo.json")),)
    specs = _specs(_html(Client()))
    assert "geomap" not in specs, "the 63 as published have no map of their own in this file"
    geomap = specs["merged_geomap"]
    assert geomap["data"]["url"] == "/results/boundaries/0.json"
    assert geomap["mark"]["type"] == "geoshape"
    rows = geomap["usermeta"]["table"]["rows"]
    assert len(rows) == 34
    hanoi = next(r for r in rows if r[0] == "Thành phố Hà Nội")
    assert hanoi[1] == year.rows.get(unit__ref="province:01", node="").pct
    assert "Bản đồ địa lý: quy về 34 tỉnh, thành phố hiện nay" in geomap["title"]
