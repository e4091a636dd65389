"""SIPAS "significant change" badges in Chromium, against a hand calculation.

Two national SIPAS surveys, 2025 and 2026, each with two provinces as strata of 50 respondents,
each respondent a PSU (no fpc, equal weights). Every respondent gives the same answer to every
item: "5" (satisfied) or "2" (not), so each item, group, content and the index are all the share
p̂ of satisfied respondents in the province.

For a share in a stratum of n PSUs with equal weights the linearised variance is
    Var(p̂) = n/(n−1) · Σ (z_i − z̄)² with z_i = (y_i − p̂)/n, i.e. p̂(1 − p̂)/(n − 1),
and the change between two independent years has SE = √(SE₁² + SE₂²), 95 % interval
d ± 1.959964 · SE, significant when it leaves out 0.

Lạng Sơn: 45/50 satisfied in 2025 (90 %), 30/50 in 2026 (60 %).
    SE₂₀₂₅ = √(0.9·0.1/49) = 0.0428571,  SE₂₀₂₆ = √(0.6·0.4/49) = 0.0699854
    SE = √(0.0018367 + 0.0048980) = 0.0820652 → 8.2065 points
    d = −30.00, interval −30 ± 16.0845 = (−46.08, −13.92): significant.
Cao Bằng: 35/50 (70 %) in 2025, 34/50 (68 %) in 2026.
    SE₂₀₂₅ = √(0.7·0.3/49) = 0.0654654,  SE₂₀₂₆ = √(0.68·0.32/49) = 0.0666394
    SE = √(0.0042857 + 0.0044408) = 0.0934162 → 9.3416 points
    d = −2.00, interval −2 ± 18.3092 = (−20.31, 16.31): not significant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from parindex.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-thử-nghiệm-1"
SATISFIED = {2025: {"Lạng Sơn": 45, "Cao Bằng": 35}, 2026: {"Lạng Sơn": 30, "Cao Bằng": 34}}
N = 50


def sipas(year: int):  # type: ignore[no-untyped-def]
    from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires
    from parindex.server.surveys.models import Response, SampledUnit, Survey

    opens = datetime(year, 9, 1, tzinfo=UTC)
    survey = Survey.objects.create(
        slug=f"sipas-{year}",
        name=f"SIPAS {year}",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=opens,
        closes_at=opens + timedelta(days=30),
    )
    questionnaire = load_questionnaire(shipped_questionnaires()[survey.questionnaire]).value
    assert questionnaire is not None
    items = [q.id for q in questionnaire.questions() if q.node]
    position = 0
    for province, satisfied in SATISFIED[year].items():
        for k in range(N):
            sampled = SampledUnit.objects.create(
                survey=survey,
                position=position,
                code=f"S{year}{position:04d}",
                domain=province,
                stratum=province,
                clusters=[f"{province}-{k}"],
                inclusion_probability=0.01,
            )
            answer = "5" if k < satisfied else "2"
            Response.objects.create(
                unit=sampled,
                channel="paper",
                received_at=opens + timedelta(days=2),
                answers=dict.fromkeys(items, answer),
            )
            position += 1
    return survey


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def test_significant_and_not_significant_changes(live_server, make_user, new_page) -> None:  # type: ignore[no-untyped-def]
    sipas(2025)
    sipas(2026)
    make_user("manager", Role.SURVEY_MANAGER, None, password=PASSWORD)
    page = new_page()
    log_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/surveys/sipas-2026/results/")
    expect(page.locator("#year-on-year")).to_contain_text("Thay đổi so với SIPAS 2025 (2025)")

    fell = page.locator("#survey-summary tr[data-domain='Lạng Sơn'] .survey-change")
    expect(fell.locator(".badge")).to_have_text("thay đổi có ý nghĩa (95 %)")
    assert float(fell.get_attribute("data-difference") or "nan") == pytest.approx(-30.0, abs=1e-9)
    assert float(fell.get_attribute("data-low") or "nan") == pytest.approx(-46.0845, abs=1e-3)
    assert float(fell.get_attribute("data-high") or "nan") == pytest.approx(-13.9155, abs=1e-3)
    expect(fell).to_contain_text("-30,00 (-46,08 – -13,92)")

    steady = page.locator("#survey-summary tr[data-domain='Cao Bằng'] .survey-change")
    expect(steady.locator(".badge")).to_have_text("không có ý nghĩa")
    assert float(steady.get_attribute("data-low") or "nan") == pytest.approx(-20.3092, abs=1e-3)
    assert float(steady.get_attribute("data-high") or "nan") == pytest.approx(16.3092, abs=1e-3)

    # Every level of one province: the index, each content, group and item.
    page.goto(f"{live_server.url}/surveys/sipas-2026/results/?domain=Lạng Sơn")
    rows = page.locator("#survey-results tbody tr")
    badges = page.locator("#survey-results .badge.significant")
    expect(badges).to_have_count(rows.count())
    for node in ("index", "I", "I.A", "I.A.1"):
        expect(page.locator(f"#survey-results tr[data-node='{node}'] .badge")).to_have_text(
            "thay đổi có ý nghĩa (95 %)"
        )

    # The earliest year has nothing to compare with.
    page.goto(f"{live_server.url}/surveys/sipas-2025/results/")
    expect(page.locator("#year-on-year")).to_contain_text("Năm trước không có cuộc điều tra")
    expect(page.locator(".survey-change")).to_have_count(0)
