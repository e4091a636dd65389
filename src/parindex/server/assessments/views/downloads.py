"""Workbooks to download: a unit's scoring sheet (and reading it back filled in) and the whole
appraisal table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from parindex.core.assessment.workflow import WorkflowError
from parindex.core.tabular import TableError
from parindex.server.assessments import jobs, services
from parindex.server.assessments.views.page import assessment_or_403, cycle_or_404, require
from parindex.server.authenticated import AuthenticatedRequest
from parindex.server.jobs.kinds import JobRefused

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def unit_sheet(request: AuthenticatedRequest, pk: int, ref: str) -> HttpResponse:
    """The unit's scoring sheet: download (GET) or upload it filled in (POST: read by a
    background job, whose page the person is led to)."""
    assessment = assessment_or_403(request, pk, ref)
    if request.method == "POST":
        upload = request.FILES.get("sheet")
        if upload is None:
            messages.error(request, _("Choose the filled-in scoring sheet (.xlsx)."))
        else:
            try:
                job = jobs.start_sheet(assessment, request.user, upload)
            except (services.AssessmentError, WorkflowError) as error:
                messages.error(request, services.refusal(error))
            except (JobRefused, TableError) as error:
                messages.error(request, str(error))
            else:
                return redirect("job", pk=job.pk)
        return redirect("assessment-detail", pk=pk, ref=ref)
    content = services.export_sheet(assessment)
    safe_ref = assessment.unit.ref.replace(":", "-").replace("/", "-")
    return _xlsx(content, f"bang-diem-{assessment.cycle.year}-{safe_ref}.xlsx")


@login_required
def appraisal_table(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    require(request, "assessments.download_appraisal_table", cycle)
    return _xlsx(services.appraisal_table(cycle, request.user), f"tham-dinh-{cycle.year}.xlsx")
