"""Each role's home leads to the pages of its work. The walk of the demo found the one-stop
dashboard, the feedback inbox, the improvement plans and the counter kiosk linked from no page,
and the counter device's home saying the kiosk was not enabled while it was."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from parindex.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def province():  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    return Unit.objects.create(ref="test:p", kind="province", code="99", name_vi="Tỉnh Thử")


def home_links(client: Client, slug: str) -> dict[str, str]:
    """The links of the home page's own part ("Công việc của bạn"), by text."""
    html = client.get(f"/home/{slug}/").text
    work = html.split('class="work"')[1].split("</section>")[0]
    found = re.findall(r'<a[^>]*href="([^"]+)"[^>]*>([^<]+)</a>', work)
    return {" ".join(text.split()): href for href, text in found}


@pytest.mark.parametrize(
    ("role", "slug", "expected"),
    [
        (
            Role.LEADER,
            "leader",
            {
                "Bộ phận Một cửa · Tỉnh Thử": "/mot-cua/don-vi/test:p/",
                "Phản ánh, kiến nghị cần xử lý · Tỉnh Thử": "/phan-anh-kien-nghi/don-vi/test:p/",
                "Kế hoạch cải thiện": "/plans/",
            },
        ),
        (
            Role.FOCAL_POINT,
            "focal-point",
            {
                "Phản ánh, kiến nghị cần xử lý · Tỉnh Thử": "/phan-anh-kien-nghi/don-vi/test:p/",
                "Kế hoạch cải thiện": "/plans/",
            },
        ),
    ],
    ids=["leader", "focal point"],
)
def test_a_unit_s_people_find_their_dashboard_inbox_and_plans(
    province, make_user, role: Role, slug: str, expected: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(make_user("someone", role, province))
    links = home_links(client, slug)
    assert expected.items() <= links.items()
    for href in expected.values():
        assert client.get(href).status_code == 200, href


def test_the_counter_device_opens_its_kiosk_from_its_home(province, make_user, settings) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    centre = Unit.objects.create(
        ref="test:p-tthcc", kind="one_stop_centre", name_vi="Trung tâm", parent=province
    )
    client = Client()
    client.force_login(make_user("quay-01", Role.COUNTER_DEVICE, centre))
    page = client.get("/home/counter-device/").text
    assert "chưa được kích hoạt" not in page
    assert home_links(client, "counter-device") == {
        "Mở màn hình đánh giá tại quầy": "/mot-cua/quay/"
    }
    kiosk = client.get("/mot-cua/quay/")
    assert kiosk.status_code == 200
    settings.PARINDEX_DEMO = True  # the kiosk has its own page; the demo must say so there too
    assert "Bản trình diễn: trang này chứa dữ liệu giả lập" in client.get("/mot-cua/quay/").text
