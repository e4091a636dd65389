"""History that cannot be erased: a published cycle, its assessments, score entries and moves,
and every counted response and sampled unit are refused change and deletion by the database
itself (ORM, queryset, raw SQL) and by the admin; a draft cycle can still be removed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from parindex.core.assessment.workflow import Action, State
from parindex.server.accounts.models import Unit, User
from parindex.server.assessments.models import Assessment, Cycle, Round, ScoreEntry, StateChange
from parindex.server.audit.history import unlocked
from parindex.server.surveys.models import Response, SampledUnit, Survey

pytestmark = pytest.mark.django_db


def _cycle(year: int, published: bool) -> tuple[Cycle, Assessment, ScoreEntry]:
    now = timezone.now()
    unit, _ = Unit.objects.get_or_create(
        ref="province:20", defaults={"kind": "province", "code": "20", "name_vi": "Tỉnh Lạng Sơn"}
    )
    author, _ = User.objects.get_or_create(username="focal")
    cycle = Cycle.objects.create(
        year=year,
        name=f"PAR INDEX {year}",
        edition="par-index-province/2023",
        self_assessment_deadline=now,
        explanation_deadline=now,
        appraisal_deadline=now,
        published_at=now - timedelta(days=1) if published else None,
    )
    assessment = Assessment.objects.create(cycle=cycle, unit=unit, state=State.FINAL)
    entry = ScoreEntry.objects.create(
        assessment=assessment, component="1.1.1", round=Round.SELF, points=0.5, author=author
    )
    StateChange.objects.create(
        assessment=assessment,
        action=Action.SUBMIT,
        source=State.DRAFT,
        target=State.SUBMITTED,
        by=author,
    )
    return cycle, assessment, entry


def refused(action) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        action()
    return str(error.value)


def test_a_published_cycle_and_everything_in_it_is_refused_change_and_deletion() -> None:
    cycle, assessment, entry = _cycle(2025, published=True)
    attempts = {
        "rename the edition": lambda: Cycle.objects.filter(pk=cycle.pk).update(edition="x/1"),
        "delete the cycle": lambda: Cycle.objects.filter(pk=cycle.pk).delete(),
        "reopen an assessment": lambda: Assessment.objects.filter(pk=assessment.pk).update(
            state=State.DRAFT
        ),
        "delete an assessment": assessment.delete,
        "delete its score entries": lambda: ScoreEntry.objects.filter(pk=entry.pk).delete(),
        "delete its moves": lambda: assessment.moves.all().delete(),
    }
    for what, attempt in attempts.items():
        assert "cannot be" in refused(attempt), what
    with connection.cursor() as cursor:
        table = ScoreEntry._meta.db_table
        message = refused(lambda: cursor.execute(f"UPDATE {table} SET points = 1"))
    assert "a score entry cannot be changed" in message
    entry.refresh_from_db()
    assert entry.points == 0.5 and Assessment.objects.filter(pk=assessment.pk).exists()


def test_score_entries_and_moves_are_never_updated_even_in_a_draft() -> None:
    _draft, assessment, entry = _cycle(2026, published=False)
    assert "cannot be changed" in refused(
        lambda: ScoreEntry.objects.filter(pk=entry.pk).update(points=1.0)
    )
    assert "cannot be changed" in refused(lambda: assessment.moves.update(reason="rewritten"))


def test_a_draft_cycle_can_still_be_removed_whole() -> None:
    cycle, _assessment, _entry = _cycle(2026, published=False)
    cycle.delete()
    assert not ScoreEntry.objects.exists() and not StateChange.objects.exists()


def test_counted_responses_and_sampled_units_are_refused_change_and_deletion() -> None:
    now = timezone.now()
    survey = Survey.objects.create(
        slug="s",
        name="S",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=now,
        closes_at=now,
    )
    unit = SampledUnit.objects.create(
        survey=survey,
        position=0,
        code="ABCD-EFGH-J",
        domain="A",
        stratum="A",
        inclusion_probability=0.01,
    )
    response = Response.objects.create(unit=unit, channel="web", received_at=now, answers={})
    assert "a sampled unit cannot be changed" in refused(
        lambda: SampledUnit.objects.filter(pk=unit.pk).update(inclusion_probability=0.5)
    )
    assert "a counted response cannot be deleted" in refused(response.delete)
    assert "cannot be deleted" in refused(survey.delete)
    with unlocked():  # a restore or a test database's flush
        survey.delete()
    assert not Response.objects.exists()


def test_the_admin_offers_no_change_or_deletion_of_history(make_user) -> None:  # type: ignore[no-untyped-def]
    cycle, assessment, _entry = _cycle(2025, published=True)
    admin = make_user("root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client(raise_request_exception=False)
    client.force_login(admin)
    page = client.get(f"/admin/assessments/cycle/{cycle.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.text, "view only"
    assert (
        client.post(f"/admin/assessments/cycle/{cycle.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/admin/assessments/cycle/{cycle.pk}/change/", {"name": "renamed", "edition": "x"}
        ).status_code
        == 403
    )
    listing = client.post(
        "/admin/assessments/cycle/",
        {"action": "delete_selected", "_selected_action": [cycle.pk], "post": "yes"},
    )
    assert listing.status_code in (302, 403) and Cycle.objects.filter(pk=cycle.pk).exists()
    cycle.refresh_from_db()
    assert cycle.name == "PAR INDEX 2025" and Assessment.objects.filter(pk=assessment.pk).exists()


def test_the_admin_refuses_an_edition_that_does_not_exist(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user("root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    now = timezone.now().strftime("%Y-%m-%d")
    page = client.post(
        "/admin/assessments/cycle/add/",
        {
            "year": 2027,
            "name": "PAR INDEX 2027",
            "edition": "par-index-province/1999",
            "self_assessment_deadline_0": now,
            "self_assessment_deadline_1": "00:00:00",
            "explanation_deadline_0": now,
            "explanation_deadline_1": "00:00:00",
            "appraisal_deadline_0": now,
            "appraisal_deadline_1": "00:00:00",
            "assessments-TOTAL_FORMS": 0,
            "assessments-INITIAL_FORMS": 0,
        },
    )
    assert page.status_code == 200 and "par-index-province/1999" in page.text
    assert not Cycle.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_whole_database_can_still_be_flushed() -> None:
    """Django's ``flush`` (between browser tests) lifts the guards; the test fails at teardown
    otherwise, since on SQLite it deletes the published rows one by one."""
    _cycle(2025, published=True)
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert not Cycle.objects.exists()
    _cycle(2025, published=True)  # left for the teardown's flush
