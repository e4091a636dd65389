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
def test_no_serious_accessibility_violation(base: str, browser, path: str) -> None:  # type: ignore[no-untyped-def]
    # axe is injected as a script of the test's own; the site's CSP would (rightly) refuse it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
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
    context.close()
    assert serious == []
