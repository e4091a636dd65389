"""A citizen rates a dossier at the counter kiosk while the network is down; the kiosk keeps the
rating, opens again offline, and sends it once when the network returns."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Page, expect

from parindex.core.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mật-khẩu-thử-nghiệm-1"


@pytest.fixture
def kiosk_url(live_server, make_user) -> str:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    centre = Unit.objects.create(
        ref="test:tthcc", kind="one_stop_centre", name_vi="Trung tâm Phục vụ hành chính công"
    )
    make_user("quay-01", Role.COUNTER_DEVICE, centre, password=PASSWORD)
    return f"{live_server.url}/mot-cua/quay/"


def stored() -> list[tuple[str, int, int | None]]:
    from parindex.server.ratings.models import Rating

    return list(Rating.objects.values_list("dossier_code", "satisfaction", "index7"))


def wait_for(condition, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.2)


def rate(page: Page, code: str, satisfaction: str) -> None:
    page.get_by_label("Mã hồ sơ (trên phiếu hẹn)").fill(code)
    page.get_by_role("button", name="Đánh giá hồ sơ này").click()
    page.locator("[data-field=index1]").get_by_role("button", name="Đúng quy định").click()
    page.locator("[data-field=index7]").get_by_role(
        "button", name="Lịch sự, không có phản ánh"
    ).click()
    page.get_by_role("button", name=satisfaction, exact=True).click()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", name="Cảm ơn quý khách!")).to_be_visible()


def test_a_rating_given_offline_is_sent_once_when_the_network_returns(
    kiosk_url: str, new_page
) -> None:  # type: ignore[no-untyped-def]
    page: Page = new_page()
    base = kiosk_url.split("/mot-cua/")[0]
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("quay-01")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(kiosk_url)
    expect(page.get_by_role("heading", name="Đánh giá chất lượng phục vụ")).to_be_visible()
    page.wait_for_function(
        "navigator.serviceWorker.controller !== null || navigator.serviceWorker.ready"
    )
    page.evaluate("navigator.serviceWorker.ready")
    time.sleep(0.5)  # the worker stores the page and its files after it is ready

    # Online first: the rating reaches the server and the queue empties.
    rate(page, "HS-ONLINE", "Hài lòng")
    wait_for(lambda: len(stored()) == 1)
    expect(page.locator("#queued")).to_have_text("0")

    page.context.set_offline(True)
    page.reload()  # the kiosk opens from the worker's cache without network
    expect(page.get_by_role("heading", name="Đánh giá chất lượng phục vụ")).to_be_visible()
    rate(page, "HS-OFFLINE", "Rất không hài lòng")
    expect(page.locator("#queued")).to_have_text("1")
    expect(page.get_by_text("mất kết nối", exact=False)).to_be_visible()
    time.sleep(1)
    assert len(stored()) == 1

    page.context.set_offline(False)
    wait_for(lambda: len(stored()) == 2)
    expect(page.locator("#queued")).to_have_text("0")
    assert sorted(stored()) == [("HS-OFFLINE", 1, 2), ("HS-ONLINE", 4, 2)]
    # The thank-you screen goes back to the start by itself.
    expect(page.get_by_role("button", name="Đánh giá hồ sơ này")).to_be_visible(timeout=8000)


def test_only_counter_device_accounts_open_the_kiosk(live_server, make_user, new_page) -> None:  # type: ignore[no-untyped-def]
    make_user("lanh-dao", Role.ADMIN, None, password=PASSWORD)
    page: Page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("lanh-dao")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    response = page.goto(f"{live_server.url}/mot-cua/quay/")
    assert response is not None and response.status == 403


def test_feedback_left_at_the_kiosk_offline_reaches_the_unit_once(kiosk_url: str, new_page) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.feedback.models import Feedback

    page: Page = new_page()
    base = kiosk_url.split("/mot-cua/")[0]
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("quay-01")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(kiosk_url)
    page.context.set_offline(True)
    page.get_by_role("button", name="Gửi phản ánh, kiến nghị").click()
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_text("Xin nhập nội dung phản ánh, kiến nghị.")).to_be_visible()
    page.get_by_label("Nội dung phản ánh, kiến nghị").fill("Quầy số 1 đông, chờ lâu <b>quá</b>")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("heading", name="Cảm ơn quý khách!")).to_be_visible()
    expect(page.locator("#queued")).to_have_text("1")
    assert Feedback.objects.count() == 0
    page.context.set_offline(False)
    wait_for(lambda: Feedback.objects.count() == 1)
    item = Feedback.objects.get()
    assert (item.source, item.unit.ref, item.content) == (
        "kiosk",
        "test:tthcc",
        "Quầy số 1 đông, chờ lâu <b>quá</b>",
    )
    expect(page.locator("#queued")).to_have_text("0")
