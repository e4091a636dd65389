"""In Chromium: the administrator takes a cycle's Decision 766 points from one-stop data on the
survey-points page, in Vietnamese, and the page answers within a second."""

from __future__ import annotations

import os
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parindex.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-thử-nghiệm-1"


def test_the_administrator_takes_the_points_from_one_stop_data(  # type: ignore[no-untyped-def]
    live_server, make_user, make_cycle, new_page, tmp_path: Path
) -> None:
    from parindex.server.accounts.models import Unit
    from parindex.server.assessments.models import ScoreEntry
    from parindex.server.ratings.models import Dossier, Rating

    province = Unit.objects.create(ref="test:p", kind="province", code="99", name_vi="Tỉnh Thử")
    at = lambda day, hour=9: timezone.make_aware(datetime(2024, 5, day, hour))  # noqa: E731
    # Appointment Fri 10 May: HS-1 on time, HS-2 overdue and rated 1 → 2.1 = 20 × 1/2 = 10.00.
    for code, finished, satisfaction in (("HS-1", 9, 5), ("HS-2", 13, 1)):
        Dossier.objects.create(
            code=code,
            procedure="1.001",
            unit=province,
            received=at(6),
            appointment=at(10, 16),
            finished=at(finished),
        )
        Rating.objects.create(
            client_id=uuid.uuid4(),
            channel="device",
            unit=province,
            dossier_code=code,
            satisfaction=satisfaction,
            submitted_at=at(14),
        )
    cycle = make_cycle("decision-766/2022", ["test:p"], year=2024, name="Bộ chỉ số 766 năm 2024")
    make_user("admin", Role.ADMIN, None, password=PASSWORD)
    base = live_server.url

    page = new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    started = time.perf_counter()
    response = page.goto(f"{base}/assessments/{cycle.pk}/survey-points/")
    assert response is not None and response.status == 200
    assert time.perf_counter() - started < 1.0
    expect(page.get_by_role("heading", name="Điểm từ dữ liệu một cửa")).to_be_visible()
    page.get_by_role("button", name="Lấy điểm từ dữ liệu một cửa").click()
    stored = ScoreEntry.objects.filter(assessment__cycle=cycle)
    expect(page.locator("body")).to_contain_text(
        f"Đã lấy {stored.count()} điểm từ dữ liệu một cửa."
    )
    assert stored.get(component="2.1").points == 10.0
    shot = Path(os.environ.get("PARINDEX_SCREENSHOTS", tmp_path)) / "onestop-into-cycle.png"
    page.screenshot(path=str(shot), full_page=True)
