"""Feedback deadlines enforced across Tết 2026 (16–20/02 off): a refusal after its 2 working
days and a request for more after its 5 are refused with the date; an item past its 15 working
days shows on the unit's list and the leader's dashboard, and leaves one overdue record."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from parindex.core.onestop.feedback import DeadlinePassed
from parindex.core.roles import Role
from parindex.server.accounts.models import Unit
from parindex.server.feedback import services
from parindex.server.feedback.deadlines import overdue_items, record_lapses
from parindex.server.feedback.models import Feedback, FeedbackLapse

RECEIVED = date(2026, 2, 13)  # Friday before Tết: refuse by 24/02, ask by 27/02, handle by 13/03


@pytest.fixture
def centre(db: None) -> Unit:
    province = Unit.objects.create(ref="test:p", kind="province", code="99", name_vi="Tỉnh Thử")
    return Unit.objects.create(
        ref="test:p-c", kind="one_stop_centre", name_vi="Trung tâm Một cửa", parent=province
    )


def _item(centre: Unit, text: str = "Hồ sơ trễ hẹn") -> Feedback:
    return services.receive(
        services.Intake(text, centre, received_on=RECEIVED), Feedback.Source.WEB
    )


def test_the_refusal_and_request_windows_close_after_tet(centre: Unit) -> None:
    item = _item(centre)
    assert (item.refuse_due, item.info_due, item.handle_due) == (
        date(2026, 2, 24),
        date(2026, 2, 27),
        date(2026, 3, 13),
    )
    with pytest.raises(DeadlinePassed):
        services.refuse(item, "Không thuộc thẩm quyền", on=date(2026, 2, 25))
    item.refresh_from_db()
    assert item.state == Feedback.State.RECEIVED  # nothing changed
    services.request_information(item, on=date(2026, 2, 27))  # the 5th working day: still open
    item.refresh_from_db()
    assert (item.state, item.info_requested_on) == ("info_requested", date(2026, 2, 27))
    other = _item(centre)
    services.refuse(other, "Không thuộc thẩm quyền", on=date(2026, 2, 24))  # Tết not counted
    assert Feedback.objects.get(pk=other.pk).state == Feedback.State.REFUSED


def test_an_overdue_item_is_listed_and_recorded_once(centre: Unit) -> None:
    late = _item(centre)
    answered = _item(centre, "Thủ tục")
    services.answer(answered, "Đã trả lời", on=date(2026, 3, 13))  # publish by Tue 17/03
    assert overdue_items({centre.pk}, date(2026, 3, 13)) == []
    found = overdue_items({centre.pk}, date(2026, 3, 18))
    assert [
        (o.item.reference, [(x.step, x.working_days_late) for x in o.lapses]) for o in found
    ] == [
        (late.reference, [("handle", 3)]),
        (answered.reference, [("publish", 1)]),
    ]
    assert record_lapses(date(2026, 3, 18)) == 2
    assert record_lapses(date(2026, 3, 19)) == 0  # once per item and deadline
    services.publish(answered, on=date(2026, 3, 19))
    # Published late: no longer on the list, the record stays.
    assert [o.item.pk for o in overdue_items({centre.pk}, date(2026, 3, 19))] == [late.pk]
    assert FeedbackLapse.objects.filter(feedback=answered, step="publish").count() == 1


def test_the_refusal_after_its_window_is_explained_on_the_page(
    centre: Unit, client: Client, make_user: Any
) -> None:
    item = services.receive(services.Intake("Hồ sơ", centre, received_on=date(2024, 1, 2)),
                            Feedback.Source.WEB)  # fmt: skip
    client.force_login(make_user("lanh-dao", Role.LEADER, centre.parent))
    url = f"/phan-anh-kien-nghi/xu-ly/{item.reference}/"
    page = client.post(url, {"action": "refuse", "text": "Không"}, follow=True).content.decode()
    assert "Thời hạn 2 ngày làm việc để từ chối tiếp nhận đã hết vào ngày 04/01/2024" in page
    assert Feedback.objects.get(pk=item.pk).state == Feedback.State.RECEIVED
    inbox = client.get("/phan-anh-kien-nghi/don-vi/test:p/").content.decode()
    assert "quá hạn xử lý: hạn" in inbox
    dashboard = client.get("/mot-cua/don-vi/test:p/").content.decode()
    assert item.reference in dashboard and "quá hạn xử lý: hạn" in dashboard


def test_suspended_clock_moves_the_deadline_by_the_days_waited(centre: Unit, settings: Any) -> None:
    settings.FEEDBACK_INFO_CLOCK = "suspended"
    item = _item(centre)  # handle by Fri 13/03
    services.request_information(item, on=date(2026, 2, 27))
    # Waiting for the sender on Mon 16/03, past 13/03: not overdue while the clock is stopped.
    assert overdue_items({centre.pk}, date(2026, 3, 16)) == []
    settings.FEEDBACK_INFO_CLOCK = "runs"
    assert [o.item.pk for o in overdue_items({centre.pk}, date(2026, 3, 16))] == [item.pk]
    settings.FEEDBACK_INFO_CLOCK = "suspended"
    # Supplied Fri 06/03: waited 02–06/03, 5 working days; 13/03 + 5 = Fri 20/03.
    services.information_supplied(item, on=date(2026, 3, 6))
    item.refresh_from_db()
    assert (item.state, item.info_supplied_on, item.handle_due) == (
        "received",
        date(2026, 3, 6),
        date(2026, 3, 20),
    )
    assert overdue_items({centre.pk}, date(2026, 3, 20)) == []
    assert [o.item.pk for o in overdue_items({centre.pk}, date(2026, 3, 23))] == [item.pk]
    with pytest.raises(services.FeedbackError):
        services.information_supplied(item, on=date(2026, 3, 9))  # no longer waiting


def test_the_leader_records_the_information_supplied_on_the_page(
    centre: Unit, client: Client, make_user: Any, settings: Any
) -> None:
    settings.FEEDBACK_INFO_CLOCK = "restarted"
    settings.LANGUAGE_CODE = "vi"
    item = _item(centre)
    services.request_information(item, on=date(2026, 2, 27))
    client.force_login(make_user("lanh-dao", Role.LEADER, centre.parent))
    url = f"/phan-anh-kien-nghi/xu-ly/{item.reference}/"
    page = client.get(url).content.decode()
    assert "Người gửi đã bổ sung thông tin" in page
    assert "Đã đề nghị bổ sung thông tin ngày 27/02/2026" in page
    page = client.post(url, {"action": "info_supplied"}, follow=True).content.decode()
    item.refresh_from_db()
    assert item.state == "received" and item.info_supplied_on is not None
    assert "Người gửi đã bổ sung thông tin" not in page  # the button is gone once supplied
    due = item.handle_due.strftime("%d/%m/%Y")
    assert f"hạn xử lý {due}" in page
