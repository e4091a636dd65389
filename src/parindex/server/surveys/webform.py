"""The respondents' web form: open to anyone holding a ballot code, no account needed.

One question a screen by default (phones), or the whole form on one page. Every answer is saved
as it is given, so a respondent who leaves resumes where they stopped, on any device, by typing
the code again. Skip logic is applied as the answers come in.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from parindex.server.surveys import collection, estimates, throttle
from parindex.server.surveys.forms import AnswersForm
from parindex.server.surveys.models import SampledUnit, Survey

UNUSABLE_CODE = gettext_lazy(
    "This code cannot be used. Please check it; if this ballot has already been answered, "
    "thank you: each ballot counts once."
)
WAIT = gettext_lazy("Too many codes were tried. Please wait ten minutes and try again.")


def _session_key(survey: Survey) -> str:
    return f"webform:{survey.slug}"


def _open_survey(slug: str) -> tuple[Survey, str | None]:
    survey = get_object_or_404(Survey, slug=slug)
    now = timezone.now()
    if now < survey.opens_at:
        return survey, _("This survey has not opened yet.")
    if now > survey.closes_at:
        return survey, _("This survey has closed. Thank you for your interest.")
    return survey, None


def start(request: HttpRequest, slug: str) -> HttpResponse:
    survey, closed = _open_survey(slug)
    error = closed
    # A scanned QR code fills the code in; the respondent reads the introduction, then starts.
    code = request.POST.get("code") or request.GET.get("code", "")
    status = 200
    if closed is None and code and request.method == "POST":
        client = throttle.client_address(request)
        paused = throttle.blocked(survey, client)
        unit = None if paused else collection.unit_for_code(survey, code)
        if paused:
            error, status = str(WAIT), 429
        elif unit is None or hasattr(unit, "response"):
            # One answer for both: a guesser learns nothing about which codes exist.
            throttle.record_failure(survey, client)
            error = str(UNUSABLE_CODE)
        else:
            request.session[_session_key(survey)] = unit.pk
            request.session["webform:all"] = bool(request.POST.get("all"))
            return redirect("webform-question", slug=survey.slug)
    return render(
        request,
        "surveys/webform_start.html",
        {"survey": survey, "code": code, "error": error, "closed": closed is not None},
        status=status,
    )


def _unit(request: HttpRequest, survey: Survey) -> SampledUnit | None:
    pk = request.session.get(_session_key(survey))
    return survey.sample.filter(pk=pk).first() if pk else None


def question(request: HttpRequest, slug: str) -> HttpResponse:
    survey, closed = _open_survey(slug)
    unit = _unit(request, survey)
    if closed or unit is None:
        return redirect("webform-start", slug=slug)
    if "all" in request.GET:
        request.session["webform:all"] = request.GET["all"] == "1"
    whole_form = bool(request.session.get("webform:all"))
    questionnaire = estimates.questionnaire_of(survey)
    state = collection.web_state(survey, unit)
    if state.counted:
        return _already_counted(request, survey)
    asked = request.GET.get("q", "")
    # A hand-edited address (q=abc) shows the next question rather than an error.
    index = int(asked) if asked.isdigit() else state.next_index
    index = max(0, min(index, state.next_index))
    if not whole_form and index >= len(state.questions):
        return redirect("webform-review", slug=slug)
    shown = state.questions if whole_form else [state.questions[index]]
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        initial=state.answers,
        questions=shown,
        questionnaire=questionnaire,
        english=get_language() == "en",
    )
    if request.method == "POST" and form.is_valid():
        try:
            # A question left blank is still seen: saved as blank, so the form moves on.
            seen = {q.id: "" for q in shown} | form.answers()
            state = collection.save_answers(survey, unit, seen)
        except collection.CollectionError as error:
            form.add_error(None, str(error))
        else:
            if whole_form:
                return redirect("webform-review", slug=slug)
            return redirect(f"{request.path}?q={index + 1}")
    return render(
        request,
        "surveys/webform_question.html",
        {
            "survey": survey,
            "form": form,
            "index": index,
            "total": len(state.questions),
            "whole_form": whole_form,
            "percent": round(100 * index / max(len(state.questions), 1)),
        },
    )


def review(request: HttpRequest, slug: str) -> HttpResponse:
    survey, closed = _open_survey(slug)
    unit = _unit(request, survey)
    if closed or unit is None:
        return redirect("webform-start", slug=slug)
    questionnaire = estimates.questionnaire_of(survey)
    state = collection.web_state(survey, unit)
    if state.counted:
        return _already_counted(request, survey)
    error = None
    if request.method == "POST":
        try:
            collection.submit_web(survey, unit)
        except collection.CollectionError as refused:
            error = str(refused)
        else:
            return redirect("webform-done", slug=slug)
    english = get_language() == "en"
    rows = []
    for index, q in enumerate(state.questions):
        given = state.answers.get(q.id, "")
        label = given
        if q.scale and given:
            for choice in questionnaire.scale(q.scale).choices:
                if choice.code == given:
                    label = choice.label_en if english and choice.label_en else choice.label_vi
        rows.append((index, q.label_en if english and q.label_en else q.label_vi, label))
    return render(
        request,
        "surveys/webform_review.html",
        {"survey": survey, "rows": rows, "error": error},
    )


def _already_counted(request: HttpRequest, survey: Survey) -> HttpResponse:
    """A replayed page or submission (the back button, a resent form) after the ballot counted."""
    request.session.pop(_session_key(survey), None)
    context = {"survey": survey, "already_counted": True}
    return render(request, "surveys/webform_done.html", context)


def done(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug)
    request.session.pop(_session_key(survey), None)
    return render(request, "surveys/webform_done.html", {"survey": survey})
