"""A job's progress page (it refreshes itself while the job runs) and a finished render's file.
Both ask ``jobs.view_job``: the permission of the page that started the job, on its subject."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from parindex.server.accounts.permissions import allows
from parindex.server.jobs.kinds import kind_of, step_label
from parindex.server.jobs.models import Job
from parindex.server.jobs.runner import output_path


def _job(request: HttpRequest, pk: int) -> Job:
    job = get_object_or_404(Job, pk=pk)
    if not allows(request.user, "jobs.view_job", job):
        raise PermissionDenied(_("This job is not open to you."))
    return job


@dataclass(frozen=True)
class JobPage:
    job: Job
    title: str
    step: str
    summary: str
    refusal: str
    lines: list[str]
    download: str
    back: str
    back_label: str


def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    kind = kind_of(job.kind)
    summary, refusal, download = "", "", ""
    if job.state == Job.State.DONE:
        summary = kind.summary(job)
        if output_path(job) is not None:
            download = reverse("job-file", args=[job.pk])
    elif job.state == Job.State.FAILED:
        refusal = (
            _("Nothing was imported; the file was refused:")
            if kind.imports
            else _("The file could not be made:")
        )
    back, back_label = kind.back(job)
    page = JobPage(
        job,
        str(kind.label),
        step_label(job.step),
        summary,
        refusal,
        job.error.splitlines(),
        download,
        back,
        back_label,
    )
    return render(request, "jobs/job.html", {"page": page, "running": job.running})


def job_file(request: HttpRequest, pk: int) -> FileResponse:
    job = _job(request, pk)
    path = output_path(job)
    if path is None:
        raise Http404(_("This file is not ready, or no longer kept."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.output_name,
        content_type=job.output_type or "application/octet-stream",
    )
