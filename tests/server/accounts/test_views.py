"""Pages as a user meets them: Vietnamese first, a home per role, refusals for other roles."""

from __future__ import annotations

import pytest
from django.test import Client

from parindex.core.roles import Role
from parindex.server.accounts.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def lang_son(reference_units: None) -> Unit:
    return Unit.objects.get(ref="province:20")


def logged_in(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def test_the_login_page_is_vietnamese_even_for_an_english_browser(client: Client) -> None:
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text
    assert "Đăng nhập" in response.text
    assert response["Content-Language"] == "vi"


def test_the_language_switch_turns_the_interface_english_and_back(client: Client) -> None:
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True
    )
    assert '<html lang="en">' in response.text
    assert "User name" in response.text
    response = client.post(
        "/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"}, follow=True
    )
    assert "Tên đăng nhập" in response.text


def test_a_wrong_password_is_refused_with_a_vietnamese_message(client: Client, make_user) -> None:
    make_user("ls-focal", Role.PUBLIC, None, password="đúng-mật-khẩu-1")
    response = client.post("/accounts/login/", {"username": "ls-focal", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.text
    response = client.post(
        "/accounts/login/", {"username": "ls-focal", "password": "đúng-mật-khẩu-1"}
    )
    assert response.status_code == 302 and response["Location"] == "/home/"


@pytest.mark.parametrize(
    ("role", "national", "heading"),
    [
        (Role.ADMIN, True, "Quản trị viên ngành Nội vụ"),
        (Role.FOCAL_POINT, False, "Đầu mối đơn vị"),
        (Role.LEADER, False, "Lãnh đạo đơn vị"),
        (Role.APPRAISER, True, "Cán bộ thẩm định"),
        (Role.COUNCIL_MEMBER, True, "Thành viên Hội đồng thẩm định"),
        (Role.SURVEY_MANAGER, True, "Quản lý điều tra xã hội học"),
        (Role.COUNTER_DEVICE, False, "Thiết bị đánh giá tại quầy"),
        (Role.PUBLIC, True, "Người đọc công khai"),
    ],
    ids=[r.value for r in Role],
)
def test_each_role_lands_on_its_own_home_page(
    client: Client, make_user, lang_son: Unit, role: Role, national: bool, heading: str
) -> None:
    user = make_user("u", role, None if national else lang_son)
    home = logged_in(client, user).get("/home/")
    assert home.status_code == 302 and home["Location"] == f"/home/{role.slug}/"
    page = client.get(home["Location"])
    assert page.status_code == 200
    assert f'<h1 data-role="{role.value}">{heading}</h1>' in page.text
    if not national:
        assert "Tỉnh Lạng Sơn" in page.text


def test_a_focal_point_is_refused_the_appraisers_page(
    client: Client, make_user, lang_son: Unit
) -> None:
    user = make_user("ls-focal", Role.FOCAL_POINT, lang_son)
    response = logged_in(client, user).get("/home/appraiser/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.text


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/home/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/home/admin/")


def test_a_user_with_two_roles_chooses_between_them(
    client: Client, make_user, lang_son: Unit
) -> None:
    from parindex.server.accounts.services import grant_role

    user = make_user("two", Role.FOCAL_POINT, lang_son)
    grant_role(user, Role.SURVEY_MANAGER, None)
    page = logged_in(client, user).get("/home/")
    assert page.status_code == 200
    assert 'href="/home/focal-point/"' in page.text and 'href="/home/survey-manager/"' in page.text


def test_unit_pages_are_limited_to_the_users_scope(
    client: Client, make_user, lang_son: Unit
) -> None:
    user = make_user("ls-focal", Role.FOCAL_POINT, lang_son)
    ha_noi = Unit.objects.get(ref="province:01")
    logged_in(client, user)
    assert client.get(f"/units/{lang_son.pk}/").status_code == 200
    assert client.get(f"/units/{ha_noi.pk}/").status_code == 403
    listing = client.get("/units/").text
    assert "Tỉnh Lạng Sơn" in listing and "Thành phố Hà Nội" not in listing


def test_a_merged_province_shows_what_it_was_formed_from(
    client: Client, make_user, reference_units: None
) -> None:
    user = make_user("moha", Role.ADMIN, None)
    new_tuyen_quang = Unit.objects.get(ref="province:08/2025")
    page = logged_in(client, user).get(f"/units/{new_tuyen_quang.pk}/").text
    assert "Hình thành từ" in page and "Tỉnh Hà Giang" in page
    assert "01/07/2025" in page


def test_the_admin_home_counts_accounts_by_role(client: Client, make_user, lang_son: Unit) -> None:
    admin = make_user("moha", Role.ADMIN, None)
    make_user("a1", Role.APPRAISER, None)
    make_user("a2", Role.APPRAISER, None)
    page = logged_in(client, admin).get("/home/admin/").text
    assert '<td>Cán bộ thẩm định</td><td class="num">2</td>' in page


def test_the_django_admin_is_translated(client: Client, make_user) -> None:
    admin = make_user("moha", Role.ADMIN, None)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    page = logged_in(client, admin).get("/admin/").text
    assert "Quản trị parindex" in page


def test_a_user_changes_the_password_and_logs_in_with_the_new_one(
    client: Client, make_user
) -> None:
    make_user("ls-leader", Role.PUBLIC, None, password="mật-khẩu-cũ-2026")
    assert client.login(username="ls-leader", password="mật-khẩu-cũ-2026")
    page = client.get("/accounts/password/")
    assert "Đổi mật khẩu" in page.text
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "mật-khẩu-cũ-2026",
            "new_password1": "mật-khẩu-mới-2027",
            "new_password2": "mật-khẩu-mới-2027",
        },
        follow=True,
    )
    assert "Mật khẩu mới của bạn đã có hiệu lực." in response.text
    client.logout()
    assert not client.login(username="ls-leader", password="mật-khẩu-cũ-2026")
    assert client.login(username="ls-leader", password="mật-khẩu-mới-2027")
