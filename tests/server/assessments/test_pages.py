"""The determination's pages on the real database: who sees what, a page saved whole or not at
all, computed components scored by their rule, the scoring sheet out and back, the appraisal
table, survey points uploads, the preview's year-on-year change and deadline reminders."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parindex.core.assessment.workflow import Action, State
from parindex.core.roles import Role
from parindex.server.assessments import services
from parindex.server.assessments.models import Cycle, Round, ScoreEntry
from tests import crafted
from tests.server.assessments.conftest import PROVINCES, People, fill_self_assessment

pytestmark = pytest.mark.django_db

PDF = crafted.pdf()
LANG_SON, CAO_BANG, HA_NOI = PROVINCES


def url(name: str, cycle: Cycle, ref: str | None = None, **more: str) -> str:
    kwargs = {"pk": cycle.pk, **({"ref": ref} if ref else {}), **more}
    return reverse(name, kwargs=kwargs)


def submitted(cycle: Cycle, people: People, ref: str, share: float = 0.8):  # type: ignore[no-untyped-def]
    assessment = cycle.assessments.get(unit__ref=ref)
    fill_self_assessment(assessment, people.focal[ref], share)
    services.transition(assessment, people.leader[ref], Action.APPROVE)
    services.transition(assessment, people.focal[ref], Action.SUBMIT)
    return assessment


def test_a_unit_sees_only_its_own_and_appraisers_only_assigned_units_once_submitted(
    client, cycle: Cycle, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    lang_son = cycle.assessments.get(unit__ref=LANG_SON)
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.add_evidence(
            lang_son, people.focal[LANG_SON], "1.1.1", SimpleUploadedFile("kế-hoạch.pdf", PDF)
        )
    client.force_login(people.focal[LANG_SON])
    assert client.get(url("assessment-detail", cycle, LANG_SON)).status_code == 200
    assert client.get(url("assessment-detail", cycle, CAO_BANG)).status_code == 403
    download = client.get(reverse("assessment-evidence", kwargs={"pk": evidence.pk}))
    assert b"".join(download.streaming_content) == PDF
    assert "k%E1%BA%BF-ho%E1%BA%A1ch.pdf" in download["Content-Disposition"]

    client.force_login(people.focal[CAO_BANG])
    assert client.get(reverse("assessment-evidence", kwargs={"pk": evidence.pk})).status_code == 403
    listing = client.get(reverse("assessment-cycles")).content.decode()
    assert "Tỉnh Cao Bằng" in listing and "Tỉnh Lạng Sơn" not in listing

    client.force_login(people.appraiser)
    assert client.get(url("assessment-detail", cycle, LANG_SON)).status_code == 403, "a draft"
    submitted(cycle, people, LANG_SON)
    assert client.get(url("assessment-detail", cycle, LANG_SON)).status_code == 200
    assert client.get(reverse("assessment-evidence", kwargs={"pk": evidence.pk})).status_code == 200
    client.force_login(people.other_appraiser)
    assert client.get(url("assessment-detail", cycle, LANG_SON)).status_code == 403
    home = client.get(reverse("role-home", kwargs={"slug": Role.APPRAISER.slug})).content.decode()
    assert "Tỉnh Hà Nội" not in home


def test_a_cycle_not_yet_opened_is_the_administrators_alone(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    cycle.is_open = False
    cycle.save()
    lang_son = cycle.assessments.get(unit__ref=LANG_SON)
    client.force_login(people.focal[LANG_SON])
    assert client.get(url("assessment-detail", cycle, LANG_SON)).status_code == 403
    with pytest.raises(services.AssessmentError, match="chưa mở"):
        services.save_self_score(lang_son, people.focal[LANG_SON], "1.1.1", points=1)
    client.force_login(people.admin)
    assert client.get(url("assessment-detail", cycle, LANG_SON)).status_code == 200


def test_a_page_with_one_wrong_score_saves_nothing_and_says_why_in_vietnamese(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people.focal[LANG_SON])
    page = url("assessment-field", cycle, LANG_SON, field_id="1")
    response = client.post(
        page,
        {
            "points-1.1.1": "0,75",
            "points-1.1.2": "1,5",
            "evidence-1.1.1": SimpleUploadedFile("a.pdf", PDF),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "1.1.2: điểm phải từ 0 đến 1" in html
    assert 'value="0,75"' in html, "what was typed is kept on the page"
    assessment = cycle.assessments.get(unit__ref=LANG_SON)
    assert not assessment.scores.exists() and not assessment.evidence.exists()

    response = client.post(page, {"points-1.1.1": "0,75", "points-1.1.2": "1"})
    assert response.status_code == 302
    assert dict(assessment.scores.values_list("component", "points")) == {
        "1.1.1": 0.75,
        "1.1.2": 1.0,
    }
    client.post(page, {"points-1.1.1": "0,75", "points-1.1.2": "1"})
    assert assessment.scores.count() == 2, "saving again unchanged appends nothing"


def test_a_computed_component_takes_its_indicator_and_the_rule_gives_the_points(
    client, reference_units: None, make_user, make_cycle
) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    department = Unit.objects.create(
        ref="department:20-home",
        kind="department",
        name_vi="Sở Nội vụ tỉnh Lạng Sơn",
        parent=Unit.objects.get(ref=LANG_SON),
    )
    cycle = make_cycle(
        "par-index-provincial-units/2024", [department.ref], name="Chỉ số CCHC các sở 2026"
    )
    client.force_login(make_user("focal-dept", Role.FOCAL_POINT, department))
    ref = department.ref
    page = client.get(url("assessment-field", cycle, ref, field_id="1")).content.decode()
    assert 'name="input-1.2-numerator"' in page and 'name="input-1.2-denominator"' in page
    # 1.2 is ratio_bands (max 3): ≥ 100 % → 3 points, ≥ 80 % → half; 9 of 10 tasks = 90 %.
    live = client.get(
        url("assessment-points", cycle, ref),
        {"component": "1.2", "numerator": "9", "denominator": "10"},
    )
    assert live.json()["points"] == 1.5
    client.post(
        url("assessment-field", cycle, ref, field_id="1"),
        {
            "input-1.2-numerator": "9",
            "input-1.2-denominator": "10",
            "input-1.1-yes": "1",
            "points-1.2": "3",
        },  # typed points never override the rule
    )
    entries = {e.component: e for e in ScoreEntry.objects.filter(assessment__unit=department)}
    assert entries["1.2"].points == 1.5 and entries["1.2"].inputs["numerator"] == "9"
    assert entries["1.1"].points == 2.0, "yes_no: yes earns the maximum"
    wrong = client.get(
        url("assessment-points", cycle, ref),
        {"component": "1.2", "numerator": "chín", "denominator": "10"},
    )
    assert wrong.status_code == 400


def test_every_bad_row_of_a_survey_points_file_is_reported_at_once(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people.admin)
    bad = "unit,component,points\nprovince:20,8.1.1,nửa\nprovince:04,8.1.1,1\nprovince:01,8.1.1,x\n"
    response = client.post(
        url("assessment-survey", cycle),
        {"points": SimpleUploadedFile("p.csv", bad.encode())},
        follow=True,
    )
    assert response.redirect_chain[-1][0].startswith("/jobs/"), "read by a background job"
    page = response.content.decode()
    assert "p.csv, dòng 2, “nửa” không phải là số" in page
    assert "p.csv, dòng 4, “x” không phải là số" in page
    assert not ScoreEntry.objects.filter(round=Round.SURVEY).exists(), "nothing imported"


def test_the_scoring_sheet_goes_out_in_the_editions_layout_and_comes_back(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people.focal[LANG_SON])
    assessment = cycle.assessments.get(unit__ref=LANG_SON)
    services.save_self_score(assessment, people.focal[LANG_SON], "1.1.1", points=0.5)
    response = client.get(url("assessment-sheet", cycle, LANG_SON))
    book = load_workbook(io.BytesIO(response.content))
    table = book["Bộ chỉ số"]
    headers = [c.value for c in table[4]]
    assert headers[:7] == [
        "STT",
        "Lĩnh vực",
        "Tiêu chí",
        "Tiêu chí thành phần",
        "Điểm tối đa",
        "Tài liệu kiểm chứng",
        "Hướng dẫn chấm điểm",
    ], "the edition's appendix layout"
    column = {h: i + 1 for i, h in enumerate(headers)}
    rows = {table.cell(row=r, column=1).value: r for r in range(5, table.max_row + 1)}
    assert table.cell(rows["1.1.1"], column["Điểm tự chấm"]).value == 0.5
    assert table.cell(rows["8.1.1"], column["Điểm tự chấm"]).value == "điểm từ khảo sát"
    assert book["Đơn vị"]["B1"].value == LANG_SON

    table.cell(rows["1.1.2"], column["Điểm tự chấm"]).value = "0,75"
    table.cell(rows["1.1.2"], column["Giải trình / lý do thiếu tài liệu kiểm chứng"]).value = "Có"
    good = io.BytesIO()
    book.save(good)
    table.cell(rows["1.2.1"], column["Điểm tự chấm"]).value = "một"
    bad = io.BytesIO()
    book.save(bad)

    page = url("assessment-sheet", cycle, LANG_SON)
    refused = client.post(
        page, {"sheet": SimpleUploadedFile("bang.xlsx", bad.getvalue())}, follow=True
    )
    assert f"dòng {rows['1.2.1']}, cột “Điểm tự chấm”: “một” không phải là số" in (
        refused.content.decode()
    )
    assert not assessment.scores.filter(component="1.1.2").exists(), "nothing read"

    client.post(page, {"sheet": SimpleUploadedFile("bang.xlsx", good.getvalue())})
    entry = assessment.scores.get(component="1.1.2")
    assert (entry.points, entry.explanation) == (0.75, "Có")

    client.force_login(people.focal[CAO_BANG])
    other = client.post(
        url("assessment-sheet", cycle, CAO_BANG),
        {"sheet": SimpleUploadedFile("bang.xlsx", good.getvalue())},
        follow=True,
    )
    assert f"bảng điểm của đơn vị {LANG_SON}, không phải {CAO_BANG}" in other.content.decode()


def test_the_appraisal_table_has_every_round_with_its_reason(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    assessment = submitted(cycle, people, LANG_SON)
    services.appraise(assessment, people.appraiser, "1.1.1", points=0.25, reason="Thiếu kế hoạch")
    client.force_login(people.focal[LANG_SON])
    assert client.get(url("assessment-table", cycle)).status_code == 403
    client.force_login(people.admin)
    book = load_workbook(io.BytesIO(client.get(url("assessment-table", cycle)).content))
    detail = book["Thẩm định"]
    header = [c.value for c in detail[1]]
    line = next(
        [c.value for c in row]
        for row in detail.iter_rows(min_row=2)
        if row[0].value == LANG_SON and row[2].value == "1.1.1"
    )
    record = dict(zip(header, line, strict=True))
    assert record["Tự chấm"] == 0.8 and record["Thẩm định vòng 1"] == 0.25
    assert record["Thẩm định vòng 1 — lý do/giải trình"] == "Thiếu kế hoạch"
    assert record["Điểm hiện tại"] == 0.25
    summary = {row[0].value: row for row in book["Tổng hợp"].iter_rows(min_row=2)}
    assert set(summary) == set(PROVINCES)


def test_survey_points_come_from_a_file_all_or_nothing(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people.admin)
    page = url("assessment-survey", cycle)
    bad = 'unit,component,points\nprovince:20,8.1.1,"0,5"\nprovince:99,8.1.1,0.5\n'
    response = client.post(page, {"points": SimpleUploadedFile("p.csv", bad.encode())}, follow=True)
    assert "province:99" in response.content.decode()
    assert not ScoreEntry.objects.filter(round=Round.SURVEY).exists()
    good = "unit;component;points\nprovince:20;8.1.1;0,5\nprovince:04;8.1.1;1\n"
    client.post(page, {"points": SimpleUploadedFile("p.csv", good.encode())})
    assert sorted(
        ScoreEntry.objects.filter(round=Round.SURVEY).values_list("assessment__unit__ref", "points")
    ) == [("province:04", 1.0), ("province:20", 0.5)]


def test_the_preview_compares_with_the_last_published_cycle(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    for ref, share in zip(PROVINCES, (0.8, 0.6, 0.4), strict=True):
        fill_self_assessment(cycle.assessments.get(unit__ref=ref), people.focal[ref], share)
    Cycle.objects.create(
        year=2025,
        name="Chỉ số CCHC 2025",
        edition="par-index-province/2023",
        self_assessment_deadline=timezone.now(),
        explanation_deadline=timezone.now(),
        appraisal_deadline=timezone.now(),
        published_at=timezone.now(),
        published_table=[
            {
                "unit": LANG_SON,
                "index_pct": 50.0,
                "rank": 3,
                "group": "C",
                "field_pct": {},
                "field_rank": {},
            }
        ],
    )
    # Lạng Sơn and Hà Nội are final; Cao Bằng is still a draft.
    cycle.assessments.filter(unit__ref__in=[LANG_SON, HA_NOI]).update(state=State.FINAL)
    rows = {row.result.unit: row for row in services.preview(cycle)}
    lang_son = rows[LANG_SON]
    # Manual components at 80 % of their maximum, survey components unscored (0): the manual
    # maximum is 100 minus the survey components' points.
    edition = services.edition_of(cycle)
    manual_max = sum(
        c.spec.max_points
        for c in services.components(edition, "province")
        if c.spec.rule.kind == "manual"
    )
    assert lang_son.result.index_pct == pytest.approx(round(0.8 * manual_max, 2))
    assert lang_son.change.index.delta_pct == pytest.approx(round(0.8 * manual_max - 50.0, 2))
    assert lang_son.result.rank_label == "1/2" and lang_son.change.index.delta_rank == 2
    assert rows[HA_NOI].result.rank_label == "2/2"
    assert rows[CAO_BANG].change.index.delta_pct is None, "not in last year's table"
    client.force_login(people.admin)
    page = client.get(url("assessment-preview", cycle)).content.decode()
    assert "Thay đổi so với Chỉ số CCHC 2025" in page


def test_the_preview_ranks_final_units_only_and_shows_drafts_apart_as_provisional(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    # Cao Bằng, a draft at 60 %, would have ranked between the two final units.
    for ref, share in zip(PROVINCES, (0.8, 0.6, 0.4), strict=True):
        fill_self_assessment(cycle.assessments.get(unit__ref=ref), people.focal[ref], share)
    cycle.assessments.filter(unit__ref__in=[LANG_SON, HA_NOI]).update(state=State.FINAL)
    rows = {row.result.unit: row for row in services.preview(cycle)}
    draft = rows[CAO_BANG]
    assert draft.provisional and draft.result.rank is None and draft.change.index.delta_rank is None
    assert (
        draft.result.index_pct is not None
        and draft.result.index_pct > rows[HA_NOI].result.index_pct
    )
    assert [r.result.unit for r in services.preview(cycle)] == [LANG_SON, HA_NOI, CAO_BANG]
    client.force_login(people.admin)
    page = client.get(url("assessment-preview", cycle)).content.decode()
    ranked, provisional = page.split('id="provisional"')
    assert "Tỉnh Cao Bằng" not in ranked and "Tỉnh Cao Bằng" in provisional
    assert "2/2" in ranked and "3/3" not in page
    assert "tạm tính" in provisional


def test_reminders_go_once_to_those_who_still_have_to_act(
    cycle: Cycle, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    submitted(cycle, people, LANG_SON)
    now = cycle.self_assessment_deadline - timedelta(days=5)  # inside the 7-day reminder
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now) == 2, "Cao Bằng and Hà Nội have not submitted"
    to = sorted(address for message in mail.outbox for address in message.to)
    assert "focal20@example.vn" not in to and "focal04@example.vn" in to
    assert "hạn nộp tự đánh giá là" in mail.outbox[0].body
    assert services.send_reminders(now) == 0, "each reminder goes once"
    assert services.send_reminders(now + timedelta(days=4, hours=12)) == 2, "the 1-day one"
    mail.outbox.clear()
    # Lang Son waits for its appraiser: the appraisal deadline's reminder goes to them.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(cycle.appraisal_deadline - timedelta(hours=2)) >= 1
    assert any("appraiser@example.vn" in m.to for m in mail.outbox)


def test_publication_freezes_the_table_and_the_public_page_shows_it(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    for ref, share in zip(PROVINCES, (0.8, 0.6, 0.9), strict=True):
        assessment = submitted(cycle, people, ref, share)
        appraiser = people.appraiser if ref != HA_NOI else people.other_appraiser
        services.transition(assessment, appraiser, Action.APPRAISE_1)
        services.transition(assessment, appraiser, Action.APPRAISE_2)
        services.transition(assessment, people.council, Action.FINALISE)
    assert client.get(url("assessment-published", cycle)).status_code == 404, "not yet"
    client.force_login(people.admin)
    client.post(url("assessment-publish", cycle))
    client.logout()
    page = client.get(url("assessment-published", cycle)).content.decode()
    order = [page.index(name) for name in ("Thành phố Hà Nội", "Tỉnh Lạng Sơn", "Tỉnh Cao Bằng")]
    assert order == sorted(order), "ranked by points: 90 %, 80 %, 60 % of the manual maximum"
    cycle.refresh_from_db()
    assert cycle.assessments.filter(state=State.FINAL).count() == 3
    frozen = list(cycle.published_table)
    ScoreEntry.objects.create(
        assessment=cycle.assessments.get(unit__ref=HA_NOI),
        component="1.1.1",
        round=Round.COUNCIL,
        points=0.0,
        reason="sau công bố",
        author=people.council,
    )
    cycle.refresh_from_db()
    assert cycle.published_table == frozen


def test_the_council_table_shows_submitted_units_only_by_their_state_until_then(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    submitted(cycle, people, LANG_SON, share=0.8)
    fill_self_assessment(cycle.assessments.get(unit__ref=CAO_BANG), people.focal[CAO_BANG], 0.7)
    client.force_login(people.council)
    page = client.get(url("assessment-council", cycle)).content.decode()
    lang_son = page[page.index(f'data-unit="{LANG_SON}"') :].split("</tr>")[0]
    cao_bang = page[page.index(f'data-unit="{CAO_BANG}"') :].split("</tr>")[0]
    assert "đã nộp" in lang_son and "<strong>" in lang_son
    assert "bản nháp" in cao_bang and "<strong>" not in cao_bang and "href" not in cao_bang
