"""Public pages for feedback (PAKN): the form anyone may send, and the published answers."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from parindex.server.accounts.models import Unit
from parindex.server.feedback import services
from parindex.server.feedback.models import Feedback


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
