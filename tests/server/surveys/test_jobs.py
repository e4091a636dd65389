"""Draws, imports and ballot sheets queued in the database and run by the worker (`parindex
worker` runs django-tasks' db_worker): the page answers at once, shows the job waiting, then
its result or its file, to the survey's managers only."""

from __future__ import annotations

import io
import time

import pypdf
import pytest
from django.core.management import call_command
from django.test import Client

from parindex.core.roles import Role
from parindex.server.accounts.models import Unit
from parindex.server.jobs import runner
from parindex.server.jobs.models import Job
from parindex.server.jobs.runner import staging
from parindex.server.surveys.models import Survey
from tests.server.surveys.test_collection import draw, manager, open_survey  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker(job: Job) -> None:
    """What ``parindex worker`` does, until the job has ended (a few rounds at most: on a busy
    machine the queue's clock may not have reached the task on the first look)."""
    for _round in range(10):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        job.refresh_from_db()
        if job.state in (Job.State.DONE, Job.State.FAILED):
            return
        time.sleep(0.5)


@pytest.fixture
def queued(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def job_of(response) -> Job:  # type: ignore[no-untyped-def]
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    return Job.objects.get(pk=int(response["Location"].split("/")[2]))


def test_a_draw_waits_for_the_worker_and_shows_its_progress_page(
    queued: None,
    manager: Client,  # noqa: F811
    open_survey: Survey,  # noqa: F811
) -> None:
    response = draw(manager, open_survey)
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"  # type: ignore[index]
    old_address = manager.get(f"/surveys/{open_survey.slug}/jobs/{job.pk}/")
    assert old_address["Location"] == f"/jobs/{job.pk}/", "the page's former address leads there"
    waiting = manager.get(response["Location"])  # type: ignore[index]
    assert "đang chờ" in waiting.text and 'http-equiv="refresh"' in waiting.text
    assert not open_survey.sample.exists(), "nothing drawn inside the request"

    run_worker(job)

    done = manager.get(response["Location"])  # type: ignore[index]
    assert "Đã chọn 32 đơn vị từ 360 đơn vị trong dàn mẫu" in done.text
    assert 'http-equiv="refresh"' not in done.text
    assert open_survey.sample.count() == 32
    job.refresh_from_db()
    assert (job.state, job.progress) == (Job.State.DONE, 100)
    assert not list(staging().iterdir()), "the staged frame is removed once read"


def test_a_frame_refused_by_the_worker_says_why_on_the_job_page(
    queued: None,
    manager: Client,  # noqa: F811
    open_survey: Survey,  # noqa: F811
) -> None:
    response = draw(manager, open_survey, stages="xa:2, lang:2")
    run_worker(Job.objects.get())
    page = manager.get(response["Location"])  # type: ignore[index]
    assert "khung-mau.csv: no column &#x27;lang&#x27;" in page.text
    assert Job.objects.get().state == Job.State.FAILED and not open_survey.sample.exists()


def test_ballot_sheets_are_typeset_by_the_worker_and_kept_to_the_surveys_managers(
    queued: None,
    manager: Client,  # noqa: F811
    open_survey: Survey,  # noqa: F811
    reference_units: None,
    make_user,  # type: ignore[no-untyped-def]
    settings,  # type: ignore[no-untyped-def]
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    run_worker(job_of(draw(manager, open_survey)))
    asked = manager.get(f"/surveys/{open_survey.slug}/ballots.pdf", {"domain": "Cao Bằng"})
    job = job_of(asked)
    waiting = manager.get(asked["Location"])
    assert "đang chờ" in waiting.text and "Tải về" not in waiting.text
    assert manager.get(f"/jobs/{job.pk}/file").status_code == 404, "no file before the run"

    runner.run(job.pk)

    job.refresh_from_db()
    assert (job.state, job.progress, job.result) == (Job.State.DONE, 100, {"ballots": 16})
    done = manager.get(asked["Location"])
    assert "Phiếu đã sẵn sàng: 16 phiếu." in done.text and f"/jobs/{job.pk}/file" in done.text
    download = manager.get(f"/jobs/{job.pk}/file")
    pdf = pypdf.PdfReader(io.BytesIO(b"".join(download.streaming_content)))  # type: ignore[attr-defined]
    assert download["Content-Type"] == "application/pdf" and len(pdf.pages) == 16
    again = manager.get(f"/surveys/{open_survey.slug}/ballots.pdf", {"domain": "Cao Bằng"})
    assert again["Location"] == asked["Location"], "asked again: the same sheets, typeset once"

    nowhere = manager.get(f"/surveys/{open_survey.slug}/ballots.pdf", {"domain": "Nơi khác"})
    assert nowhere["Location"] == f"/surveys/{open_survey.slug}/", "nothing to print: no job"
    assert Job.objects.filter(kind="survey-ballots").count() == 1

    for role, place in ((Role.SURVEY_MANAGER, "province:04"), (Role.APPRAISER, None)):
        other = Client()
        other.force_login(make_user(f"other-{role}", role, place and Unit.objects.get(ref=place)))
        assert other.get(f"/jobs/{job.pk}/").status_code == 403
        assert other.get(f"/jobs/{job.pk}/file").status_code == 403
        assert other.get(f"/surveys/{open_survey.slug}/jobs/{job.pk}/").status_code == 403
