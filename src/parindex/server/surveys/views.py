"""Survey managers' pages: thin views over ``services`` and ``collection``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.methodology import load_shipped
from parindex.core.surveys.change import Change
from parindex.core.tabular import TableError
from parindex.reports.survey_results import Wording, results_workbook
from parindex.server.accounts.permissions import allows
from parindex.server.authenticated import AuthenticatedRequest
from parindex.server.jobs.models import Job
from parindex.server.surveys import changes, collection, computed, jobs, labels, services
from parindex.server.surveys.forms import DrawForm, ImportForm, PaperForm
from parindex.server.surveys.models import Survey

UNDER_COVERED_BELOW = 70.0
"""Response rate (%) under which a domain is marked under-covered (SIPAS plans for ≥ 70 %)."""


def _manager(request: HttpRequest) -> None:
    if not allows(request.user, "surveys.list_surveys"):
        raise PermissionDenied("survey managers only")


def _survey(request: HttpRequest, slug: str) -> Survey:
    """A survey the user manages: its managers and administrators, reaching the survey's unit
    (a national survey: held nationally). Pages and downloads alike."""
    _manager(request)
    survey = get_object_or_404(Survey, slug=slug)
    if not allows(request.user, "surveys.manage_survey", survey):
        raise PermissionDenied("survey outside the user's scope")
    return survey


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    _manager(request)
    surveys = [
        (survey, progress)
        for survey, progress in services.overview()
        if allows(request.user, "surveys.manage_survey", survey)
    ]
    return render(request, "surveys/list.html", {"surveys": surveys})


@login_required
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(request, slug)
    quality = computed.survey_quality(survey)
    words = services.respondents_of(survey)
    progress = services.progress(survey)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "progress": progress,
            "counted_line": words.counted(progress.counted, progress.sampled),
            "identical_line": words.identical(),
            "coverage": quality.coverage,
            "threshold": UNDER_COVERED_BELOW,
            "flag_counts": quality.counts,
            "flagged": [
                FlaggedRow(
                    row.code,
                    row.domain,
                    labels.channel_label(row.channel),
                    ", ".join(labels.flag_label(f, words) for f in sorted(row.flags)),
                )
                for row in quality.flagged
            ],
            "total_flagged": quality.total_flagged,
            "domains": [row.domain for row in sorted(quality.coverage, key=lambda r: r.domain)],
            "kept_aside": [
                KeptAsideRow(
                    row.code,
                    labels.verdict_label(row.verdict),
                    labels.reason_text(row.verdict, row.code, row.received_at) or row.reason,
                    labels.channel_label(row.channel),
                )
                for row in survey.set_aside.order_by("-received_at")[:50]
            ],
        },
    )


@dataclass(frozen=True)
class FlaggedRow:
    code: str
    domain: str
    channel: str
    flags: str


@dataclass(frozen=True)
class KeptAsideRow:
    code: str
    verdict: str
    reason: str
    channel: str


@dataclass(frozen=True)
class ShownRow:
    row: services.ResultRow
    name: str
    lonely: bool
    change: Change | None = None
    """From the previous year's survey, where it estimated the same domain and node."""


@login_required
def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    """The index of every domain, and one domain's full table (a picker chooses it); the
    Excel download holds every domain's table."""
    survey = _survey(request, slug)
    names = _node_names(survey)
    found = computed.survey_results(survey)
    affected = found.affected
    compared = changes.year_on_year(survey)
    shown = [
        ShownRow(
            r, names.get(r.node, ""), r.domain in affected, compared.changes.get((r.domain, r.node))
        )
        for r in found.rows
        if r.node in names or r.node == "index"
    ]
    domains = sorted({s.row.domain for s in shown})
    progress = services.progress(survey)
    chosen = request.GET.get("domain", "")
    if chosen not in domains:
        chosen = domains[0] if domains else ""
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "summary": [s for s in shown if s.row.node == "index"],
            "rows": [s for s in shown if s.row.domain == chosen],
            "domains": domains,
            "chosen": chosen,
            "policy": labels.lonely_policy(found.policy),
            "lonely": found.lonely,
            "affected": sorted(affected),
            "points": any(s.row.points is not None for s in shown),
            "progress": progress,
            "counted_line": services.respondents_of(survey).counted(
                progress.counted, progress.sampled
            ),
            "previous": compared.previous,
        },
    )


def _node_names(survey: Survey) -> dict[str, str]:
    edition = load_shipped(survey.edition).value
    return edition.names(english=get_language() == "en") if edition is not None else {}


@login_required
def results_excel(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(request, slug)
    found = computed.survey_results(survey)
    note = _("Design-based estimates; 95 % confidence intervals (logit).")
    if found.affected:
        note += " " + _(
            "Where a stratum has a single cluster (%(policy)s), this decided the standard "
            "errors of: %(domains)s."
        ) % {
            "policy": labels.lonely_policy(found.policy),
            "domains": ", ".join(sorted(found.affected)),
        }
    wording = Wording(
        sheet=_("Results"),
        note=note,
        index=_("Index"),
        headers=(
            _("Domain"),
            _("Code"),
            _("Content"),
            _("Share satisfied (%)"),
            _("Standard error"),
            _("95 % lower bound"),
            _("95 % upper bound"),
            _("Responses"),
        ),
    )
    content = results_workbook(survey.name, found.rows, _node_names(survey), wording)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-results.xlsx"'
    return response


@login_required
def draw_sample(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    survey = _survey(request, slug)
    form = DrawForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        respondents=services.respondents_of(survey),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = {
            "strata": data["strata"] or None,
            "stages": [[s.column, s.take, s.method] for s in data["stages"]],
            "final_take": data["final_take"],
            "seed": data["seed"],
            "label_columns": data["labels"],
        }
        try:
            job = jobs.start(survey, request.user, jobs.DRAW, data["frame"], params)
        except (TableError, collection.CollectionError) as error:
            form.add_error(None, str(error))
        else:
            return redirect("job", pk=job.pk)
    return render(request, "surveys/draw.html", {"survey": survey, "form": form})


@login_required
def import_export(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    survey = _survey(request, slug)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = {
            "channel": data["channel"],
            "code_column": data["code_column"],
            "time_column": data["time_column"],
        }
        try:
            job = jobs.start(survey, request.user, jobs.IMPORT, data["export"], params)
        except TableError as error:
            form.add_error("export", _("Nothing was imported: %(error)s") % {"error": error})
        else:
            return redirect("job", pk=job.pk)
    return render(request, "surveys/import.html", {"survey": survey, "form": form})


@login_required
def job_progress(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The address of a draw's or an import's page before jobs had their own: it leads there."""
    survey = _survey(request, slug)
    job = get_object_or_404(Job, pk=pk, subject_id=survey.pk, kind__startswith="survey-")
    return redirect("job", pk=job.pk)


def paper_entry(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    survey = _survey(request, slug)
    questionnaire = services.questionnaire_of(survey)
    questions = [q for q in questionnaire.questions() if q.kind != "note"]
    english = get_language() == "en"
    form = PaperForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        questionnaire=questionnaire,
        english=english,
        enforce_required=False,  # paper ballots come back with blanks; they are keyed as blank
    )
    outcome = None
    if request.method == "POST" and form.is_valid():
        # A paper ballot counts as received on the day it was collected (midday, local time).
        collected = timezone.make_aware(
            datetime.combine(form.cleaned_data["collected_on"], time(12))
        )
        try:
            outcome = collection.key_in(
                survey, request.user, form.cleaned_data["code"], form.answers(), collected
            )
        except collection.CollectionError as error:
            form.add_error("code", str(error))
        else:
            if outcome.status != "mismatch":
                messages.success(request, _outcome_message(outcome))
                return redirect("survey-paper", slug=survey.slug)
    label_of = {q.id: (q.label_en if english and q.label_en else q.label_vi) for q in questions}
    return render(
        request,
        "surveys/paper.html",
        {
            "survey": survey,
            "form": form,
            "outcome": outcome,
            "mismatches": [
                (label_of.get(m.question, m.question), m.first, m.second)
                for m in (outcome.mismatches if outcome else ())
            ],
        },
    )


def _outcome_message(outcome: collection.KeyingOutcome) -> str:
    if outcome.status == "first":
        return _("First keying saved; a second clerk keys the same ballot to check it.")
    if outcome.status == "counted":
        return _("Both keyings agree; the ballot is counted.")
    return _("Both keyings agree, but the ballot is kept aside: %(reason)s") % {
        "reason": labels.verdict_label(outcome.reason)
    }


@login_required
def ballots_pdf(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The ballot sheets are typeset in the background: this queues them (or finds them
    already made) and leads to the job's page, where the PDF is downloaded."""
    survey = _survey(request, slug)
    domain = request.GET.get("domain", "")
    if not survey.sample.filter(**({"domain": domain} if domain else {})).exists():
        messages.error(request, _("No ballot to print."))
        return redirect("survey-detail", slug=survey.slug)
    address = request.build_absolute_uri(reverse("webform-start", args=[survey.slug]))
    job = jobs.start_ballots(survey, request.user, domain, address, get_language() or "vi")
    return redirect("job", pk=job.pk)
