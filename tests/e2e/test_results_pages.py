"""The public ranking page in Chromium, as a reader from the press would use it: no sign-in, the
table sorts, the charts draw (the map one tile per province, coloured by group), the English
switch works and the page is not blank."""

from __future__ import annotations

import re

import numpy as np
import pytest
from playwright.sync_api import Page, Route, expect

CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def base(live_server, settings, tmp_path) -> str:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.services import load_reference_units

    settings.MEDIA_ROOT = tmp_path / "media"  # rendered reports
    from parindex.server.demo.results import build_published_years

    load_reference_units()
    build_published_years(np.random.default_rng(7))
    return str(live_server.url)


def scores(page: Page) -> list[float]:
    cells = page.locator("#ranking tbody tr td:nth-child(3)").all_inner_texts()
    return [float(text.replace(",", ".")) for text in cells]


def test_the_ranking_page_sorts_draws_its_map_and_switches_language(base: str, new_page) -> None:  # type: ignore[no-untyped-def]
    from parindex.reports.charts import GROUP_COLOURS
    from parindex.server.results.models import ResultRow

    page = new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )

    def strict_csp(route: Route) -> None:
        # The policy another change adds site-wide: the charts must draw under it (no eval).
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": CSP}
        route.fulfill(response=response, headers=headers)

    page.route("**/results/**", strict_csp)
    page.goto(f"{base}/results/par-index-province/2024/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chỉ số CCHC cấp tỉnh")
    rows = page.locator("#ranking tbody tr")
    expect(rows).to_have_count(63)
    expect(rows.first.locator("td").first).to_have_text("1/63")
    values = scores(page)
    assert values == sorted(values, reverse=True), "ranked: best first"

    page.get_by_role("button", name="Điểm (%)").click()
    expect(page.locator("#ranking th[data-key=score]")).to_have_attribute("aria-sort", "ascending")
    values = scores(page)
    assert values == sorted(values)
    page.get_by_role("button", name="Điểm (%)").click()
    assert scores(page) == sorted(values, reverse=True)
    page.get_by_role("button", name="Đơn vị", exact=True).click()
    names = page.locator("#ranking tbody tr td:nth-child(2)").all_inner_texts()
    assert names[0].startswith(("Thành phố", "Tỉnh An Giang"))

    tile_map = page.locator('[data-chart="map"]')
    expect(tile_map).to_have_attribute("data-rendered", "true")
    tiles = tile_map.locator("g.mark-rect path")
    expect(tiles).to_have_count(63)
    fills = [tiles.nth(i).get_attribute("fill") for i in range(63)]
    in_a = ResultRow.objects.filter(publication__year=2024, node="", group="A").count()
    assert fills.count(GROUP_COLOURS["A"]) == in_a == 13
    assert fills.count(GROUP_COLOURS["B"]) == 50
    tiles.nth(0).hover(force=True)
    expect(page.locator("#vg-tooltip-element.visible")).to_contain_text("Tỉnh Lai Châu")
    for name in ("heatmap", "distribution", "groups", "trend"):
        expect(page.locator(f'[data-chart="{name}"]')).to_have_attribute("data-rendered", "true")
    assert page.locator('[data-chart="trend"]').get_by_text("không so sánh được").count() == 1
    # The axes speak Vietnamese too: "84,0", never d3's English "84.0".
    ticks = page.locator('[data-chart="distribution"] .role-axis-label text').all_text_contents()
    assert "84,0" in ticks and not [t for t in ticks if "." in t], ticks

    assert errors == []
    shot = page.screenshot(full_page=True)
    assert len(shot) > 50_000, "a blank page compresses to a few kilobytes"

    # Down to a unit: its history, its fields against the best unit and the peer median.
    first_name = page.locator("#ranking tbody tr").first.locator("td").nth(1).inner_text()
    page.locator("#ranking tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(first_name)
    expect(page.locator("#history tbody tr th[scope=row]")).to_have_count(5)
    expect(page.locator("#history")).to_contain_text("không so sánh được")
    expect(page.locator("#fields tbody tr")).to_have_count(8)
    expect(page.locator('[data-chart="history"]')).to_have_attribute("data-rendered", "true")
    assert errors == []
    page.go_back()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("PAR INDEX of provinces 2024")
    expect(page.get_by_role("button", name="Score (%)")).to_be_visible()
    expect(page.locator('[data-chart="map"] g.mark-rect path')).to_have_count(63)
    expect(page.locator('[data-chart="distribution"]')).to_have_attribute("data-rendered", "true")
    ticks = page.locator('[data-chart="distribution"] .role-axis-label text').all_text_contents()
    assert "84.0" in ticks, ticks


def test_a_reader_asks_for_the_national_report_and_downloads_it(base: str, new_page) -> None:  # type: ignore[no-untyped-def]
    """The report link leads to the job's page (rendered in the background; tests run jobs at
    once), which offers the PDF once done."""
    page = new_page()
    page.goto(f"{base}/results/par-index-province/2024/")
    page.locator("#report-links").get_by_role("link", name="PDF").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.locator("#job-state")).to_have_attribute("data-state", "done")
    expect(page.locator(".message.success")).to_contain_text("Báo cáo đã sẵn sàng")
    with page.expect_download() as download:
        page.locator("#job-file").click()
    assert download.value.suggested_filename == "par-index-province-2024-vi.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")
