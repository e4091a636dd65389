"""Collecting the answers: the sample's draw and an export's import (background jobs), paper
ballots keyed twice, the ballot sheets."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.tabular import TableError
from parindex.server.authenticated import AuthenticatedRequest
from parindex.server.surveys import collection, estimates, jobs, labels
from parindex.server.surveys.forms import DrawForm, ImportForm, PaperForm
from parindex.server.surveys.views.access import managed_survey


@login_required
def draw_sample(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    survey = managed_survey(request, slug)
    form = DrawForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        respondents=estimates.respondents_of(survey),
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
    survey = managed_survey(request, slug)
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


def paper_entry(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    survey = managed_survey(request, slug)
    questionnaire = estimates.questionnaire_of(survey)
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
    survey = managed_survey(request, slug)
    domain = request.GET.get("domain", "")
    if not survey.sample.filter(**({"domain": domain} if domain else {})).exists():
        messages.error(request, _("No ballot to print."))
        return redirect("survey-detail", slug=survey.slug)
    address = request.build_absolute_uri(reverse("webform-start", args=[survey.slug]))
    job = jobs.start_ballots(survey, request.user, domain, address, get_language() or "vi")
    return redirect("job", pk=job.pk)
