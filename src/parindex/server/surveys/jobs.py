"""The surveys' kinds of background job: a sample draw, an export import and the ballot
sheets' PDF (``server/jobs`` runs them; ``parindex worker`` takes them from the queue).

The request only checks what is cheap and stages the file; the run reads and checks the table
and draws with no transaction open; the only write transaction is the one that stores the
result, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.core.surveys.ballot import grouped
from parindex.core.surveys.exports import submissions
from parindex.core.surveys.frame import StageSpec
from parindex.core.tabular import read_table
from parindex.server.accounts.models import User
from parindex.server.jobs import runner
from parindex.server.jobs.kinds import Kind, Outcome, Progress, register
from parindex.server.jobs.models import Job
from parindex.server.surveys import collection, estimates, intake
from parindex.server.surveys.models import Survey

DRAW, IMPORT, BALLOTS = "survey-draw", "survey-import", "survey-ballots"
BALLOTS_PER_PDF = 2000


def start(survey: Survey, user: User, kind: str, upload: UploadedFile[bytes], params: Any) -> Job:
    """Queue a draw or an import of ``upload``; raises ``TableError`` at once for a workbook
    refused by its zip alone, and ``CollectionError`` for a survey already drawn, before
    anything is staged."""
    if kind == DRAW and survey.sample.exists():
        raise collection.CollectionError(collection.ALREADY_DRAWN())
    return runner.start(kind, survey, user, params, upload=upload)


def start_ballots(survey: Survey, user: User, domain: str, address: str, lang: str) -> Job:
    """The ballot sheets of a domain (or of every sampled unit): the sample never changes once
    drawn, so the same request gives the same job while its file is kept."""
    params = {"domain": domain, "address": address}
    key = f"{survey.pk}|{domain}|{address}|{lang}"
    return runner.shared(BALLOTS, survey, user, params, key)


def _survey(job: Job) -> Survey:
    assert isinstance(job.subject, Survey)
    return job.subject


def _draw(job: Job, progress: Progress) -> Outcome:
    progress("reading", 10)
    table = read_table(Path(job.upload_name), runner.staged_bytes(job))
    progress("drawing", 40)
    params = dict(job.params)
    stages = [StageSpec(*s) for s in params.pop("stages")]
    drawn = collection.draw_sample(
        _survey(job), table, stages=stages, actor=job.created_by, **params
    )
    return Outcome({"units": drawn, "rows": table.rows})


def _import(job: Job, progress: Progress) -> Outcome:
    progress("reading", 10)
    table = read_table(Path(job.upload_name), runner.staged_bytes(job))
    progress("checking", 40)
    batch = submissions(table, **job.params)
    progress("counting", 70)
    report = intake.take_in(_survey(job), batch)
    return Outcome({"counted": report.counted, "aside": sum(report.kept_aside.values())})


def _ballots(job: Job, progress: Progress) -> Outcome:
    # Typst and segno load in the worker only: every command starts Django, few print ballots.
    from parindex.reports.ballots import Ballot, SheetText, ballot_sheets

    survey = _survey(job)
    progress("gathering", 10)
    units = survey.sample.order_by("position")
    if job.params["domain"]:
        units = units.filter(domain=job.params["domain"])
    chosen = list(units[:BALLOTS_PER_PDF])
    if not chosen:
        raise collection.CollectionError(_("No ballot to print."))
    address = job.params["address"]
    ballots = [
        Ballot(
            code=grouped(unit.code),
            label=unit.label or f"#{unit.position + 1}",
            area=unit.area or unit.domain,
            url=f"{address}?code={unit.code}",
        )
        for unit in chosen
    ]
    text = SheetText(
        address=address,
        issuer=_("Sociological survey on public administration"),
        title=survey.name,
        household=estimates.respondents_of(survey).title,
        area=_("Area"),
        code=_("Ballot code"),
        instructions=_("Answer online: scan the QR code, or open this address and type the code:"),
        footer=_("Each code can be used once. Your answers are confidential."),
    )
    progress("typesetting", 30)
    content = ballot_sheets(ballots, text, lang=job.language)
    return Outcome(
        {"ballots": len(ballots)}, content, f"{survey.slug}-ballots.pdf", "application/pdf"
    )


def _back(job: Job) -> tuple[str, str]:
    return reverse("survey-detail", args=[_survey(job).slug]), _("Back to the survey")


def _draw_summary(job: Job) -> str:
    return _("%(n)s units drawn from %(rows)s in the frame; a ballot code issued to each.") % {
        "n": job.result["units"],
        "rows": job.result["rows"],
    }


def _import_summary(job: Job) -> str:
    return _("%(name)s: %(counted)s counted, %(aside)s kept aside.") % {
        "name": job.upload_name,
        "counted": job.result["counted"],
        "aside": job.result["aside"],
    }


def _ballots_summary(job: Job) -> str:
    return _("Ballot sheets ready: %(n)s ballots.") % {"n": job.result["ballots"]}


PERMISSION = "surveys.manage_survey"
register(Kind(DRAW, gettext_lazy("sample draw"), PERMISSION, _draw, _draw_summary, _back))
register(Kind(IMPORT, gettext_lazy("export import"), PERMISSION, _import, _import_summary, _back))
register(
    Kind(
        BALLOTS,
        gettext_lazy("ballot sheets (PDF)"),
        PERMISSION,
        _ballots,
        _ballots_summary,
        _back,
        imports=False,
    )
)
