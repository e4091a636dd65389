"""axe-core (npm, vendored for the tests) finds no serious or critical accessibility violation on
the public results pages, with their charts drawn."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe.min.js"


@pytest.fixture
def base(live_server) -> str:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.services import load_reference_units
    from parindex.server.demo.results import build_published_years

    load_reference_units()
    build_published_years(np.random.default_rng(7))
    return str(live_server.url)


@pytest.mark.parametrize(
    "path",
    [
        "/results/",
        "/results/par-index-province/2024/",
        "/results/par-index-province/2024/?colour=3",
        "/results/par-index-province/unit/province:20/",
    ],
    ids=["index of years", "ranking", "map by a field", "unit profile"],
)
def test_no_serious_accessibility_violation(base: str, new_page, path: str) -> None:  # type: ignore[no-untyped-def]
    # axe-core is injected by the test, not served by the site: the page's own
    # Content-Security-Policy would rightly refuse it, so this context bypasses it.
    page = new_page(bypass_csp=True)
    page.goto(f"{base}{path}")
    for chart in page.locator("[data-chart]").all():
        expect(chart).to_have_attribute("data-rendered", "true")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    assert any(rule["id"] == "color-contrast" for rule in result["passes"]), "axe ran its rules"
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
