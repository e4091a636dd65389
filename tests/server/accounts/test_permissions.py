"""The rule set at work on the defect found by probing the demo: an administrator role held at a
province acted nationally. Each test is a step a provincial administrator or a council member
took, with what must happen now. (Who reaches which page is tabulated for every route in
tests/server/test_authorization_matrix.py.)"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parindex.core.assessment.workflow import Action, State, WorkflowError
from parindex.core.methodology.rules import ManualRule
from parindex.core.roles import Role
from parindex.server.accounts.models import Unit
from parindex.server.accounts.permissions import allows
from parindex.server.accounts.services import grant_role, reaches_every, roles_at
from parindex.server.assessments import services
from parindex.server.assessments.models import Assessment, Cycle
from parindex.server.assessments.services import AssessmentError

pytestmark = pytest.mark.django_db

EXPLANATION = "Giải trình nội bộ của tỉnh — chưa nộp"


@pytest.fixture
def cycle(reference_units: None) -> Cycle:
    now = timezone.now()
    cycle = Cycle.objects.create(
        year=2026,
        name="CCHC 2026",
        edition="par-index-province/2023",
        self_assessment_deadline=now + timedelta(days=10),
        explanation_deadline=now + timedelta(days=20),
        appraisal_deadline=now + timedelta(days=30),
        is_open=True,
    )
    Assessment.objects.create(cycle=cycle, unit=Unit.objects.get(ref="province:20"))
    Assessment.objects.create(
        cycle=cycle, unit=Unit.objects.get(ref="province:04"), state=State.SUBMITTED
    )
    return cycle


def _assessment(cycle: Cycle, ref: str) -> Assessment:
    return cycle.assessments.select_related("unit").get(unit__ref=ref)


def test_roles_at_a_unit_are_those_held_there_above_or_nationally(cycle: Cycle, make_user) -> None:
    lang_son = Unit.objects.get(ref="province:20")
    user = make_user("u", Role.ADMIN, Unit.objects.get(ref="province:04"))
    assert roles_at(user, lang_son) == frozenset()
    grant_role(user, Role.COUNCIL_MEMBER, None)
    assert roles_at(user, lang_son) == {Role.COUNCIL_MEMBER}
    grant_role(user, Role.ADMIN, lang_son)
    assert roles_at(user, lang_son) == {Role.COUNCIL_MEMBER, Role.ADMIN}


def test_a_cycle_wide_step_needs_a_role_reaching_every_unit(cycle: Cycle, make_user) -> None:
    units = list(cycle.assessments.values_list("unit_id", flat=True))
    lang_son = Unit.objects.get(ref="province:20")
    provincial = make_user("p", Role.ADMIN, lang_son)
    national = make_user("n", Role.ADMIN, None)
    assert not reaches_every(provincial, units, [Role.ADMIN])
    assert reaches_every(provincial, [lang_son.pk], [Role.ADMIN])
    assert reaches_every(national, units, [Role.ADMIN])
    assert not reaches_every(provincial, [None], [Role.ADMIN]), "a national object"
    assert not reaches_every(provincial, [], [Role.ADMIN]), "nothing shows it is the province's"


def test_a_provincial_admin_does_not_reopen_another_province(cycle: Cycle, make_user) -> None:
    cao_bang = _assessment(cycle, "province:04")
    foreign = make_user("admin-ls", Role.ADMIN, Unit.objects.get(ref="province:20"))
    own = make_user("admin-cb", Role.ADMIN, Unit.objects.get(ref="province:04"))
    assert not services.can_view(foreign, cao_bang)
    with pytest.raises(WorkflowError):
        services.transition(cao_bang, foreign, Action.REOPEN, "sửa lại")
    cao_bang.refresh_from_db()
    assert cao_bang.state == State.SUBMITTED

    client = Client()
    client.force_login(foreign)
    url = reverse("assessment-move", kwargs={"pk": cycle.pk, "ref": "province:04"})
    assert client.post(url, {"action": "reopen", "reason": "sửa lại"}).status_code == 403
    cao_bang.refresh_from_db()
    assert cao_bang.state == State.SUBMITTED

    # The national cycle is the Ministry's: not even the province's own administrator reopens.
    with pytest.raises(WorkflowError):
        services.transition(cao_bang, own, Action.REOPEN, "sửa lại")
    services.transition(cao_bang, make_user("admin-n", Role.ADMIN, None), Action.REOPEN, "sửa lại")
    assert cao_bang.state == State.DRAFT


def test_a_provincial_admin_neither_previews_nor_publishes_a_national_cycle(
    cycle: Cycle, make_user
) -> None:
    provincial = make_user("admin-ls", Role.ADMIN, Unit.objects.get(ref="province:20"))
    client = Client()
    client.force_login(provincial)
    for name in ("assessment-preview", "assessment-council", "assessment-table"):
        assert client.get(reverse(name, args=[cycle.pk])).status_code == 403, name
    assert client.post(reverse("assessment-publish", args=[cycle.pk])).status_code == 403
    with pytest.raises(AssessmentError):
        services.publish(cycle, provincial)
    # …nor opens the cycle's page: the national cycle is the Ministry's.
    assert client.get(reverse("assessment-cycle", args=[cycle.pk])).status_code == 403


def test_the_council_workbook_holds_no_unsubmitted_draft(cycle: Cycle, make_user) -> None:
    lang_son = _assessment(cycle, "province:20")  # still a draft
    focal = make_user("focal-ls", Role.FOCAL_POINT, lang_son.unit)
    component = next(
        c
        for c in services.components(services.edition_of(cycle), "province")
        if isinstance(c.spec.rule, ManualRule)
    )
    services.save_self_score(lang_son, focal, component.id, points=0.5, explanation=EXPLANATION)
    council = make_user("council", Role.COUNCIL_MEMBER, None)
    admin = make_user("admin", Role.ADMIN, None)

    def cells(user: Any) -> tuple[list[Any], str]:
        client = Client()
        client.force_login(user)
        response = client.get(reverse("assessment-table", args=[cycle.pk]))
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        summary = [row for row in book["Tổng hợp"].iter_rows(values_only=True)]
        detail = [str(v) for row in book["Thẩm định"].iter_rows(values_only=True) for v in row]
        return summary, "\n".join(detail)

    summary, detail = cells(council)
    assert EXPLANATION not in detail
    assert "province:20" not in detail
    draft_row = next(row for row in summary if row[0] == "province:20")
    assert [v for v in draft_row if v is not None] == [
        "province:20",
        lang_son.unit.name_vi,
        "bản nháp",  # the workbook speaks the site's language (Vietnamese by default)
    ]

    _summary, detail = cells(admin)
    assert EXPLANATION in detail
    assert services.appraisal_table(cycle, admin) != services.appraisal_table(cycle, council)


def test_a_provincial_survey_manager_sees_its_own_surveys_only(reference_units, make_user) -> None:
    from parindex.server.surveys.models import Survey

    lang_son = Unit.objects.get(ref="province:20")
    now = timezone.now()
    common = {
        "questionnaire": "sipas-2023-citizens",
        "edition": "sipas/2023",
        "opens_at": now,
        "closes_at": now + timedelta(days=9),
    }
    national = Survey.objects.create(slug="sipas", name="SIPAS", **common)
    own = Survey.objects.create(slug="sipas-ls", name="SIPAS Lạng Sơn", unit=lang_son, **common)
    manager = make_user("sm-ls", Role.SURVEY_MANAGER, lang_son)
    admin_elsewhere = make_user("admin-cb", Role.ADMIN, Unit.objects.get(ref="province:04"))
    assert allows(manager, "surveys.manage_survey", own)
    assert not allows(manager, "surveys.manage_survey", national)
    assert not allows(admin_elsewhere, "surveys.manage_survey", own)
    client = Client()
    client.force_login(manager)
    listed = client.get(reverse("survey-list"))
    assert [s.slug for s, _progress in listed.context["surveys"]] == ["sipas-ls"]
    assert client.get(reverse("survey-results-excel", args=["sipas"])).status_code == 403


def test_the_superuser_flag_does_not_widen_a_role(cycle: Cycle, make_user) -> None:
    provincial = make_user("admin-ls", Role.ADMIN, Unit.objects.get(ref="province:20"))
    provincial.is_superuser = provincial.is_staff = True
    provincial.save()
    assert not allows(provincial, "assessments.view_assessment", _assessment(cycle, "province:04"))
    assert not allows(provincial, "assessments.publish_cycle", cycle)
