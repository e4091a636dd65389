"""The unit's Circular 01 index sheet: indices 2, 5, 6, 8 and 9 recorded per period by the unit's
staff (leaders, focal points, administrators reaching it), beside what parindex computes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parindex.core import onestop
from parindex.core.onestop import Period
from parindex.server.accounts.models import Unit
from parindex.server.accounts.permissions import allows
from parindex.server.authenticated import AuthenticatedRequest
from parindex.server.ratings import index_sheet

POINTS = [("", _("not recorded")), ("2", "2"), ("1", "1"), ("0", "0")]

MEANINGS: dict[int, Promise] = {
    2: _("Time taken by each agency that took part, against the prescribed time"),
    5: _("Procedures received, handled and returned at the one-stop counter"),
    6: _("Administrative procedures made public (posted and online)"),
    8: _("Feedback received, handled and explained on time"),
    9: _("Online public services: procedures at level 3–4, share of online dossiers"),
}
SOURCES: dict[index_sheet.Source, Promise] = {
    index_sheet.Source.RECORDED: _("recorded by the unit"),
    index_sheet.Source.COMPUTED: _("computed by parindex"),
    index_sheet.Source.MISSING: _("no value yet"),
}


class SheetForm(forms.Form):
    index2 = forms.DecimalField(
        label=_("Index 2 (mean 0–2, one decimal, from the one-stop system)"),
        min_value=Decimal(0), max_value=Decimal(2), max_digits=2, decimal_places=1,
        required=False, localize=True,
    )  # fmt: skip
    index5 = forms.TypedChoiceField(
        label=_("Index 5"), choices=POINTS, coerce=int, empty_value=None, required=False
    )
    index6 = forms.TypedChoiceField(
        label=_("Index 6"), choices=POINTS, coerce=int, empty_value=None, required=False
    )
    index8 = forms.TypedChoiceField(
        label=_("Index 8 (leave blank to use the computed value)"), choices=POINTS, coerce=int,
        empty_value=None, required=False,
    )  # fmt: skip
    index9 = forms.TypedChoiceField(
        label=_("Index 9 (leave blank to use the computed value)"), choices=POINTS, coerce=int,
        empty_value=None, required=False,
    )  # fmt: skip
    procedures = forms.IntegerField(
        label=_("Procedures the unit handles"), min_value=0, required=False
    )
    procedures_online = forms.IntegerField(
        label=_("Of which offered online at level 3 or 4"), min_value=0, required=False
    )
    note = forms.CharField(
        label=_("Sources of the values recorded"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        total, online = data.get("procedures"), data.get("procedures_online")
        if isinstance(total, int) and isinstance(online, int) and online > total:
            self.add_error("procedures_online", _("More procedures online than the unit handles."))
        return data


@dataclass(frozen=True)
class Row:
    index: int
    meaning: str
    value: float | None
    source: str
    computed: int | None


@dataclass(frozen=True)
class SheetPage:
    unit: Unit
    period: Period
    form: SheetForm
    rows: list[Row]
    indices: index_sheet.UnitIndices
    tt01: onestop.Tt01Result
    dashboard: str


def _unit(request: AuthenticatedRequest, ref: str) -> Unit:
    unit = get_object_or_404(Unit, ref=ref)
    if not allows(request.user, "ratings.record_unit_indices", unit):
        raise PermissionDenied(_("This unit is not open to you."))
    return unit


def _period(request: AuthenticatedRequest) -> Period:
    today = timezone.localdate()
    text = request.GET.get("ky", f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    try:
        return Period.parse(text)
    except ValueError:
        raise Http404(_("Unknown period.")) from None


def _initial(indices: index_sheet.UnitIndices) -> dict[str, object]:
    sheet = indices.sheet
    if sheet is None:
        return {}
    names = ("index2", "index5", "index6", "index8", "index9", "procedures", "procedures_online")
    return {name: getattr(sheet, name) for name in names} | {"note": sheet.note}


@login_required
def unit_index_sheet(request: AuthenticatedRequest, ref: str) -> HttpResponse:
    unit = _unit(request, ref)
    period = _period(request)
    indices = index_sheet.unit_indices(unit, period)
    form = SheetForm(request.POST or None, initial=_initial(indices))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        index_sheet.record(
            unit,
            period,
            request.user,
            index_sheet.SheetEntry(
                data["index2"], data["index5"], data["index6"], data["index8"], data["index9"],
                data["procedures"], data["procedures_online"], data["note"],
            ),
        )  # fmt: skip
        messages.success(request, _("The unit's indices are saved."))
        return redirect(f"{reverse('unit-index-sheet', args=[ref])}?ky={period}")
    rows = [
        Row(
            index,
            str(MEANINGS[index]),
            value.value,
            str(SOURCES[value.source]),
            indices.computed.get(index),
        )
        for index, value in indices.values.items()
    ]
    page = SheetPage(
        unit,
        period,
        form,
        rows,
        indices,
        index_sheet.complete_tt01(unit, period),
        reverse("leader-dashboard", args=[ref]),
    )
    return render(
        request, "ratings/index_sheet.html", {"page": page}, status=422 if form.errors else 200
    )
