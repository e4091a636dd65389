"""Long work off the request: a sample draw or an export import runs as a django-tasks task
(database backend; `parindex worker` runs them) and records its progress on a ``Job`` row.

The request only checks what is cheap (size, kind, a workbook's zip), stages the file and
queues the job. The task reads and checks the table and draws with no transaction open; the
only write transaction is the one that stores the result, all or nothing.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django_tasks import task

from parindex.core.surveys.exports import submissions
from parindex.core.surveys.frame import StageSpec
from parindex.core.tabular import TableError, read_table
from parindex.core.workbook import WorkbookError, check_workbook
from parindex.server.accounts.models import User
from parindex.server.surveys import collection, services
from parindex.server.surveys.models import Job, Survey


def _staging() -> Path:
    folder = Path(settings.UPLOAD_STAGING_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start(
    survey: Survey, user: User, kind: Job.Kind, upload: UploadedFile, params: dict[str, Any]
) -> Job:
    """Queue ``kind`` on ``upload``; raises ``TableError`` at once for a workbook refused by its
    zip alone (a bomb, a truncated file), and ``CollectionError`` for a survey already drawn,
    before anything is staged."""
    if kind == Job.Kind.DRAW and survey.sample.exists():
        raise collection.CollectionError(collection.ALREADY_DRAWN())
    name = Path(upload.name or "upload.csv").name
    data = upload.read()
    if name.lower().endswith(".xlsx"):
        try:
            check_workbook(data, name)
        except WorkbookError as error:
            raise TableError(str(error)) from None
    staged = _staging() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    staged.write_bytes(data)
    job = Job.objects.create(
        survey=survey,
        kind=kind,
        upload_name=name,
        staged=staged.name,
        params=params,
        created_by=user,
    )
    run_job.enqueue(job.pk)
    return job


@task()
def run_job(job_id: int) -> None:
    run(job_id)


def _step(job: Job, step: str, progress: int) -> None:
    job.step, job.progress = step, progress
    job.save(update_fields=["step", "progress", "state"])


def run(job_id: int) -> None:
    """Do the job; a refusal is recorded on it with its reason, never raised to the worker."""
    job = Job.objects.select_related("survey", "created_by").get(pk=job_id)
    if job.state != Job.State.QUEUED:
        return  # run once, even if queued twice
    job.state = Job.State.RUNNING
    staged = _staging() / job.staged
    try:
        _step(job, "reading", 10)
        table = read_table(Path(job.upload_name), staged.read_bytes())
        if job.kind == Job.Kind.DRAW:
            _step(job, "drawing", 40)
            params = dict(job.params)
            stages = [StageSpec(*s) for s in params.pop("stages")]
            drawn = collection.draw_sample(
                job.survey, table, stages=stages, actor=job.created_by, **params
            )
            job.result = {"units": drawn, "rows": table.rows}
        else:
            _step(job, "checking", 40)
            batch = submissions(table, **job.params)
            _step(job, "counting", 70)
            report = services.take_in(job.survey, batch)
            job.result = {"counted": report.counted, "aside": sum(report.kept_aside.values())}
        job.state, job.progress = Job.State.DONE, 100
    except (TableError, collection.CollectionError) as error:
        job.state, job.error = Job.State.FAILED, str(error)
    except Exception:
        job.state, job.error = Job.State.FAILED, "internal error (see the worker's log)"
        raise
    finally:
        staged.unlink(missing_ok=True)
        job.finished_at = timezone.now()
        job.save()
