"""The determination on the real database: self-assessment with evidence, leader approval,
appraisal rounds, explanation, council, survey points, computation and publication."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation

from parindex.core.assessment.workflow import Action, State, WorkflowError
from parindex.server.assessments import services
from parindex.server.assessments.models import Round, ScoreEntry, StateChange
from tests import crafted
from tests.server.assessments.conftest import PROVINCES, People, fill_self_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """Refusals are matched in English here; the pages' tests see them in Vietnamese."""
    with translation.override("en"):
        yield


PDF = crafted.pdf()


def assessment_of(cycle, ref: str):  # type: ignore[no-untyped-def]
    return cycle.assessments.get(unit__ref=ref)


def test_evidence_is_checked_and_hashed(
    cycle, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    lang_son = assessment_of(cycle, PROVINCES[0])
    focal = people.focal[PROVINCES[0]]
    with django_capture_on_commit_callbacks(execute=True):
        stored = services.add_evidence(
            lang_son, focal, "1.1.1", SimpleUploadedFile("kế-hoạch.pdf", PDF)
        )
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest() and stored.size == len(PDF)
    assert stored.file.read() == PDF, "the file kept is the file given"
    refusals = {
        "virus.exe": (b"MZ\x90\x00", "must be PDF, an Office document or an image"),
        "fake.pdf": (b"MZ\x90\x00 not a pdf", "not a .pdf file"),
        "polyglot.pdf": (crafted.polyglot_pdf(), "contains a web page"),
        "truncated.pdf": (crafted.truncated(PDF), "damaged"),
        "renamed.png": (PDF, "not a .png file"),
        "broken.xlsx": (crafted.truncated(crafted.workbook([["a"]] * 50)), "damaged"),
        "bomb.xlsx": (crafted.zero_bomb(), "expands far beyond its size"),
        "empty.docx": (b"", "empty"),
    }
    for name, (content, message) in refusals.items():
        with pytest.raises(services.AssessmentError, match=message):
            services.add_evidence(lang_son, focal, "1.1.1", SimpleUploadedFile(name, content))
    other_focal = people.focal[PROVINCES[1]]
    with pytest.raises(services.AssessmentError, match="only the unit's focal point"):
        services.add_evidence(lang_son, other_focal, "1.1.1", SimpleUploadedFile("a.pdf", PDF))


def test_a_unit_cannot_submit_without_evidence_or_a_reason_for_its_absence(
    cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    lang_son = assessment_of(cycle, PROVINCES[0])
    focal, leader = people.focal[PROVINCES[0]], people.leader[PROVINCES[0]]
    services.save_self_score(lang_son, focal, "1.1.1", points=0.5)  # no explanation, no file
    services.transition(lang_son, leader, Action.APPROVE)
    with pytest.raises(services.AssessmentError, match=r"evidence or an explanation.*1\.1\.1"):
        services.transition(lang_son, focal, Action.SUBMIT)
    assert lang_son.state == State.APPROVED


def test_only_the_leader_approves_and_only_a_draft_is_edited(cycle, people: People) -> None:  # type: ignore[no-untyped-def]
    lang_son = assessment_of(cycle, PROVINCES[0])
    focal, leader = people.focal[PROVINCES[0]], people.leader[PROVINCES[0]]
    with pytest.raises(WorkflowError, match="only a leader"):
        services.transition(lang_son, focal, Action.APPROVE)
    services.transition(lang_son, leader, Action.APPROVE)
    lang_son.refresh_from_db()
    with pytest.raises(services.AssessmentError, match="only while it is a draft"):
        services.save_self_score(lang_son, focal, "1.1.1", points=0.5)


def test_permissions_a_unit_sees_its_own_drafts_an_appraiser_only_assigned_units(
    cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    lang_son, cao_bang = assessment_of(cycle, PROVINCES[0]), assessment_of(cycle, PROVINCES[1])
    assert services.can_view(people.focal[PROVINCES[0]], lang_son)
    assert not services.can_view(people.focal[PROVINCES[0]], cao_bang)
    assert not services.can_view(people.appraiser, lang_son), "a draft is the unit's own"
    hanoi = assessment_of(cycle, PROVINCES[2])
    hanoi.state = State.SUBMITTED
    hanoi.save()
    assert services.can_view(people.other_appraiser, hanoi)
    assert not services.can_view(people.appraiser, hanoi), "not assigned to Hà Nội"
    with pytest.raises(services.AssessmentError, match="assigned"):
        services.appraise(hanoi, people.appraiser, "1.1.1", points=0.1, reason="x")


def test_the_whole_loop_keeps_every_round_and_publishes_the_expected_ranks(
    cycle, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    shares = dict(zip(PROVINCES, (0.6, 0.8, 0.7), strict=True))
    for ref, share in shares.items():
        assessment = assessment_of(cycle, ref)
        fill_self_assessment(assessment, people.focal[ref], share)
        with django_capture_on_commit_callbacks(execute=True):
            services.transition(assessment, people.leader[ref], Action.APPROVE)
            services.transition(assessment, people.focal[ref], Action.SUBMIT)
    assert any("đã nộp tự đánh giá" in m.subject for m in mail.outbox)
    assert {r for m in mail.outbox for r in m.to} >= {"appraiser@example.vn"}

    lang_son = assessment_of(cycle, PROVINCES[0])
    self_score = services.final_points(lang_son)["1.1.1"]
    with pytest.raises(services.AssessmentError, match="needs a reason"):
        services.appraise(lang_son, people.appraiser, "1.1.1", points=0.1)
    services.appraise(lang_son, people.appraiser, "1.1.1", points=0.1, reason="Thiếu kế hoạch")
    services.appraise(lang_son, people.appraiser, "1.1.2", points=None)  # accepted as is
    services.transition(lang_son, people.appraiser, Action.APPRAISE_1)
    services.request_explanation(lang_son, people.appraiser, "1.1.1", "Nộp kế hoạch CCHC năm")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(lang_son, people.appraiser, Action.REQUEST_EXPLANATION)
    assert mail.outbox and "Yêu cầu giải trình" in mail.outbox[0].subject
    assert "focal20@example.vn" in mail.outbox[0].to

    lang_son.refresh_from_db()
    request = lang_son.explanation_requests.get()
    focal = people.focal[PROVINCES[0]]
    services.add_evidence(lang_son, focal, "1.1.1", SimpleUploadedFile("ke-hoach.pdf", PDF))
    services.answer_explanation(request, focal, "Kế hoạch ban hành ngày 05/01")
    services.transition(lang_son, focal, Action.EXPLAIN)
    lang_son.refresh_from_db()
    services.appraise(lang_son, people.appraiser, "1.1.1", points=0.4, reason="Đã bổ sung")
    services.transition(lang_son, people.appraiser, Action.APPRAISE_2)

    for ref in PROVINCES[1:]:
        other = assessment_of(cycle, ref)
        appraiser = people.appraiser if ref == PROVINCES[1] else people.other_appraiser
        services.transition(other, appraiser, Action.APPRAISE_1)
        services.transition(other, appraiser, Action.APPRAISE_2)
    lang_son.refresh_from_db()
    services.council_score(lang_son, people.council, "1.1.1", 0.5, "Hội đồng thống nhất")
    services.note_decision(cycle, people.council, "Thông qua kết quả thẩm định")
    for ref in PROVINCES:
        services.transition(assessment_of(cycle, ref), people.council, Action.FINALISE)

    history = list(
        ScoreEntry.objects.filter(assessment=lang_son, component="1.1.1").values_list(
            "round", "previous", "points"
        )
    )
    assert history == [
        (Round.SELF, None, self_score),
        (Round.APPRAISAL_1, self_score, 0.1),
        (Round.APPRAISAL_2, 0.1, 0.4),
        (Round.COUNCIL, 0.4, 0.5),
    ], "every round kept, each with the score it replaced"
    assert StateChange.objects.filter(assessment=lang_son).count() == 7

    edition = services.edition_of(cycle)
    survey_nodes = [n for _f, _c, n in edition.scored() if n.source.startswith("survey")]
    services.import_survey_points(
        cycle,
        people.admin,
        {ref: {n.id: n.max_points * share for n in survey_nodes} for ref, share in shares.items()},
    )
    table = services.score_table(cycle)
    by_unit = {r.unit: r for r in table.results}
    assert [by_unit[ref].rank for ref in PROVINCES] == [3, 1, 2]
    total = sum(n.max_points for _f, _c, n in edition.scored())
    cao_bang_points = sum(
        round(c.spec.max_points * 0.8, 2)
        if not c.spec.source.startswith("survey")
        else c.spec.max_points * 0.8
        for c in services.components(edition, "province")
    )
    assert by_unit[PROVINCES[1]].index_pct == pytest.approx(100 * cao_bang_points / total, abs=0.01)

    with pytest.raises(services.AssessmentError, match="only an administrator"):
        services.publish(cycle, people.council)
    services.publish(cycle, people.admin)
    cycle.refresh_from_db()
    published = {row["unit"]: row for row in cycle.published_table}
    assert published[PROVINCES[0]]["rank"] == 3 and published[PROVINCES[0]]["name_vi"]
    assert cycle.provenance["edition_id"] == "par-index-province/2023"
    with pytest.raises(services.AssessmentError, match="already published"):
        services.publish(cycle, people.admin)


def test_a_survey_import_with_an_unknown_component_imports_nothing(cycle, people: People) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.AssessmentError, match="not a survey component"):
        services.import_survey_points(
            cycle, people.admin, {PROVINCES[0]: {"1.6.1": 1.0, "1.1.1": 0.5}}
        )
    assert not ScoreEntry.objects.exists()


def test_late_submission_is_refused_until_an_admin_reopens(cycle, people: People) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    lang_son = assessment_of(cycle, PROVINCES[0])
    fill_self_assessment(lang_son, people.focal[PROVINCES[0]], 0.5)
    services.transition(lang_son, people.leader[PROVINCES[0]], Action.APPROVE)
    cycle.self_assessment_deadline = timezone.now() - timedelta(hours=1)
    cycle.save()
    lang_son.refresh_from_db()
    with pytest.raises(WorkflowError, match="deadline has passed"):
        services.transition(lang_son, people.focal[PROVINCES[0]], Action.SUBMIT)
    services.transition(lang_son, people.admin, Action.REOPEN, reason="Mất điện ngày hạn chót")
    lang_son.refresh_from_db()
    assert lang_son.state == State.DRAFT
    assert lang_son.moves.last().reason == "Mất điện ngày hạn chót"


def test_a_move_rolled_back_mails_nobody(
    cycle, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    ref = PROVINCES[0]
    assessment = assessment_of(cycle, ref)
    fill_self_assessment(assessment, people.focal[ref], 0.5)
    services.transition(assessment, people.leader[ref], Action.APPROVE)

    def submit_then_fail() -> None:
        with transaction.atomic():
            services.transition(assessment, people.focal[ref], Action.SUBMIT)
            raise RuntimeError("something after the move failed: the move is undone")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        submit_then_fail()
    assert callbacks == [] and mail.outbox == []
    assert assessment_of(cycle, ref).state == State.APPROVED
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(assessment, people.focal[ref], Action.SUBMIT)
    assert [m.to for m in mail.outbox] == [["appraiser@example.vn"]], "sent once committed"
