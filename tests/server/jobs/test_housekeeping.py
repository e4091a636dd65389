"""Housekeeping in the worker: one worker claims a run at a time and not again before the
interval; a run records the apologies and feedback lapses due (once, however often it runs) and
deletes finished jobs older than the retention with their files, never a job still waiting; a
backup leaves job rows and job files out."""

from __future__ import annotations

import threading
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from parindex.server.accounts.models import Unit
from parindex.server.backups import make_backup
from parindex.server.feedback import services as feedback
from parindex.server.feedback.models import Apology, Feedback, FeedbackLapse
from parindex.server.jobs import housekeeping
from parindex.server.jobs.models import Housekeeping, Job
from parindex.server.jobs.runner import outputs
from parindex.server.ratings.models import Dossier

NOW = timezone.make_aware(datetime(2026, 11, 30, 3, 0))


@pytest.fixture
def unit(db: None, settings: Any, tmp_path: Path) -> Unit:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.HOUSEKEEPING_HOURS = 6
    settings.JOB_RETENTION_DAYS = 30
    return Unit.objects.create(ref="test:p", kind="province", code="99", name_vi="Tỉnh Thử")


def _job(user: Any, state: str, finished_days_ago: int | None, output: str = "") -> Job:
    job = Job.objects.create(kind="results-report", state=state, created_by=user, output=output)
    if output:
        (outputs() / output).write_bytes(b"%PDF-1.4 report")
    if finished_days_ago is not None:
        Job.objects.filter(pk=job.pk).update(finished_at=NOW - timedelta(days=finished_days_ago))
    # created_at is set on creation: an old waiting job is made old too.
    Job.objects.filter(pk=job.pk).update(created_at=NOW - timedelta(days=100))
    return job


def test_one_worker_claims_a_run_and_none_again_before_the_interval(unit: Unit) -> None:
    every = timedelta(hours=6)
    assert housekeeping.claim(NOW, every) is True
    assert housekeeping.claim(NOW, every) is False  # the second worker, at the same moment
    assert housekeeping.claim(NOW + timedelta(hours=5), every) is False
    assert housekeeping.claim(NOW + timedelta(hours=6), every) is True
    assert Housekeeping.objects.get().started_at == NOW + timedelta(hours=6)


def test_a_run_records_what_is_due_once_and_deletes_old_finished_jobs(
    unit: Unit, make_user: Any
) -> None:
    user = make_user("nguoi-yeu-cau")
    old_done = _job(user, Job.State.DONE, 40, output="old.pdf")
    old_refused = _job(user, Job.State.FAILED, 31)
    recent = _job(user, Job.State.DONE, 5, output="recent.pdf")
    waiting = _job(user, Job.State.QUEUED, None)
    # A dossier due 10/11/2026 still open, and a feedback item past its 15 working days.
    Dossier.objects.create(
        code="HS-1", procedure="1.001", unit=unit,
        received=timezone.make_aware(datetime(2026, 11, 2, 8)),
        appointment=timezone.make_aware(datetime(2026, 11, 10, 16)),
    )  # fmt: skip
    feedback.receive(
        feedback.Intake("Hồ sơ trễ hẹn", unit, received_on=date(2026, 10, 1)), Feedback.Source.WEB
    )

    summary = housekeeping.run_if_due(NOW)
    assert summary is not None
    assert (summary["apologies"], summary["lapses"], summary["jobs_deleted"]) == (1, 1, 2)
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert not (outputs() / "old.pdf").exists() and (outputs() / "recent.pdf").exists()
    assert old_done.pk != old_refused.pk
    assert housekeeping.run_if_due(NOW + timedelta(hours=1)) is None  # not due yet
    # Due again later: nothing is recorded twice.
    again = housekeeping.run_if_due(NOW + timedelta(hours=7))
    assert again is not None and (again["apologies"], again["lapses"]) == (0, 0)
    assert Apology.objects.count() == FeedbackLapse.objects.count() == 1
    assert Housekeeping.objects.get().summary == again


@pytest.mark.django_db(transaction=True)
def test_a_backup_leaves_out_job_rows_and_job_files(
    settings: Any, tmp_path: Path, make_user: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    user = make_user("nguoi-yeu-cau")
    _job(user, Job.State.DONE, 1, output="report.pdf")
    evidence = tmp_path / "media" / "evidence" / "ab" / "tai-lieu.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 evidence")
    archive = tmp_path / "backup.zip"
    summary = make_backup(archive)
    assert summary.files == 1
    assert "jobs.job" not in summary.records and "accounts.user" in summary.records
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        assert "media/evidence/ab/tai-lieu.pdf" in names
        assert not [name for name in names if name.startswith("media/jobs/")]
        assert b'"jobs.job"' not in zipped.read("database.json")


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_once_run_the_chores_once(settings: Any, tmp_path: Path) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent connections: PostgreSQL (SQLite's test database is one connection)")
    every = timedelta(hours=6)
    housekeeping.claim(NOW - timedelta(hours=7), every)  # the row exists, the run is due
    start = threading.Barrier(2)
    won: list[bool] = []

    def worker() -> None:
        from django.db import connections

        start.wait()
        won.append(housekeeping.claim(NOW, every))
        connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(won) == [False, True]
