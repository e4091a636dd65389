"""An improvement plan in Chromium: the focal point of Lạng Sơn asks for the cheapest way into
group A, assigns an action and closes it with evidence; the leader opens the plan and sees the
progress; every page answers in Vietnamese within a second."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from parindex.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-thử-nghiệm-1"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()


def timed_goto(page: Page, url: str) -> None:
    start = time.perf_counter()
    response = page.goto(url)
    assert response is not None and response.status == 200
    assert time.perf_counter() - start < 1.0, url


def test_a_plan_is_made_carried_out_and_followed(live_server, make_user, new_page) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit
    from parindex.server.accounts.services import load_reference_units
    from tests.server.plans.conftest import PROVINCES, make_cycle

    load_reference_units()
    lang_son = Unit.objects.get(ref="province:20")
    admin = make_user("admin", Role.ADMIN, None, password=PASSWORD)
    make_user("focal", Role.FOCAL_POINT, lang_son, password=PASSWORD)
    make_user("leader", Role.LEADER, lang_son, password=PASSWORD)
    make_cycle(2025, PROVINCES, admin)
    base = live_server.url

    focal = new_page()
    log_in(focal, base, "focal")
    timed_goto(focal, f"{base}/plans/")
    focal.get_by_label("Mục tiêu").select_option(label="nhóm A")
    focal.get_by_role("button", name="Tìm kế hoạch ít công sức nhất").click()
    expect(focal.get_by_role("heading", level=1)).to_contain_text("Kế hoạch cải thiện của")
    expect(focal.locator("body")).to_contain_text("mục tiêu nhóm A")
    first = focal.locator("tr.action-forms").first
    first.get_by_label("Người chịu trách nhiệm").fill("Nguyễn Văn A")
    first.get_by_role("button", name="Giao việc").click()
    first = focal.locator("tr.action-forms").first
    first.get_by_label("Trạng thái").select_option(label="đã hoàn thành")
    first.get_by_label("Minh chứng hoàn thành").fill("Quyết định 12/QĐ-UBND")
    first.get_by_role("button", name="Chuyển trạng thái").click()
    expect(focal.locator("body")).to_contain_text("Quyết định 12/QĐ-UBND")
    plan_url = focal.url

    leader = new_page()
    log_in(leader, base, "leader")
    timed_goto(leader, plan_url)
    expect(leader.locator("body")).to_contain_text("1 trên")
    expect(leader.locator("body")).to_contain_text("Nguyễn Văn A")
    expect(leader.locator("progress")).to_have_count(1)
