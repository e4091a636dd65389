"""Reports of published results rendered in the background: the national report and a unit's
report card, as PDF (Typst; each chart drawn by vl-convert moves the progress on) or as an
Excel workbook. Published rows never change, so a report is rendered once per publication,
language and format and then shared: anyone may read it, as anyone may read the pages."""

from __future__ import annotations

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.server.accounts.models import Unit
from parindex.server.jobs import runner
from parindex.server.jobs.kinds import Kind, Outcome, Progress, register
from parindex.server.jobs.models import Job
from parindex.server.results.models import Publication
from parindex.server.results.services import boundaries
from parindex.server.results.services.report import national_report, unit_report

REPORT = "results-report"
FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def national(publication: Publication, fmt: str, lang: str) -> Job:
    params = {"index": publication.index, "year": publication.year, "fmt": fmt}
    key = f"national|{publication.index}|{publication.year}|{publication.pk}|{lang}|{fmt}"
    maps = boundaries.fingerprint() if fmt == "pdf" else ""
    if maps:  # the PDF draws the geographic map from the configured boundary files
        key += f"|maps:{maps}"
    return runner.shared(REPORT, publication, None, params, key)


def card(index: str, unit: Unit, fmt: str, lang: str) -> Job:
    """A unit's report card spans every published year: a new publication makes a new one."""
    newest = Publication.objects.filter(index=index).aggregate(id=Max("id"))["id"]
    params = {"index": index, "unit": unit.ref, "fmt": fmt}
    key = f"card|{index}|{unit.ref}|{newest}|{lang}|{fmt}"
    return runner.shared(REPORT, unit, None, params, key)


def _render(job: Job, progress: Progress) -> Outcome:
    # Typst and vl-convert load in the worker only: every command starts Django.
    from parindex.reports.results_report import ReportContent, pdf, workbook

    params, lang = job.params, job.language
    progress("gathering", 10)
    content: ReportContent
    if "unit" in params:
        content = unit_report(params["index"], params["unit"], lang)
        stem = f"{params['index']}-{params['unit'].replace(':', '-').replace('/', '-')}"
    else:
        content = national_report(params["index"], params["year"], lang)
        stem = f"{params['index']}-{params['year']}"
    fmt = params["fmt"]
    if fmt == "pdf":

        def drawn(done: int, total: int) -> None:
            progress("charts" if done < total - 1 else "typesetting", 20 + 75 * done // total)

        progress("charts", 20)
        data = pdf(content, drawn)
    else:
        progress("saving", 50)
        data = workbook(content)
    return Outcome({"title": content.title}, data, f"{stem}-{lang}.{fmt}", FORMATS[fmt])


def _back(job: Job) -> tuple[str, str]:
    params = job.params
    if "unit" in params:
        address = reverse("results-unit", kwargs={"index": params["index"], "ref": params["unit"]})
    else:
        address = reverse("results-ranking", args=[params["index"], params["year"]])
    return address, _("Back to the results")


register(
    Kind(
        REPORT,
        gettext_lazy("report of published results"),
        "results.view_report",
        _render,
        lambda job: _("The report is ready: %(title)s.") % {"title": job.result["title"]},
        _back,
        imports=False,
    )
)
