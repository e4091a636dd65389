"""Survey points and a filled-in scoring sheet are read by a background job: posting the file
queues the job and stores nothing; the worker's run stores everything or, for a bad file,
nothing, with every fault located on the job's page; only those who may use the page that
started the job see it."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from parindex.core.roles import Role
from parindex.server.accounts.models import Unit
from parindex.server.assessments.models import Cycle, Round, ScoreEntry
from parindex.server.jobs import runner
from parindex.server.jobs.models import Job
from tests.server.assessments.conftest import PROVINCES, People

pytestmark = pytest.mark.django_db

LANG_SON, CAO_BANG, _HA_NOI = PROVINCES


@pytest.fixture
def queued(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Jobs wait in the database queue, as on the site, until the test runs the worker's step."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.UPLOAD_STAGING_ROOT = tmp_path / "uploads"


def job_of(response) -> Job:  # type: ignore[no-untyped-def]
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    return Job.objects.get(pk=int(response["Location"].split("/")[2]))


def survey_entries() -> list[tuple[str, float]]:
    return sorted(
        ScoreEntry.objects.filter(round=Round.SURVEY).values_list("assessment__unit__ref", "points")
    )


def test_survey_points_are_queued_then_stored_by_the_worker(
    queued: None, client: Client, cycle: Cycle, people: People
) -> None:
    client.force_login(people.admin)
    good = "unit;component;points\nprovince:20;8.1.1;0,5\nprovince:04;8.1.1;1\n"
    response = client.post(
        reverse("assessment-survey", args=[cycle.pk]),
        {"points": SimpleUploadedFile("diem.csv", good.encode())},
    )
    job = job_of(response)
    waiting = client.get(response["Location"])
    assert "đang chờ" in waiting.text and 'http-equiv="refresh"' in waiting.text
    assert survey_entries() == [], "nothing stored inside the request"

    runner.run(job.pk)

    job.refresh_from_db()
    assert (job.state, job.progress, job.result) == (Job.State.DONE, 100, {"count": 2})
    assert survey_entries() == [("province:04", 1.0), ("province:20", 0.5)]
    done = client.get(response["Location"])
    assert "Đã nhập điểm khảo sát: 2." in done.text and "refresh" not in done.text
    assert not list(runner.staging().iterdir()), "the staged file is removed once read"


def test_a_bad_points_file_fails_its_job_with_each_fault_located(
    queued: None, client: Client, cycle: Cycle, people: People
) -> None:
    client.force_login(people.admin)
    bad = "unit,component,points\nprovince:20,8.1.1,nửa\nprovince:04,8.1.1,1\n"
    response = client.post(
        reverse("assessment-survey", args=[cycle.pk]),
        {"points": SimpleUploadedFile("diem.csv", bad.encode())},
    )
    runner.run(job_of(response).pk)
    page = client.get(response["Location"])
    assert "Không nhập gì; tệp bị từ chối" in page.text
    assert "diem.csv, dòng 2, “nửa” không phải là số" in page.text
    assert Job.objects.get().state == Job.State.FAILED
    assert survey_entries() == [], "nothing stored"


def test_another_provinces_people_cannot_see_a_points_job(
    queued: None, client: Client, cycle: Cycle, people: People, make_user
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people.admin)
    good = "unit,component,points\nprovince:20,8.1.1,1\n"
    response = client.post(
        reverse("assessment-survey", args=[cycle.pk]),
        {"points": SimpleUploadedFile("diem.csv", good.encode())},
    )
    job = job_of(response)
    outsiders = [
        make_user("admin-cao-bang", Role.ADMIN, Unit.objects.get(ref=CAO_BANG)),
        people.focal[LANG_SON],
    ]
    for outsider in outsiders:
        other = Client()
        other.force_login(outsider)
        assert other.get(f"/jobs/{job.pk}/").status_code == 403
        assert other.get(f"/jobs/{job.pk}/file").status_code == 403


def filled_sheet(client: Client, cycle: Cycle, value: str) -> tuple[bytes, int]:
    """Lạng Sơn's sheet with ``value`` typed as the self-score of 1.1.2, and that row."""
    sheet = client.get(reverse("assessment-sheet", args=[cycle.pk, LANG_SON]))
    book = load_workbook(io.BytesIO(sheet.content))
    table = book["Bộ chỉ số"]
    column = {c.value: c.column for c in table[4]}
    row = next(r for r in range(5, table.max_row + 1) if table.cell(r, 1).value == "1.1.2")
    table.cell(row, column["Điểm tự chấm"]).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), row


def test_a_scoring_sheet_is_read_by_the_worker(
    queued: None, client: Client, cycle: Cycle, people: People
) -> None:
    client.force_login(people.focal[LANG_SON])
    assessment = cycle.assessments.get(unit__ref=LANG_SON)
    data, _row = filled_sheet(client, cycle, "0,75")
    response = client.post(
        reverse("assessment-sheet", args=[cycle.pk, LANG_SON]),
        {"sheet": SimpleUploadedFile("bang-diem.xlsx", data)},
    )
    job = job_of(response)
    assert not assessment.scores.exists(), "nothing read inside the request"

    runner.run(job.pk)

    job.refresh_from_db()
    assert (job.state, job.progress, job.result) == (Job.State.DONE, 100, {"count": 1})
    assert assessment.scores.get(component="1.1.2").points == 0.75
    page = client.get(response["Location"])
    assert "Đã đọc bảng điểm: lưu 1 tiêu chí thành phần." in page.text
    assert reverse("assessment-detail", args=[cycle.pk, LANG_SON]) in page.text

    other = Client()
    other.force_login(people.focal[CAO_BANG])
    assert other.get(response["Location"]).status_code == 403, "another province's focal point"
    assert other.get(f"/jobs/{job.pk}/file").status_code == 403


def test_a_bad_scoring_sheet_fails_its_job_with_the_cell_located(
    queued: None, client: Client, cycle: Cycle, people: People
) -> None:
    client.force_login(people.focal[LANG_SON])
    data, row = filled_sheet(client, cycle, "một")
    response = client.post(
        reverse("assessment-sheet", args=[cycle.pk, LANG_SON]),
        {"sheet": SimpleUploadedFile("bang-diem.xlsx", data)},
    )
    runner.run(job_of(response).pk)
    page = client.get(response["Location"])
    assert f"dòng {row}, cột “Điểm tự chấm”: “một” không phải là số" in page.text
    assert Job.objects.get().state == Job.State.FAILED
    assert not cycle.assessments.get(unit__ref=LANG_SON).scores.exists(), "nothing stored"
