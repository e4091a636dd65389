"""Cycle administration from the site: create a cycle, set its deadlines, choose the units and
their appraisers, open or close it. Each form is parsed here and handed to one service."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parindex.server.accounts.models import Unit, User
from parindex.server.assessments import services
from parindex.server.assessments.models import Cycle
from parindex.server.assessments.services import administration
from parindex.server.assessments.views.page import cycle_or_404, localised, render_page
from parindex.server.authenticated import AuthenticatedRequest
from parindex.server.surveys.models import Survey

NATIONAL = "national"
_MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CycleForm(forms.Form):
    organiser = forms.ChoiceField(label=gettext_lazy("Organised by"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=255)
    year = forms.IntegerField(label=gettext_lazy("Year assessed"), min_value=2012, max_value=2100)
    edition = forms.ChoiceField(label=gettext_lazy("Methodology edition"))
    self_assessment_deadline = forms.DateTimeField(
        label=gettext_lazy("Self-assessment deadline"), widget=_MOMENT
    )
    explanation_deadline = forms.DateTimeField(
        label=gettext_lazy("Explanation deadline"), widget=_MOMENT
    )
    appraisal_deadline = forms.DateTimeField(
        label=gettext_lazy("Appraisal deadline"), widget=_MOMENT
    )

    def __init__(self, *args: object, organisers: list[Unit | None], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        organiser = self.fields["organiser"]
        edition = self.fields["edition"]
        assert isinstance(organiser, forms.ChoiceField) and isinstance(edition, forms.ChoiceField)
        organiser.choices = [
            (
                self.organiser_value(unit),
                _("Ministry of Home Affairs (national)") if unit is None else unit.name_vi,
            )
            for unit in organisers
        ]
        edition.choices = [
            (e.id, f"{e.id} — {localised(e.title_vi, e.title_en)}")
            for e in administration.scored_editions()
        ]

    @staticmethod
    def organiser_value(unit: Unit | None) -> str:
        return NATIONAL if unit is None else str(unit.pk)

    def organiser_unit(self, organisers: list[Unit | None]) -> Unit | None:
        chosen = self.cleaned_data["organiser"]
        return next(u for u in organisers if self.organiser_value(u) == chosen)

    def cycle_settings(self) -> administration.CycleSettings:
        data = self.cleaned_data
        return administration.CycleSettings(
            data["name"],
            data["year"],
            data["edition"],
            data["self_assessment_deadline"],
            data["explanation_deadline"],
            data["appraisal_deadline"],
        )


@dataclass(frozen=True)
class NewCyclePage:
    form: CycleForm
    cycles: list[Cycle]


@login_required
def cycle_new(request: AuthenticatedRequest) -> HttpResponse:
    organisers = administration.organisers_for(request.user)
    if not organisers:
        raise PermissionDenied(_("Administrators only."))
    # The organiser listed first (the Ministry for a national administrator, else their own
    # province) is the one the form shows; the edition offered is the latest suited to it,
    # not the first in the list.
    edition = administration.default_edition(organisers[0], timezone.localdate().year)
    initial = {"edition": edition} if edition is not None else {}
    form = CycleForm(request.POST or None, initial=initial, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = administration.create_cycle(
                request.user, form.organiser_unit(organisers), form.cycle_settings()
            )
        except services.AssessmentError as error:
            form.add_error(None, services.refusal(error))
        else:
            messages.success(request, _("Cycle created. Now choose the units assessed."))
            return redirect("assessment-settings", pk=cycle.pk)
    status = 400 if request.method == "POST" else 200
    page = NewCyclePage(form, administration.managed_cycles(request.user))
    return render_page(request, "assessments/cycle_new.html", page, status=status)


@dataclass(frozen=True)
class UnitChoice:
    unit: Unit
    assessed: bool
    appraisers: frozenset[int]


@dataclass(frozen=True)
class SurveyChoice:
    survey: Survey
    linked: bool
    closed: bool


@dataclass(frozen=True)
class SettingsPage:
    cycle: Cycle
    form: CycleForm
    units: list[UnitChoice]
    appraisers: list[User]
    surveys: list[SurveyChoice]


def _unit_choices(cycle: Cycle) -> list[UnitChoice]:
    current = {
        a.unit_id: frozenset(p.pk for p in a.appraisers.all())
        for a in cycle.assessments.prefetch_related("appraisers")
    }
    return [
        UnitChoice(unit, unit.pk in current, current.get(unit.pk, frozenset()))
        for unit in administration.eligible_units(cycle)
    ]


def _survey_choices(cycle: Cycle) -> list[SurveyChoice]:
    linked = set(cycle.surveys.values_list("pk", flat=True))
    now = timezone.now()
    return [
        SurveyChoice(survey, survey.pk in linked, survey.closes_at <= now)
        for survey in administration.eligible_surveys(cycle)
    ]


def _posted_ids(request: AuthenticatedRequest, name: str) -> list[int]:
    try:
        return [int(value) for value in request.POST.getlist(name)]
    except ValueError:
        raise services.AssessmentError(_("the form was not filled in as it was sent")) from None


def _posted_units(request: AuthenticatedRequest) -> dict[int, list[int]]:
    """``unit`` checkboxes (unit ids) and ``appraisers-<unit id>`` choices (user ids)."""
    chosen: dict[int, list[int]] = {}
    try:
        for unit in request.POST.getlist("unit"):
            people = request.POST.getlist(f"appraisers-{unit}")
            chosen[int(unit)] = [int(p) for p in people if p]
    except ValueError:
        raise services.AssessmentError(_("the form was not filled in as it was sent")) from None
    return chosen


@login_required
def cycle_settings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    cycle = cycle_or_404(pk)
    user = request.user
    if not services.manages(user, cycle):
        raise PermissionDenied(_("Administrators only."))
    organisers = [cycle.organiser]
    initial = {
        "organiser": NATIONAL if cycle.organiser is None else str(cycle.organiser.pk),
        **{
            name: getattr(cycle, name)
            for name in (
                "name",
                "year",
                "edition",
                "self_assessment_deadline",
                "explanation_deadline",
                "appraisal_deadline",
            )
        },
    }
    action = request.POST.get("action", "")
    form = CycleForm(
        request.POST if action == "settings" else None, initial=initial, organisers=organisers
    )
    status = 200
    if request.method == "POST":
        try:
            if action == "settings":
                if not form.is_valid():
                    raise services.AssessmentError(_("check the fields marked below"))
                administration.change_cycle(user, cycle, form.cycle_settings())
                messages.success(request, _("Cycle saved."))
            elif action == "units":
                count = administration.assign_units(user, cycle, _posted_units(request))
                messages.success(request, _("Units assessed: {count}.").format(count=count))
            elif action == "surveys":
                count = administration.link_surveys(user, cycle, _posted_ids(request, "survey"))
                messages.success(
                    request, _("Surveys scoring this cycle: {count}.").format(count=count)
                )
            elif action in ("open", "close"):
                administration.set_open(user, cycle, action == "open")
                messages.success(
                    request, _("Cycle opened.") if action == "open" else _("Cycle closed.")
                )
            else:
                raise services.AssessmentError(_("the form was not filled in as it was sent"))
        except services.AssessmentError as error:
            messages.error(request, services.refusal(error))
            status = 400
        else:
            return redirect("assessment-settings", pk=pk)
    page = SettingsPage(
        cycle,
        form,
        _unit_choices(cycle),
        list(administration.eligible_appraisers(cycle)),
        _survey_choices(cycle),
    )
    return render_page(request, "assessments/cycle_settings.html", page, status=status)
