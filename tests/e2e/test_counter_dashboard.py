"""A unit leader opens the counters' dashboard in Chromium and sees the trend chart drawn by the
vendored Vega-Lite, in Vietnamese."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from parindex.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-thử-nghiệm-1"


def test_the_leader_sees_the_trend_chart(live_server, make_user, new_page) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit
    from parindex.server.ratings.models import Rating

    province = Unit.objects.create(ref="test:p", kind="province", code="99", name_vi="Tỉnh Thử")
    for satisfaction in (5, 4, 1):
        Rating.objects.create(
            client_id=uuid.uuid4(), channel="device", unit=province, counter="Q1", satisfaction=satisfaction,
            submitted_at=timezone.now(),
        )  # fmt: skip
    make_user("lanh-dao", Role.LEADER, province, password=PASSWORD)
    page: Page = new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("lanh-dao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    response = page.goto(f"{live_server.url}/mot-cua/don-vi/test:p/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Bộ phận Một cửa · Tỉnh Thử")
    expect(page.locator("#trend svg")).to_be_visible()
    expect(
        page.locator("#trend svg").get_by_text("Mức hài lòng trung bình theo tháng")
    ).to_have_count(1)
    ticks = page.locator("#trend .role-axis-label text").all_text_contents()
    assert "4,5" in ticks and not [t for t in ticks if "." in t], ticks
    assert errors == []
