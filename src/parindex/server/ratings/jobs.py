"""The one-stop centres' kind of background job: a dossier file from the one-stop system,
imported into a unit and the units below it. A file of 20 MB may hold a year of dossiers: it is
read and checked by the worker with no transaction open, stored all or nothing, and a refused
file leaves every finding, located by row and column, on the job's page."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.findings import Finding
from parindex.server.accounts.models import Unit, User
from parindex.server.jobs import runner
from parindex.server.jobs.kinds import JobRefused, Kind, Outcome, Progress, register
from parindex.server.jobs.models import Job
from parindex.server.ratings import dossier_import
from parindex.server.ratings.labels import finding_text

DOSSIERS = "onestop-dossiers"
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def start_dossiers(unit: Unit, user: User, upload: UploadedFile[bytes]) -> Job:
    """Queue the import (the caller has asked ``ratings.import_dossiers`` of ``unit``); a file
    over the size limit, or a workbook refused by its zip alone, is refused here at once."""
    if upload.size is None or upload.size > MAX_IMPORT_BYTES:
        raise JobRefused([_("Choose a CSV or Excel file of at most 20 MB.")])
    return runner.start(DOSSIERS, unit, user, {}, upload=upload)


def located(finding: Finding) -> str:
    """A finding as one line: its row and column (by the file's own header), then the
    sentence in the reader's language."""
    where = ""
    if finding.line:
        where += _("row %(row)s") % {"row": finding.line} + ", "
    if finding.node:
        where += _("column %(column)s") % {"column": finding.node} + ": "
    return where + finding_text(finding)


def _dossiers(job: Job, progress: Progress) -> Outcome:
    unit = job.subject
    assert isinstance(unit, Unit)
    progress("reading", 10)
    report = dossier_import.import_file(job.upload_name, runner.staged_bytes(job), unit)
    if report.value is None:
        raise JobRefused([located(f) for f in report.findings])
    return Outcome(dict(report.value))


def _back(job: Job) -> tuple[str, str]:
    unit = job.subject
    assert isinstance(unit, Unit)
    return reverse("leader-dashboard", args=[unit.ref]), _("Back to the unit's dashboard")


register(
    Kind(
        DOSSIERS,
        gettext_lazy("dossier import"),
        "ratings.import_dossiers",
        _dossiers,
        lambda job: _("%(created)d dossiers added, %(updated)d updated.") % job.result,
        _back,
    )
)
