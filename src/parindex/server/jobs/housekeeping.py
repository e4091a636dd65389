"""Housekeeping without a scheduler: the chores that must happen every day whether or not anyone
runs a command, done by the background worker (``parindex worker``) when it starts and then every
``PARINDEX_HOUSEKEEPING_HOURS`` (django-tasks has no periodic tasks).

A run records the public apologies overdue dossiers call for and the feedback deadlines missed
(both idempotent: a record is made once), folds late ratings into the dashboard's monthly sums,
and deletes finished background jobs older than ``PARINDEX_JOB_RETENTION_DAYS`` with their files
(and the task queue's finished rows of the same age). Two workers may run: each claims the run
with one conditional update of the ``Housekeeping`` row, and only one wins.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parindex.server.jobs.models import Housekeeping, Job
from parindex.server.jobs.runner import outputs

log = logging.getLogger(__name__)
CHORE = "daily"
FINISHED = (Job.State.DONE, Job.State.FAILED)


def claim(now: datetime, every: timedelta) -> bool:
    """Whether this process is to run the chores now: none ran in the last ``every``, and no
    other process claimed them first."""
    try:
        with transaction.atomic():
            _, created = Housekeeping.objects.get_or_create(
                name=CHORE, defaults={"started_at": now}
            )
    except IntegrityError:  # another worker created the row at the same moment: it runs them
        return False
    if created:
        return True
    return bool(
        Housekeeping.objects.filter(name=CHORE, started_at__lte=now - every).update(
            started_at=now, finished_at=None
        )
    )


def purge_jobs(now: datetime, keep: timedelta) -> int:
    """Delete finished jobs older than ``keep`` and the files they produced; returns how many.
    Jobs still waiting or running are never touched, whatever their age."""
    old = Job.objects.filter(state__in=FINISHED, finished_at__lt=now - keep)
    folder = outputs()
    deleted = 0
    for job in old.only("id", "output").iterator():
        if job.output:
            (folder / job.output).unlink(missing_ok=True)
        deleted += Job.objects.filter(pk=job.pk).delete()[0]
    DBTaskResult.objects.filter(finished_at__lt=now - keep).delete()
    return deleted


def run(now: datetime | None = None) -> dict[str, Any]:
    """Do every chore once (whether or not one is due); returns what each did."""
    from parindex.server.feedback.deadlines import record_lapses
    from parindex.server.feedback.services import record_apologies
    from parindex.server.ratings.summary import refresh

    moment = now or timezone.now()
    day = timezone.localdate(moment)
    return {
        "apologies": record_apologies(day),
        "lapses": record_lapses(day),
        "rating_months": refresh(day),
        "jobs_deleted": purge_jobs(moment, timedelta(days=settings.JOB_RETENTION_DAYS)),
    }


def run_if_due(now: datetime | None = None) -> dict[str, Any] | None:
    """Run the chores if no process has in the last ``PARINDEX_HOUSEKEEPING_HOURS``."""
    moment = now or timezone.now()
    if not claim(moment, timedelta(hours=settings.HOUSEKEEPING_HOURS)):
        return None
    summary = run(moment)
    Housekeeping.objects.filter(name=CHORE).update(finished_at=timezone.now(), summary=summary)
    log.info("housekeeping done", extra={"housekeeping": summary})
    return summary


def start_thread(poll_seconds: float = 300.0) -> threading.Thread:
    """A daemon thread of the worker process that looks every ``poll_seconds`` whether the
    chores are due (the first look at once) and runs them; an error is logged, never fatal."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                run_if_due()
            except Exception:
                log.exception("housekeeping failed")
            finally:
                close_old_connections()
            stop.wait(poll_seconds)

    thread = threading.Thread(target=loop, name="housekeeping", daemon=True)
    thread.start()
    return thread
