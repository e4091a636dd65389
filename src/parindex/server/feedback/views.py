"""Feedback (PAKN) pages: the public form and published answers; the unit's inbox, the handling
steps and the public apologies it completes."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from parindex.core.onestop.feedback import DeadlinePassed, FeedbackKind, Step
from parindex.server.accounts.models import Unit
from parindex.server.accounts.permissions import allows
from parindex.server.feedback import deadlines, services
from parindex.server.feedback.models import KIND_CHOICES, Apology, Feedback
from parindex.server.ratings.services import subtree


class FeedbackForm(forms.Form):
    unit = forms.ModelChoiceField(
        Unit.objects.order_by("name_vi"), label=_("Agency concerned"), required=False,
        help_text=_("Not needed when you give a dossier code."),
    )  # fmt: skip
    dossier_code = forms.CharField(label=_("Dossier code"), max_length=64, required=False)
    sender = forms.CharField(label=_("Your name"), max_length=200, required=False)
    contact = forms.CharField(
        label=_("Phone or e-mail for the answer"),
        max_length=200,
        required=False,
        help_text=_("Never published."),
    )
    content = forms.CharField(
        label=_("Your feedback"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        intake = services.Intake(
            content=str(data.get("content", "")),
            unit=data.get("unit"),
            dossier_code=str(data.get("dossier_code", "")),
        )
        if services.route(intake) is None:
            raise forms.ValidationError(
                _("Choose the agency concerned or give a known dossier code.")
            )
        return data


def send(request: HttpRequest) -> HttpResponse:
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = services.receive(
            services.Intake(
                data["content"], data["unit"], data["dossier_code"], data["sender"], data["contact"]
            ),
            Feedback.Source.WEB,
        )
        return render(request, "feedback/received.html", {"item": item})
    return render(request, "feedback/send.html", {"form": form}, status=422 if form.errors else 200)


def answers(request: HttpRequest) -> HttpResponse:
    published = (
        Feedback.objects.filter(state=Feedback.State.PUBLISHED)
        .select_related("unit")
        .order_by("-published_on")
    )
    page = Paginator(published, 20).get_page(request.GET.get("trang"))
    return render(request, "feedback/answers.html", {"page": page})


def _served(request: HttpRequest, unit: Unit) -> None:
    if not allows(request.user, "feedback.handle", unit):
        raise PermissionDenied(_("This unit is not open to you."))


@login_required
def unit_inbox(request: HttpRequest, ref: str) -> HttpResponse:
    unit = get_object_or_404(Unit, ref=ref)
    _served(request, unit)
    units = subtree(unit)
    open_states = (Feedback.State.RECEIVED, Feedback.State.INFO_REQUESTED, Feedback.State.ANSWERED)
    items = Feedback.objects.filter(unit_id__in=units, state__in=open_states).order_by("handle_due")
    today = timezone.localdate()
    rows = [(item, deadlines.lapses_of(item, today)) for item in items]
    context = {
        "unit": unit,
        "rows": rows,
        "overdue": sum(1 for _, missed in rows if missed),
        "apologies": deadlines.outstanding_apologies(units),
    }
    return render(request, "feedback/inbox.html", context)


class HandleForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("classify", "classify"), ("answer", "answer"), ("refuse", "refuse"), ("request_info", "info"),
                 ("info_supplied", "info_supplied"), ("publish", "publish")],
    )  # fmt: skip
    kind = forms.ChoiceField(label=_("Classification"), choices=KIND_CHOICES, required=False)
    text = forms.CharField(
        label=_("Answer or reason"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


@login_required
def handle(request: HttpRequest, reference: str) -> HttpResponse:
    item = get_object_or_404(Feedback.objects.select_related("unit"), reference=reference)
    _served(request, item.unit)
    form = HandleForm(request.POST or None, initial={"kind": item.kind})
    if request.method == "POST" and form.is_valid():
        action, text = form.cleaned_data["action"], form.cleaned_data["text"]
        try:
            if action == "classify":
                services.classify(item, FeedbackKind(form.cleaned_data["kind"]))
            elif action == "answer":
                services.answer(item, text)
            elif action == "refuse":
                services.refuse(item, text)
            elif action == "request_info":
                services.request_information(item)
            elif action == "info_supplied":
                services.information_supplied(item)
            else:
                services.publish(item)
        except DeadlinePassed as error:
            when = {"due": formats.date_format(error.due, "SHORT_DATE_FORMAT")}
            if error.step == Step.REFUSE:
                message = _(
                    "The 2 working days to refuse this item ended on %(due)s: it stands accepted "
                    "and must be handled."
                )
            else:
                message = _("The 5 working days to ask for more information ended on %(due)s.")
            messages.error(request, message % when)
        except (services.FeedbackError, ValueError):
            messages.error(request, _("This step is not possible now."))
        else:
            messages.success(request, _("Saved."))
        return redirect("feedback-handle", reference=reference)
    return render(request, "feedback/handle.html", {"item": item, "form": form})


class ApologyForm(forms.Form):
    text = forms.CharField(label=_("Apology"), widget=forms.Textarea(attrs={"rows": 5}))
    new_appointment = forms.DateField(
        label=_("New appointment"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"]
    )


@login_required
def apology(request: HttpRequest, code: str) -> HttpResponse:
    record = get_object_or_404(Apology.objects.select_related("unit"), dossier_code=code)
    _served(request, record.unit)
    form = ApologyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.complete_apology(
            record, form.cleaned_data["text"], form.cleaned_data["new_appointment"]
        )
        messages.success(request, _("Saved."))
        return redirect("feedback-inbox", ref=record.unit.ref)
    return render(request, "feedback/apology.html", {"record": record, "form": form})
