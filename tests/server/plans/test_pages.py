"""The plans' pages as their users walk them: a focal point makes a plan, the leader follows its
progress, actions move, the plan downloads as Excel; another province sees none of it."""

from __future__ import annotations

import io
from datetime import date

from django.urls import reverse
from openpyxl import load_workbook

from parindex.core.plans import ActionStatus


def make_plan(client, setting):  # type: ignore[no-untyped-def]
    from parindex.server.assessments.models import Assessment

    cycle, units, people = setting
    client.force_login(people["focal"])
    assessment = Assessment.objects.get(cycle=cycle, unit=units["province:20"])
    listing = client.get(reverse("plans")).content.decode()
    assert f'value="{assessment.pk}"' in listing  # the focal point may plan for its province
    response = client.post(
        reverse("plan-create"), {"assessment": assessment.pk, "target_kind": "group:A"}
    )
    assert response.status_code == 302
    return response["Location"]


def test_the_leader_follows_the_plan_made_by_the_focal_point(client, setting) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.plans.models import ImprovementPlan

    _cycle, _units, people = setting
    address = make_plan(client, setting)
    plan = ImprovementPlan.objects.get()
    assert address == reverse("plan", kwargs={"pk": plan.pk})
    action = plan.actions.first()
    client.post(
        reverse("plan-action-assign", kwargs={"pk": plan.pk, "action_pk": action.pk}),
        {"person": "Nguyễn Thị B", "deadline": "2099-06-30"},
    )
    client.post(
        reverse("plan-action-move", kwargs={"pk": plan.pk, "action_pk": action.pk}),
        {"status": "done", "evidence": "Quyết định 45/QĐ-UBND", "note": ""},
    )
    client.force_login(people["leader"])
    page = client.get(address).content.decode()
    total = plan.actions.count()
    # Vietnamese first: the page speaks Vietnamese, numbers with a decimal comma.
    assert "Kế hoạch cải thiện" in page and f"1 trên {total} nhiệm vụ đã hoàn thành" in page
    assert "Nguyễn Thị B" in page and "Quyết định 45/QĐ-UBND" in page
    assert "80,00 %" in page and "Improvement plan of" not in page
    assert "mục tiêu nhóm A" in page and "groupA" not in page  # no raw code on the page
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.deadline == date(2099, 6, 30)


def test_done_without_evidence_is_refused_with_the_reason(client, setting) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.plans.models import ImprovementPlan

    address = make_plan(client, setting)
    plan = ImprovementPlan.objects.get()
    action = plan.actions.first()
    response = client.post(
        reverse("plan-action-move", kwargs={"pk": plan.pk, "action_pk": action.pk}),
        {"status": "done", "evidence": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == address
    assert "hãy nêu minh chứng" in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED and not action.history.exists()


def test_another_province_sees_and_changes_nothing(client, setting) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.plans.models import ImprovementPlan

    _cycle, _units, people = setting
    make_plan(client, setting)
    plan = ImprovementPlan.objects.get()
    action = plan.actions.first()
    client.force_login(people["other"])
    assert client.get(reverse("plan", kwargs={"pk": plan.pk})).status_code == 403
    assert client.get(reverse("plan-download", kwargs={"pk": plan.pk})).status_code == 403
    move = reverse("plan-action-move", kwargs={"pk": plan.pk, "action_pk": action.pk})
    assert client.post(move, {"status": "dropped"}).status_code == 403
    assert (
        reverse("plan", kwargs={"pk": plan.pk}) not in client.get(reverse("plans")).content.decode()
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_the_plan_downloads_as_a_workbook_with_numbers_as_numbers(client, setting) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.plans.models import ImprovementPlan

    make_plan(client, setting)
    plan = ImprovementPlan.objects.get()
    response = client.get(reverse("plan-download", kwargs={"pk": plan.pk}))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Tiêu chí thành phần")
    actions = {row[0]: row for row in rows[header + 1 :] if row[0] and row[2] is not None}
    assert set(actions) == set(plan.actions.values_list("component", flat=True))
    for action in plan.actions.all():
        row = actions[action.component]
        assert row[2] == action.current_points and row[3] == action.target_points
        assert row[7] == "đã lên kế hoạch"


def test_the_plan_prints_as_a_pdf_in_vietnamese(client, setting) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    from parindex.server.plans.models import ImprovementPlan

    _cycle, _units, people = setting
    make_plan(client, setting)
    plan = ImprovementPlan.objects.get()
    response = client.get(reverse("plan-pdf", kwargs={"pk": plan.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Kế hoạch cải thiện của" in text and "nhóm A" in text
    for component in plan.actions.values_list("component", flat=True):
        assert component in text
    client.force_login(people["other"])
    assert client.get(reverse("plan-pdf", kwargs={"pk": plan.pk})).status_code == 403


def test_the_plan_page_says_how_sure_the_rank_is_in_vietnamese(client, setting) -> None:  # type: ignore[no-untyped-def]
    # Provinces at 80, 88 and 95 % of every component: far enough apart that no declared choice
    # of par-index-province/2023 (equal field weights, one decimal, N/A as zero) moves them.
    address = make_plan(client, setting)
    page = client.get(address).content.decode()
    assert "Thứ hạng chắc chắn đến đâu" in page
    assert "Thứ hạng công bố 3;" in page and "cho thứ hạng từ 3 đến 3 (trung vị 3)" in page
    assert "Nhóm B: 100 %" in page
    assert "Với cách tính trọng số “các lĩnh vực ngang nhau”, thứ hạng của đơn vị vẫn là 3." in page
    assert "Nếu làm tròn đến 1 chữ số thập phân, thứ hạng của đơn vị vẫn là 3." in page


def test_the_target_is_chosen_from_a_list_not_typed_as_a_code(client, setting) -> None:  # type: ignore[no-untyped-def]
    """The form used to hold the planner's CLI syntax (``groupA``, ``rank:K``) in a text box."""
    from parindex.server.assessments.models import Assessment
    from parindex.server.plans.models import ImprovementPlan

    cycle, units, people = setting
    client.force_login(people["focal"])
    listing = client.get(reverse("plans")).content.decode()
    form = listing.split('name="target_kind"')[1].split("</select>")[0]
    assert '<option value="group:A">nhóm A</option>' in form
    assert "thứ hạng" in form and "%" in form
    assert "groupA" not in listing and "rank:K" not in listing
    assessment = Assessment.objects.get(cycle=cycle, unit=units["province:20"])
    refused = client.post(
        reverse("plan-create"),
        {"assessment": assessment.pk, "target_kind": "rank", "target_number": ""},
        follow=True,
    ).content.decode()
    assert "hãy nhập thứ hạng hoặc chỉ số % mà kế hoạch cần đạt" in refused
    assert not ImprovementPlan.objects.exists()
    client.post(
        reverse("plan-create"),
        {"assessment": assessment.pk, "target_kind": "rank", "target_number": "1"},
    )
    assert ImprovementPlan.objects.get().target == "rank:1"
