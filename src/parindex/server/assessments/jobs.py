"""The assessments' kinds of background job: survey points of a cycle and a unit's filled-in
scoring sheet, read from an uploaded file. The run reads and checks the file with no
transaction open; the points or scores are stored in one short transaction, all or nothing,
and a refused file leaves every finding, located, on the job's page."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.findings import Report
from parindex.core.workbook import FORM_LIMITS, WorkbookError, check_workbook
from parindex.server.accounts.models import User
from parindex.server.assessments.models import Assessment, Cycle
from parindex.server.assessments.services import workbooks
from parindex.server.assessments.services.scores import check_self_editable
from parindex.server.jobs import runner
from parindex.server.jobs.kinds import JobRefused, Kind, Outcome, Progress, register
from parindex.server.jobs.models import Job

SURVEY_POINTS, SHEET = "assessment-survey-points", "assessment-sheet"


def start_survey_points(cycle: Cycle, user: User, upload: UploadedFile[bytes]) -> Job:
    """Queue the import (the caller has asked ``assessments.import_survey_points``); a file of
    the wrong kind or size, or a workbook refused by its zip, raises ``JobRefused`` here."""
    name = upload.name or "points.csv"
    _refuse(workbooks.upload_refusal(name, upload.size))
    # The zip checked with the limits ``core.tabular`` reads it with (its rows, not a form's).
    return runner.start(SURVEY_POINTS, cycle, user, {}, upload=upload)


def start_sheet(assessment: Assessment, user: User, upload: UploadedFile[bytes]) -> Job:
    """Queue the reading of a filled-in sheet; refused at once (``AssessmentError``,
    ``WorkflowError``) when the person may not change the self-assessment now."""
    check_self_editable(assessment, user)
    if (upload.size or 0) > workbooks.MAX_SHEET_BYTES:
        raise JobRefused(
            [_("{file}: {message}").format(file=upload.name, message=_("larger than 10 MB"))]
        )
    name = upload.name or "sheet.xlsx"
    data = upload.read()
    upload.seek(0)
    try:
        check_workbook(data, name, FORM_LIMITS)
    except WorkbookError:
        # Refused by its zip alone: the sheet's reader stops at the same check at once, and
        # words the refusal as it does for every other fault of a sheet.
        _refuse(workbooks.read_sheet(assessment, name, data))
        raise
    return runner.start(SHEET, assessment, user, {}, upload=upload, limits=FORM_LIMITS)


def _refuse(report: Report[Any] | None) -> None:
    if report is not None and report.value is None:
        raise JobRefused([workbooks.finding_text(f) for f in report.findings])


def _survey_points(job: Job, progress: Progress) -> Outcome:
    cycle = job.subject
    assert isinstance(cycle, Cycle) and job.created_by is not None
    progress("reading", 10)
    read = workbooks.read_survey_points(job.upload_name, runner.staged_bytes(job))
    _refuse(read)
    assert read.value is not None
    progress("saving", 70)
    stored = workbooks.store_survey_points(cycle, job.created_by, read.value, job.upload_name)
    _refuse(stored)
    return Outcome({"count": stored.value})


def _sheet(job: Job, progress: Progress) -> Outcome:
    assessment = job.subject
    assert isinstance(assessment, Assessment) and job.created_by is not None
    progress("reading", 10)
    read = workbooks.read_sheet(assessment, job.upload_name, runner.staged_bytes(job))
    _refuse(read)
    assert read.value is not None
    progress("saving", 70)
    saved = workbooks.save_sheet(assessment, job.created_by, read.value, job.upload_name)
    _refuse(saved)
    return Outcome({"count": saved.value})


def _points_back(job: Job) -> tuple[str, str]:
    return reverse("assessment-cycle", args=[job.subject_id]), _("Back to the cycle")


def _sheet_back(job: Job) -> tuple[str, str]:
    assessment = job.subject
    assert isinstance(assessment, Assessment)
    address = reverse("assessment-detail", args=[assessment.cycle_id, assessment.unit.ref])
    return address, _("Back to the assessment")


register(
    Kind(
        SURVEY_POINTS,
        gettext_lazy("survey points import"),
        "assessments.import_survey_points",
        _survey_points,
        lambda job: _("Survey points imported: {count}.").format(count=job.result["count"]),
        _points_back,
    )
)
register(
    Kind(
        SHEET,
        gettext_lazy("scoring sheet import"),
        "assessments.view_assessment",
        _sheet,
        lambda job: _("Scoring sheet read: {count} components saved.").format(
            count=job.result["count"]
        ),
        _sheet_back,
    )
)
