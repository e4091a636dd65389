"""In Chromium, under the site's Content-Security-Policy: an administrator's pages (the Django
admin included) and a survey page with its coverage bars load without one violation; a
password guessed five times locks the account, in Vietnamese."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from parindex.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-thử-nghiệm-1"


@pytest.fixture
def site(live_server, make_user) -> str:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from parindex.server.surveys.models import SampledUnit, Survey

    admin = make_user("moha-admin", Role.ADMIN, None, password=PASSWORD)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    make_user("ls-focal", Role.PUBLIC, None, password=PASSWORD)
    survey = Survey.objects.create(
        slug="sipas-csp",
        name="SIPAS thử",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=timezone.now() - timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=10),
    )
    SampledUnit.objects.create(
        survey=survey,
        position=0,
        code="ABCDEFGHJKM",
        domain="Lạng Sơn",
        stratum="1",
        clusters=[1, 1, 1],
        population=[10, 5, 100],
        inclusion_probability=0.01,
    )
    return str(live_server.url)


def _log_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_pages_run_under_the_policy_without_a_violation(site: str, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _log_in(page, site, "moha-admin")
    expect(page).to_have_url(f"{site}/home/admin/")
    for path in (
        "/assessments/",
        "/surveys/",
        "/surveys/sipas-csp/",
        "/s/sipas-csp/",
        "/admin/",
        "/admin/accounts/user/",
    ):
        response = page.goto(f"{site}{path}")
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in (response.header_value("content-security-policy") or "")
    expect(page.locator("#content-main")).to_be_visible()  # the admin's own scripts ran
    assert violations == []


def test_five_wrong_passwords_lock_the_account_in_vietnamese(site: str, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    locked = page.get_by_text("Đã nhập sai mật khẩu quá nhiều lần cho tài khoản này")
    for _ in range(4):
        _log_in(page, site, "ls-focal", "sai-mật-khẩu")
        expect(page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng")).to_be_visible()
    _log_in(page, site, "ls-focal", "sai-mật-khẩu")  # the fifth locks
    expect(locked).to_be_visible()
    _log_in(page, site, "ls-focal")  # and then the right password does not open it
    expect(locked).to_be_visible()
    assert page.goto(f"{site}/home/") is not None
    expect(page).to_have_url(f"{site}/accounts/login/?next=/home/")
