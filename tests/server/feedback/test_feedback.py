"""Feedback (PAKN): sent on the public form, routed to the responsible unit, answered within its
working-day deadlines, published escaped; overdue dossiers call for a public apology."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parindex.core.onestop.feedback import FeedbackKind
from parindex.server.accounts.models import Unit
from parindex.server.feedback import services
from parindex.server.feedback.models import Apology, Feedback
from parindex.server.ratings.models import Dossier


@pytest.fixture
def units(db: None) -> tuple[Unit, Unit]:
    province = Unit.objects.create(ref="test:p", kind="province", code="99", name_vi="Tỉnh Thử")
    centre = Unit.objects.create(
        ref="test:p-c", kind="one_stop_centre", name_vi="Trung tâm Một cửa", parent=province
    )
    return province, centre


def test_a_citizen_sends_feedback_naming_a_dossier_and_it_goes_to_the_dossiers_unit(
    units: tuple[Unit, Unit], client: Client
) -> None:
    province, centre = units
    now = timezone.now()
    Dossier.objects.create(
        code="HS-5", procedure="1.001", unit=centre, received=now, appointment=now
    )
    response = client.post(
        "/phan-anh-kien-nghi/gui/",
        {
            "unit": province.pk,
            "dossier_code": "HS-5",
            "content": "Cán bộ có thái độ gây khó khăn",
            "contact": "0900",
        },
    )
    assert response.status_code == 200
    item = Feedback.objects.get()
    assert item.unit == centre
    assert item.kind == FeedbackKind.CONDUCT  # suggested from the words, for the officer to confirm
    assert item.reference in response.content.decode()
    assert "Trung tâm Một cửa" in response.content.decode()


def test_feedback_naming_no_unit_and_no_known_dossier_is_returned_with_the_reason(
    units: tuple[Unit, Unit], client: Client
) -> None:
    response = client.post(
        "/phan-anh-kien-nghi/gui/", {"dossier_code": "KHONG-CO", "content": "Nội dung"}
    )
    assert response.status_code == 422
    assert (
        "Xin chọn cơ quan, đơn vị liên quan hoặc nhập mã hồ sơ đã có." in response.content.decode()
    )
    assert Feedback.objects.count() == 0


def test_deadlines_are_working_days_and_the_answer_is_published_escaped(
    units: tuple[Unit, Unit], client: Client
) -> None:
    _, centre = units
    # Received Friday 26 April 2024: 30/4 and 1/5 are holidays. Refuse by Thu 2 May (2 working
    # days), ask for more by Tue 7 May (5), handle by Tue 21 May (15).
    item = services.receive(
        services.Intake(
            "Hỏi về <b>thủ tục</b> <script>alert('x')</script>",
            centre,
            received_on=date(2024, 4, 26),
        ),
        Feedback.Source.WEB,
    )
    assert (item.refuse_due, item.info_due, item.handle_due) == (
        date(2024, 5, 2),
        date(2024, 5, 7),
        date(2024, 5, 21),
    )
    services.answer(item, "Trả lời: <i>đã xử lý</i>", on=date(2024, 5, 17))
    assert item.publish_due == date(2024, 5, 21)  # two working days after Friday 17 May
    assert (
        client.get("/phan-anh-kien-nghi/").content.decode().count(item.reference) == 0
    )  # not yet published
    services.publish(item, on=date(2024, 5, 20))
    page = client.get("/phan-anh-kien-nghi/").content.decode()
    assert item.reference in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<i>đã xử lý</i>" not in page
    with pytest.raises(services.FeedbackError):
        services.answer(item, "again")


def test_overdue_items_and_decision_766_counts(units: tuple[Unit, Unit]) -> None:
    _, centre = units
    received = date(2024, 4, 26)
    on_time = services.receive(
        services.Intake("thủ tục", centre, received_on=received), Feedback.Source.WEB
    )
    late = services.receive(
        services.Intake("hồ sơ", centre, received_on=received), Feedback.Source.WEB
    )
    services.receive(services.Intake("xin chào", centre, received_on=received), Feedback.Source.WEB)
    services.answer(on_time, "Đã trả lời", on=date(2024, 5, 10))
    services.classify(late, FeedbackKind.PROCEDURE)
    as_of = date(2024, 5, 22)
    # On 14 May nothing is late: handling is due 21 May, publication of the answer of Fri 10 May
    # by Tue 14 May. On 22 May the two open items are late, and so is the unpublished answer.
    assert services.overdue({centre.pk}, date(2024, 5, 14)) == []
    late_items = services.overdue({centre.pk}, as_of)
    assert sorted(f.reference for f in late_items) == sorted(
        Feedback.objects.values_list("reference", flat=True)
    )
    counts = services.feedback_counts({centre.pk}, date(2024, 4, 1), date(2024, 4, 30), as_of)
    # Three items; two classified (the greeting is not); one answered on time; the two still
    # open past 21 May count as not satisfied.
    assert counts == {"total": 3, "classified": 2, "on_time": 1, "unsatisfied": 2}


def test_an_import_is_all_or_nothing_and_located(units: tuple[Unit, Unit]) -> None:
    good = "received,unit,content\n26/04/2024,test:p-c,Hỏi về thủ tục\n"
    assert services.import_feedback("pakn.csv", good.encode(), None).value == 1
    bad = good + "31/02/2024,test:x,\n"
    report = services.import_feedback("pakn.csv", bad.encode(), None)
    assert report.value is None
    assert sorted((f.line, f.node) for f in report.findings) == [
        (3, "content"),
        (3, "received"),
        (3, "unit"),
    ]
    assert Feedback.objects.count() == 1


def test_an_overdue_dossier_gets_one_apology_record_the_unit_completes(
    units: tuple[Unit, Unit],
) -> None:
    _, centre = units

    def at(day: int) -> datetime:
        return timezone.make_aware(datetime(2024, 5, day, 9))

    Dossier.objects.create(
        code="LATE", procedure="p", unit=centre, received=at(6), appointment=at(10), finished=at(13)
    )
    Dossier.objects.create(
        code="OPEN", procedure="p", unit=centre, received=at(6), appointment=at(20)
    )
    Dossier.objects.create(
        code="OK", procedure="p", unit=centre, received=at(6), appointment=at(10), finished=at(10)
    )
    assert services.record_apologies(as_of=date(2024, 5, 15)) == 1
    assert services.record_apologies(as_of=date(2024, 5, 15)) == 0  # once per dossier
    assert services.record_apologies(as_of=date(2024, 5, 21)) == 1  # OPEN is now past its day
    apology = Apology.objects.get(dossier_code="LATE")
    assert apology.completed_on is None and apology.due_on == date(2024, 5, 10)
    services.complete_apology(apology, "Xin lỗi ông/bà vì sự chậm trễ.", date(2024, 5, 24))
    assert Apology.objects.get(dossier_code="LATE").completed_on is not None


def test_the_unit_handles_feedback_and_completes_apologies_on_its_pages(
    units: tuple[Unit, Unit], client: Client, make_user: Any
) -> None:
    from parindex.core.roles import Role

    province, centre = units
    item = services.receive(services.Intake("xin chào", centre), Feedback.Source.WEB)
    Apology.objects.create(
        dossier_code="HS-T", unit=centre, due_on=date(2024, 5, 10), created_on=date(2024, 5, 13)
    )
    outsider = Unit.objects.create(ref="test:q", kind="province", code="98", name_vi="Tỉnh Khác")
    client.force_login(make_user("khac", Role.FOCAL_POINT, outsider))
    assert client.get(f"/phan-anh-kien-nghi/xu-ly/{item.reference}/").status_code == 403
    client.force_login(make_user("dau-moi", Role.FOCAL_POINT, province))
    inbox = client.get("/phan-anh-kien-nghi/don-vi/test:p/").content.decode()
    assert item.reference in inbox and "HS-T" in inbox
    url = f"/phan-anh-kien-nghi/xu-ly/{item.reference}/"
    client.post(url, {"action": "classify", "kind": "procedure"})
    client.post(url, {"action": "publish"})  # nothing to publish yet: refused, state unchanged
    client.post(url, {"action": "answer", "text": "Đã hướng dẫn."})
    client.post(url, {"action": "publish"})
    item.refresh_from_db()
    assert (item.kind, item.state, item.answer) == ("procedure", "published", "Đã hướng dẫn.")
    response = client.post(
        "/phan-anh-kien-nghi/xin-loi/HS-T/", {"text": "Xin lỗi.", "new_appointment": "20/05/2024"}
    )
    assert response.status_code == 302
    record = Apology.objects.get(dossier_code="HS-T")
    assert (record.text, record.new_appointment) == ("Xin lỗi.", date(2024, 5, 20))
