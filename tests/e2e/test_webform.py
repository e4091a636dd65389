"""A citizen answers the SIPAS web form on a phone in Chromium: one question a screen, leaves
half-way, comes back on another device with the same code and carries on to the end."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ballot(live_server) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from parindex.core.surveys.ballot import ballot_code, normalise
    from parindex.server.surveys.models import SampledUnit, Survey

    survey = Survey.objects.create(
        slug="sipas-phone",
        name="Khảo sát SIPAS thử",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=10),
    )
    code = ballot_code(b"e2e", survey.slug, 0)
    SampledUnit.objects.create(
        survey=survey,
        position=0,
        code=normalise(code),
        domain="Tỉnh Lạng Sơn",
        stratum="20",
        clusters=[1, 1, 1],
        population=[10, 5, 100],
        inclusion_probability=0.01,
    )
    return str(live_server.url), code


def test_a_citizen_answers_on_a_phone_and_resumes_on_another(
    ballot: tuple[str, str], browser: Browser
) -> None:
    base, code = ballot
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    page.goto(f"{base}/s/sipas-phone/?code={code}")
    expect(page.get_by_label("Mã phiếu")).to_have_value(code)
    page.get_by_role("button", name="Bắt đầu").click()
    expect(page.get_by_text("Câu 1 / ")).to_be_visible()
    page.get_by_label("Nữ").check()
    page.get_by_role("button", name="Tiếp").click()
    expect(page.get_by_text("Câu 2 / ")).to_be_visible()
    page.get_by_role("spinbutton").fill("47")
    page.get_by_role("button", name="Tiếp").click()
    expect(page.get_by_text("Câu 3 / ")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing wider than the phone's screen"
    phone.close()

    laptop = browser.new_context()
    page = laptop.new_page()
    page.goto(f"{base}/s/sipas-phone/")
    page.get_by_label("Mã phiếu").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Bắt đầu").click()
    expect(page.get_by_text("Câu 3 / ")).to_be_visible()  # where the phone stopped
    for _ in range(60):
        if page.get_by_role("button", name="Gửi câu trả lời").count():
            break
        if page.get_by_label("Không").count():
            page.get_by_label("Không").first.check()  # e.g. did not use a service: skips ahead
        page.get_by_role("button", name="Tiếp").click()
    expect(page.get_by_text("Câu trả lời của bạn")).to_be_visible()
    expect(page.locator("#review")).to_contain_text("Nữ")
    expect(page.locator("#review")).to_contain_text("47")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    expect(page.get_by_role("heading", name="Xin cảm ơn")).to_be_visible()
    laptop.close()

    from parindex.server.surveys.models import Response

    counted = Response.objects.get()
    assert counted.answers["gender"] == "f" and counted.answers["age"] == "47"
