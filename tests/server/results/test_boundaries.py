"""The geographic map from a boundary file named in settings: the shared TopoJSON files of the 63
and the 34 provinces matched in full, the file served with each feature's province, and a file
with a feature of no province reported by the system check while the page still answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from django.core import checks
from django.test import Client

from parindex.core.units import provinces_34, provinces_63
from parindex.server.results.models import Publication
from tests.shared_geo import shared_geo

pytestmark = pytest.mark.django_db


@pytest.fixture
def years(reference_units: None) -> dict[int, Publication]:
    from parindex.server.demo.results import build_published_years

    return {p.year: p for p in build_published_years(np.random.default_rng(7))}


def _specs(html: str) -> dict[str, dict]:  # type: ignore[type-arg]
    found = re.search(r'id="chart-specs"[^>]*>(.*?)</script>', html, re.S)
    assert found is not None
    return json.loads(found[1])  # type: ignore[no-any-return]


def test_without_a_boundary_file_the_page_has_the_tile_map_only(years, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PARINDEX_BOUNDARIES = ()
    html = Client().get("/results/par-index-province/2024/").content.decode()
    specs = _specs(html)
    assert "map" in specs and "geomap" not in specs
    assert "/results/boundaries/" not in html
    assert Client().get("/results/boundaries/0.json").status_code == 404


@pytest.mark.parametrize(
    ("name", "provinces"),
    [("vn-provinces-63.topo.json", provinces_63), ("vn-provinces-34.topo.json", provinces_34)],
    ids=["63", "34"],
)
def test_a_shared_boundary_file_is_served_with_each_feature_s_province(  # type: ignore[no-untyped-def]
    years, settings, name, provinces
) -> None:
    path = shared_geo(name)
    settings.PARINDEX_BOUNDARIES = (str(Path("..") / "shared" / "geo" / name),)
    if not Path(settings.PARINDEX_BOUNDARIES[0]).is_file():  # run from elsewhere than the repo
        settings.PARINDEX_BOUNDARIES = (str(path),)
    response = Client().get("/results/boundaries/0.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    served = json.loads(response.content)
    original = json.loads(path.read_bytes())
    (feature,) = original["objects"]
    geometries = served["objects"][feature]["geometries"]
    assert served["arcs"] == original["arcs"], "the shapes as the file has them"
    refs = [g["properties"]["parindex_ref"] for g in geometries]
    assert sorted(refs) == sorted(p.ref for p in provinces())
    by_name = {g["properties"]["ten_tinh"]: g["properties"]["parindex_ref"] for g in geometries}
    assert by_name["TP HCM"].startswith("province:79")
    assert not [m for m in checks.run_checks() if m.id.startswith("results.")], "all matched"


def test_the_ranking_page_of_63_provinces_draws_from_the_63_file(years, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PARINDEX_BOUNDARIES = (
        str(shared_geo("vn-provinces-34.topo.json")),
        str(shared_geo("vn-provinces-63.topo.json")),
    )
    specs = _specs(Client().get("/results/par-index-province/2024/?colour=index").content.decode())
    geomap = specs["geomap"]
    assert geomap["data"]["url"] == "/results/boundaries/1.json"
    assert geomap["data"]["format"] == {"type": "topojson", "feature": "diaphantinh_63_fixednames"}
    assert len(geomap["usermeta"]["table"]["rows"]) == 63
    assert geomap["mark"]["type"] == "geoshape"


def test_a_feature_of_no_province_is_reported_not_raised(years, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    square = {"type": "Polygon", "coordinates": [[[105, 21], [106, 21], [106, 22], [105, 21]]]}
    features = [
        {"type": "Feature", "properties": {"name": name}, "geometry": square}
        for name in ("Thua Thien Hue", "Ha Noi", "Cao Bằng", "Atlantis", "Hà Giang")
    ]
    path = tmp_path / "some.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    settings.PARINDEX_BOUNDARIES = (str(path), str(broken))
    warnings = {m.id: m.msg for m in checks.run_checks() if m.id.startswith("results.")}
    assert (
        "Atlantis" in warnings["results.W002"]
        and "(63 provinces)" in warnings["results.W002"]
        and "59 provinces have no feature" in warnings["results.W002"]
    )
    assert "broken.json" in warnings["results.W001"]
    served = json.loads(Client().get("/results/boundaries/0.json").content)
    assert [f["properties"]["parindex_ref"] for f in served["features"]] == [
        "province:46",
        "province:01",
        "province:04",
        None,
        "province:02",
    ], "Hà Giang, merged in 2025, makes it a map of the 63"
    assert Client().get("/results/boundaries/1.json").status_code == 404
    response = Client().get("/results/par-index-province/2024/")
    assert response.status_code == 200
    assert _specs(response.content.decode())["geomap"]["data"]["format"] == {
        "type": "json",
        "property": "features",
    }
