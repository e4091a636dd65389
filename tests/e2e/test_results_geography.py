"""The ranking page in Chromium, as a reader would see it: averages by socio-economic region
(table and chart, and a province's own region on its profile), the geographic map drawn from
the shared boundary file when one is configured (one shape per province, coloured by the
index), and without one no map request at all."""

from __future__ import annotations

import numpy as np
import pytest
from playwright.sync_api import Page, Route, expect

from tests.shared_geo import shared_geo

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def base(live_server) -> str:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from parindex.server.accounts.services import load_reference_units
    from parindex.server.demo.results import build_published_years

    cache.clear()
    load_reference_units()
    build_published_years(np.random.default_rng(7))
    return str(live_server.url)


def _watch(page: Page) -> tuple[list[str], list[str]]:
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))

    def strict_csp(route: Route) -> None:
        response = route.fetch()
        route.fulfill(
            response=response, headers={**response.headers, "content-security-policy": CSP}
        )

    page.route("**/results/**", strict_csp)
    return errors, requests


def test_the_geographic_map_draws_one_shape_per_province(base: str, new_page, settings) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.results.models import ResultRow
    from parindex.server.results.services.figures import BAND_COLOURS, band

    settings.PARINDEX_BOUNDARIES = (str(shared_geo("vn-provinces-63.topo.json")),)
    page = new_page()
    errors, requests = _watch(page)
    page.goto(f"{base}/results/par-index-province/2024/?colour=index")
    geomap = page.locator('[data-chart="geomap"]')
    expect(geomap).to_have_attribute("data-rendered", "true")
    shapes = geomap.locator("g.mark-shape path")
    expect(shapes).to_have_count(63)
    fills = [shapes.nth(i).get_attribute("fill") for i in range(63)]
    rows = ResultRow.objects.filter(publication__year=2024, node="")
    expected = sorted(BAND_COLOURS[band(r.pct)] for r in rows)
    assert sorted(fills) == expected, "each province in its band's colour"
    assert any(u.endswith("/results/boundaries/0.json") for u in requests)
    # The tile-grid cartogram stays beside it.
    expect(page.locator('[data-chart="map"] g.mark-rect path')).to_have_count(63)

    table = page.locator("#regional-averages tbody tr")
    expect(table).to_have_count(6)
    expect(page.locator("#regional-averages")).to_contain_text("Đồng bằng sông Cửu Long")
    expect(page.locator('[data-chart="regions"]')).to_have_attribute("data-rendered", "true")
    expect(page.locator('[data-chart="regions"] g.mark-symbol path')).to_have_count(6)
    assert errors == []


def test_without_boundaries_no_map_is_requested(base: str, new_page, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PARINDEX_BOUNDARIES = ()
    page = new_page()
    errors, requests = _watch(page)
    page.goto(f"{base}/results/par-index-province/2024/")
    expect(page.locator('[data-chart="map"]')).to_have_attribute("data-rendered", "true")
    expect(page.locator('[data-chart="regions"]')).to_have_attribute("data-rendered", "true")
    assert page.locator('[data-chart="geomap"]').count() == 0
    assert not [u for u in requests if "/boundaries/" in u]
    expect(page.locator("#regional-averages")).to_contain_text("Tây Nguyên")
    page.locator('#ranking tr[data-unit="province:68"]').get_by_role("link").click()
    expect(page.locator("#region")).to_contain_text("Tây Nguyên")
    expect(page.locator("#history thead")).to_contain_text("Trung bình của vùng")
    assert errors == []


def test_today_s_34_have_their_regions_and_geographic_map(base: str, new_page, settings) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.results.services.figures import BAND_COLOURS

    settings.PARINDEX_BOUNDARIES = (str(shared_geo("vn-provinces-34.topo.json")),)
    page = new_page()
    errors, requests = _watch(page)
    page.goto(f"{base}/results/par-index-province/2024/?view=34")
    geomap = page.locator('[data-chart="merged_geomap"]')
    expect(geomap).to_have_attribute("data-rendered", "true")
    shapes = geomap.locator("g.mark-shape path")
    expect(shapes).to_have_count(34)
    fills = {shapes.nth(i).get_attribute("fill") for i in range(34)}
    assert fills <= set(BAND_COLOURS.values()), "every one of the 34 has an aggregated score"
    assert any(u.endswith("/results/boundaries/0.json") for u in requests)
    expect(page.locator("#merged-regional-averages tbody tr")).to_have_count(6 + 1)
    expect(page.locator("#merged-weighting")).to_contain_text("được tính một lần")
    regions = page.locator('[data-chart="merged_regions"]')
    expect(regions).to_have_attribute("data-rendered", "true")
    expect(regions.locator("g.mark-symbol path")).to_have_count(6)
    assert errors == []
