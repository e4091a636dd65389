"""One task runner for every kind of job (``django-tasks``, database backend; ``parindex
worker`` runs the queue). The request only checks what is cheap (size, kind, a workbook's
zip), stages the upload and queues the job; the run reads, checks and computes with no
transaction open, and the kind's own service stores its result in one short transaction."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from django_tasks import task

from parindex.core.errors import ParindexError
from parindex.core.tabular import TableError
from parindex.core.workbook import LIMITS, Limits, WorkbookError, check_workbook
from parindex.server.jobs.kinds import kind_of
from parindex.server.jobs.models import Job

INTERNAL_ERROR = gettext_lazy("an internal error stopped the work; it is in the worker's log")


def staging() -> Path:
    folder = Path(settings.UPLOAD_STAGING_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def outputs() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def output_path(job: Job) -> Path | None:
    """The file a finished render produced, if it is still there."""
    if job.state != Job.State.DONE or not job.output:
        return None
    path = outputs() / Path(job.output).name
    return path if path.is_file() else None


def staged_bytes(job: Job) -> bytes:
    return (staging() / job.staged).read_bytes()


def start(
    kind: str,
    subject: Model,
    user: Any,
    params: dict[str, Any],
    upload: UploadedFile[bytes] | None = None,
    key: str = "",
    limits: Limits = LIMITS,
) -> Job:
    """Queue a job of ``kind`` about ``subject``. An upload is staged first; a workbook refused
    by its zip alone (a bomb, a truncated file) raises ``TableError`` before anything is kept."""
    kind_of(kind)  # an unknown kind fails here, not in the worker
    job = Job(
        kind=kind,
        params=params,
        key=key,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    job.concerns(subject)
    if upload is not None:
        name = Path(upload.name or "upload.csv").name
        data = upload.read()
        if name.lower().endswith(".xlsx"):
            try:
                check_workbook(data, name, limits)
            except WorkbookError as error:
                raise TableError(str(error)) from None
        staged = staging() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
        staged.write_bytes(data)
        job.upload_name, job.staged = name, staged.name
    job.save()
    run_job.enqueue(job.pk)
    return job


def shared(kind: str, subject: Model, user: Any, params: dict[str, Any], key: str) -> Job:
    """A render anyone may ask for again gives the same job: one waiting, running or done
    with its file kept; a new one only after a refusal or when the file is gone."""
    for job in Job.objects.filter(kind=kind, key=key).exclude(state=Job.State.FAILED):
        if job.running or output_path(job) is not None:
            return job
    return start(kind, subject, user, params, key=key)


@task()
def run_job(job_id: int) -> None:
    run(job_id)


def run(job_id: int) -> None:
    """Do the job; a refusal (any ``ParindexError``) is recorded on it with its reason, in the
    language of the person who asked, never raised to the worker."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.state != Job.State.QUEUED:
        return  # run once, even if queued twice
    kind = kind_of(job.kind)
    job.state = Job.State.RUNNING

    def progress(step: str, percent: int) -> None:
        job.step, job.progress = step, max(0, min(99, percent))
        job.save(update_fields=["step", "progress", "state"])

    try:
        with translation.override(job.language):
            progress("starting", 1)
            outcome = kind.run(job, progress)
        job.result = outcome.result
        if outcome.content is not None:
            name = f"{uuid.uuid4().hex}{Path(outcome.file_name).suffix.lower()}"
            partial = outputs() / (name + ".partial")
            partial.write_bytes(outcome.content)
            partial.replace(outputs() / name)
            job.output, job.output_name, job.output_type = (
                name,
                outcome.file_name,
                outcome.file_type,
            )
        job.state, job.progress = Job.State.DONE, 100
    except ParindexError as error:
        job.state, job.error = Job.State.FAILED, str(error)
    except Exception:
        with translation.override(job.language):
            job.state, job.error = Job.State.FAILED, str(INTERNAL_ERROR)
        raise
    finally:
        if job.staged:
            (staging() / job.staged).unlink(missing_ok=True)
        job.finished_at = timezone.now()
        job.save()
