"""Draws and imports queued in the database and run by the worker (`parindex worker` runs
django-tasks' db_worker): the page answers at once, shows the job waiting, then its result."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.test import Client

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
