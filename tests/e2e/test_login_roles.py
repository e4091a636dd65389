"""Two people with different roles log in, see their own home in Vietnamese, switch to English,
and are refused each other's pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from parindex.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-thử-nghiệm-1"


@pytest.fixture
def people(live_server, make_user) -> str:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit
    from parindex.server.accounts.services import load_reference_units

    load_reference_units()
    make_user("ls-focal", Role.FOCAL_POINT, Unit.objects.get(ref="province:20"), password=PASSWORD)
    make_user("moha-appraiser", Role.APPRAISER, None, password=PASSWORD)
    return str(live_server.url)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_two_roles_see_their_own_homes_switch_language_and_are_refused_each_others(
    people: str, new_page
) -> None:  # type: ignore[no-untyped-def]
    base = people

    focal = new_page()  # an English browser: the interface must still start in Vietnamese
    log_in(focal, base, "ls-focal")
    expect(focal).to_have_url(f"{base}/home/focal-point/")
    expect(focal.locator("html")).to_have_attribute("lang", "vi")
    expect(focal.get_by_role("heading", level=1)).to_have_text("Đầu mối đơn vị")
    expect(focal.get_by_role("link", name="Tỉnh Lạng Sơn", exact=True)).to_be_visible()
    # At a desktop's 1440 px the header's links stay on the brand's line (the tagline wraps).
    focal.set_viewport_size({"width": 1440, "height": 900})
    brand, nav = focal.locator(".brand").bounding_box(), focal.locator(".user-nav").bounding_box()
    assert brand and nav and nav["y"] < brand["y"] + brand["height"], (brand, nav)

    focal.get_by_role("button", name="English").click()
    expect(focal.locator("html")).to_have_attribute("lang", "en")
    expect(focal.get_by_role("heading", level=1)).to_have_text("Unit focal point")
    expect(focal.get_by_role("link", name="Lang Son Province", exact=True)).to_be_visible()

    refused = focal.goto(f"{base}/home/appraiser/")
    assert refused is not None and refused.status == 403
    expect(focal.get_by_role("heading", level=1)).to_have_text("Access denied")

    appraiser = new_page()
    log_in(appraiser, base, "moha-appraiser")
    expect(appraiser).to_have_url(f"{base}/home/appraiser/")
    expect(appraiser.get_by_role("heading", level=1)).to_have_text("Cán bộ thẩm định")
    expect(appraiser.get_by_text("Toàn quốc: tất cả các đơn vị.")).to_be_visible()
    refused = appraiser.goto(f"{base}/home/focal-point/")
    assert refused is not None and refused.status == 403
    expect(appraiser.get_by_role("heading", level=1)).to_have_text("Không có quyền truy cập")

    appraiser.get_by_role("button", name="Đăng xuất").click()
    expect(appraiser.get_by_role("link", name="Đăng nhập").first).to_be_visible()
    gone = appraiser.goto(f"{base}/home/appraiser/")
    assert gone is not None
    expect(appraiser).to_have_url(f"{base}/accounts/login/?next=/home/appraiser/")
