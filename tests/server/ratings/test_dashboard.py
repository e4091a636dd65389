"""A unit leader's counter dashboard: only for leaders reaching the unit; figures from the
unit's ratings; a bad dossier file is refused with its row and column."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from parindex.core.roles import Role
from parindex.server.jobs import runner
from parindex.server.jobs.models import Job
from parindex.server.ratings.models import Dossier, Rating

from .conftest import Site


def rate(site: Site, satisfaction: int, officer: str = "", ago: timedelta = timedelta(0)) -> None:
    Rating.objects.create(
        client_id=uuid.uuid4(),
        channel="device",
        unit=site.centre,
        counter="Q1",
        officer=officer,
        index7=2,
        satisfaction=satisfaction,
        submitted_at=timezone.now() - ago,
        comment="<b>chậm</b>",
    )


def test_a_leader_sees_today_the_officers_and_low_ratings(
    site: Site, client: Client, make_user: Callable[..., object]
) -> None:
    leader = make_user("lanh-dao", Role.LEADER, site.province)
    rate(site, 5, "Nguyễn Văn A")
    rate(site, 1, "Nguyễn Văn A")
    rate(site, 4, "", ago=timedelta(days=40))
    client.force_login(leader)  # type: ignore[arg-type]
    response = client.get("/mot-cua/don-vi/test:p/")
    assert response.status_code == 200
    board = response.context["board"]
    assert (board.today.count, board.today.mean) == (2, 3.0)
    assert [(o.officer, o.ratings, o.mean, o.total) for o in board.officers] == [
        ("Nguyễn Văn A", 2, 3.0, 2.0)
    ]
    assert [a.satisfaction for a in board.alerts] == [1]
    assert sum(month["count"] for month in board.trend) == 3
    page = response.content.decode()
    assert "Đánh giá thấp trong 7 ngày qua" in page
    assert "&lt;b&gt;chậm&lt;/b&gt;" in page  # comments are shown as text
    assert 'id="trend-spec" type="application/json"' in page
    tooltip = response.context["spec"]["encoding"]["tooltip"]
    assert [t["title"] for t in tooltip] == ["Tháng", "Mức hài lòng trung bình (1–5)", "Đánh giá"]
    # This quarter's Circular 01 index 7 is the two dossier-less ratings' 2 + 2 → 2.0, and index 8
    # is 2 (no feedback at all, Art. 15), so the total is 4.0 of 18 ("yếu"), with the seven other
    # indices reported as without data.
    indicators = response.context["indicators"]
    assert (indicators.tt01.indices, indicators.tt01.total, indicators.tt01_band) == (
        {7: 2.0, 8: 2.0},
        4.0,
        "Yếu",
    )
    assert "Chỉ số chưa có dữ liệu: 1, 2, 3, 4, 5, 6, 9." in page
    assert client.get("/mot-cua/don-vi/test:p/?ky=2025-Q9").status_code == 404


def test_others_are_refused(site: Site, client: Client, make_user: Callable[..., object]) -> None:
    elsewhere = make_user("lanh-dao-khac", Role.LEADER, site.other)
    client.force_login(elsewhere)  # type: ignore[arg-type]
    assert client.get("/mot-cua/don-vi/test:p/").status_code == 403
    client.force_login(site.device)  # type: ignore[arg-type]
    assert client.get("/mot-cua/don-vi/test:p/").status_code == 403


def imported(client: Client, upload: SimpleUploadedFile) -> str:
    """Post a dossier file, run the background job it queued, and read the job's page."""
    response = client.post("/mot-cua/don-vi/test:p/nhap-ho-so/", {"file": upload})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = Job.objects.latest("pk")
    runner.run(job.pk)
    return client.get(response["Location"]).content.decode()


def test_a_bad_dossier_file_is_refused_with_row_and_column(
    site: Site, client: Client, make_user: Callable[..., object]
) -> None:
    client.force_login(make_user("lanh-dao", Role.LEADER, site.province))  # type: ignore[arg-type]
    content = (
        "code,procedure,unit,received,appointment\nHS-1,1.001,test:p-tthcc,06/05/2024,hôm qua\n"
    )
    upload = SimpleUploadedFile("motcua.csv", content.encode(), content_type="text/csv")
    page = imported(client, upload)
    assert 'data-state="failed"' in page and "motcua.csv" in page
    assert (
        "dòng 2, cột appointment: &#x27;hôm qua&#x27; không phải ngày giờ "
        "(viết 2024-05-06 08:30 hoặc 06/05/2024 08:30)" in page
    )
    assert "is not a date" not in page
    assert Dossier.objects.count() == 0
    # In English the same finding reads in English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    upload = SimpleUploadedFile("motcua.csv", content.encode(), content_type="text/csv")
    english = imported(client, upload)
    assert (
        "row 2, column appointment: &#x27;hôm qua&#x27; is not a date and time "
        "(write 2024-05-06 08:30 or 06/05/2024 08:30)" in english
    )
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    good = SimpleUploadedFile("motcua.csv", content.replace("hôm qua", "10/05/2024").encode())
    page = imported(client, good)
    assert 'data-state="done"' in page and "Đã thêm 1 hồ sơ, cập nhật 0 hồ sơ." in page
    assert Dossier.objects.count() == 1


def test_every_dossier_finding_is_translated_and_a_dossier_of_another_unit_is_located(
    site: Site, client: Client, make_user: Callable[..., object]
) -> None:
    from parindex.core.onestop.records import MESSAGES
    from parindex.server.ratings.labels import DOSSIER_FINDINGS

    assert set(MESSAGES) <= set(DOSSIER_FINDINGS)
    Dossier.objects.create(
        code="HS-X", procedure="1.001", unit=site.other, received=timezone.now(),
        appointment=timezone.now(),
    )  # fmt: skip
    client.force_login(make_user("lanh-dao", Role.LEADER, site.province))  # type: ignore[arg-type]
    content = "".join(
        (
            "code,procedure,unit,received,appointment\n",
            "HS-1,1.001,test:p-tthcc,06/05/2024,07/05/2024\n",
            "HS-X,1.001,test:p-tthcc,06/05/2024,07/05/2024\n",
        )
    )
    upload = SimpleUploadedFile("motcua.csv", content.encode(), content_type="text/csv")
    page = imported(client, upload)
    assert "dòng 3, cột code: hồ sơ &#x27;HS-X&#x27; thuộc đơn vị nằm ngoài phạm vi của bạn" in page
    assert Dossier.objects.count() == 1
    upload = SimpleUploadedFile("motcua.txt", b"x", content_type="text/plain")
    page = imported(client, upload)
    assert "tệp motcua.txt không phải tệp .csv hoặc .xlsx" in page


def test_the_dashboard_says_what_it_lacks_rather_than_drawing_nothing(
    site: Site, client: Client, make_user: Callable[..., object]
) -> None:
    """The walk found an empty chart frame for a unit without ratings, months as "2026-11",
    unstyled tables, and "Xuất sắc" read on 8 of the 14 Decision 766 indicators."""
    leader = make_user("lanh-dao", Role.LEADER, site.province)
    client.force_login(leader)  # type: ignore[arg-type]
    empty = client.get("/mot-cua/don-vi/test:p/").content.decode()
    assert "Chưa có đánh giá nào trong 12 tháng qua" in empty
    assert 'id="trend-spec"' not in empty and 'id="trend"' not in empty

    rate(site, 5, "Nguyễn Văn A")
    rate(site, 4, "", ago=timedelta(days=40))
    response = client.get("/mot-cua/don-vi/test:p/")
    page = response.content.decode()
    assert "Chưa có đánh giá nào trong 12 tháng qua" not in page
    spec = response.context["spec"]
    months = [point["month"] for point in spec["data"]["values"]]
    now = timezone.localdate()
    assert months[-1] == f"{now.month:02d}/{now.year}", "11/2026, not 2026-11"
    assert spec["encoding"]["x"]["sort"] is None, "months in time order, not as text"
    assert page.count('<table class="data">') == page.count("<table"), "every table styled"

    indicators = response.context["indicators"]
    with_data = sum(points is not None for _, _, points in indicators.d766_rows)
    assert 0 < with_data < len(indicators.d766_rows) == 14
    line = page.split('id="d766-total">')[1].split("</p>")[0]
    assert f"{indicators.d766_grade}, tạm tính trên {with_data}/14 chỉ số có dữ liệu." in line
