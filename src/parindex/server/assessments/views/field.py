"""A field page of an assessment: every component of the field, in the reader's mode (self-
assessment, explanation, appraisal, council or reading), saved all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from parindex.core.assessment.workflow import Mode
from parindex.core.methodology import Aggregation
from parindex.core.methodology.nodes import FieldNode
from parindex.server.assessments import services
from parindex.server.assessments.labels import state_label
from parindex.server.assessments.models import (
    Assessment,
    Cycle,
    Evidence,
    ExplanationRequest,
    Round,
    ScoreEntry,
)
from parindex.server.assessments.services import Component, Entry, FieldTotal, Typed
from parindex.server.assessments.views.page import assessment_or_403, localised, render_page
from parindex.server.authenticated import AuthenticatedRequest


@dataclass
class Row:
    """One component on a field page, with what was just typed and why it was refused."""

    entry: Entry
    posted: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def component(self) -> Component:
        return self.entry.component

    @property
    def rounds(self) -> Mapping[str, ScoreEntry]:
        return self.entry.rounds

    @property
    def standing(self) -> float | None:
        return self.entry.standing

    @property
    def evidence(self) -> list[Evidence]:
        return self.entry.evidence

    @property
    def requests(self) -> list[ExplanationRequest]:
        return self.entry.requests

    @property
    def survey(self) -> bool:
        return self.entry.survey

    @property
    def manual(self) -> bool:
        return self.entry.manual

    @property
    def name(self) -> str:
        return localised(self.entry.component.name_vi, self.entry.component.name_en)

    @property
    def guidance(self) -> str:
        spec = self.entry.component.spec
        return localised(spec.guidance_vi, spec.guidance_en)

    @property
    def dom_id(self) -> str:
        return "c-" + self.entry.component.id.replace(".", "-")

    @property
    def self_entry(self) -> ScoreEntry | None:
        return self.entry.rounds.get(Round.SELF)

    @property
    def input_values(self) -> list[tuple[str, str, str]]:
        """(name, label, value) of each indicator a computed component is scored from."""
        labels = {
            "numerator": _("numerator"),
            "denominator": _("denominator"),
            "count": _("count"),
            "yes": _("yes (1) or no (0)"),
        }
        return [(n, str(labels.get(n, n)), self.value(n)) for n in self.entry.inputs]

    @property
    def typed_points(self) -> str:
        return self.value("points")

    @property
    def typed_explanation(self) -> str:
        return self.value("explanation")

    def value(self, key: str) -> str:
        """What the form shows: what was just typed, else what is stored."""
        if key in self.posted:
            return self.posted[key]
        entry = self.self_entry
        if entry is None:
            return ""
        if key == "points":
            return "" if entry.points is None else number_format(entry.points)
        if key == "explanation":
            return entry.explanation
        return str(entry.inputs.get(key, ""))


def _typed(request: HttpRequest, entry: Entry) -> Typed:
    """This component's values as posted: ``points-1.2.1`` → ``points``,
    ``input-1.2.1-numerator`` → ``numerator``; answers by request; evidence files."""
    component_id = entry.component.id
    values = {}
    post: Mapping[str, str] = request.POST
    for key, value in post.items():
        if key.startswith(f"input-{component_id}-"):
            values[key.rsplit("-", 1)[-1]] = value
        elif key.endswith(f"-{component_id}") and "-" not in key[: -len(component_id) - 1]:
            values[key[: -len(component_id) - 1]] = value
    answers = {r.pk: post[f"answer-{r.pk}"] for r in entry.requests if f"answer-{r.pk}" in post}
    return Typed(values, answers, request.FILES.getlist(f"evidence-{component_id}"))


@dataclass(frozen=True)
class FieldPage:
    cycle: Cycle
    assessment: Assessment
    state: str
    field: FieldNode
    field_name: str
    fields: list[tuple[str, str]]
    rows: list[Row]
    mode: Mode
    field_total: FieldTotal
    self_total: float
    standing_total: float
    standing_pct: float | None
    other_self: float
    max_total: float
    live_totals: bool
    number_locale: str


@login_required
def field_page(request: AuthenticatedRequest, pk: int, ref: str, field_id: str) -> HttpResponse:
    assessment = assessment_or_403(request, pk, ref)
    sheet = services.field_sheet(assessment, request.user, field_id)
    if sheet is None:
        raise Http404
    rows = [Row(entry) for entry in sheet.entries]
    failed = False
    if request.method == "POST":
        if sheet.mode is Mode.READ:
            raise PermissionDenied(_("Nothing on this page can be changed by you now."))
        typed = {row.entry.component.id: _typed(request, row.entry) for row in rows}
        errors = services.save_field(assessment, request.user, sheet, typed)
        if not errors:
            messages.success(request, _("Saved."))
            return redirect("assessment-field", pk=pk, ref=ref, field_id=field_id)
        # Nothing was kept: the page comes back with what was typed and each refusal.
        failed = True
        for row in rows:
            row.posted = typed[row.entry.component.id].values
            row.error = errors.get(row.entry.component.id, "")
        messages.error(request, _("Nothing was saved: correct the components marked below."))
    totals = services.totals_of(assessment)
    this_field = totals.field(field_id)
    page = FieldPage(
        cycle=assessment.cycle,
        assessment=assessment,
        state=state_label(assessment.state),
        field=sheet.field,
        field_name=localised(sheet.field.name_vi, sheet.field.name_en),
        fields=[
            (t.field_id, localised(t.name_vi, t.name_en)) for t in totals.fields if t.max_points
        ],
        rows=rows,
        mode=sheet.mode,
        field_total=this_field,
        self_total=totals.self_points,
        standing_total=totals.standing_points,
        standing_pct=totals.standing_pct,
        # What the live total adds the typed field to (in a sum edition, below the clipping).
        other_self=totals.self_points - this_field.self_points,
        max_total=totals.max_points,
        live_totals=services.edition_of(assessment.cycle).aggregation is Aggregation.SUM,
        number_locale="en-GB" if get_language() == "en" else "vi-VN",
    )
    return render_page(request, "assessments/field.html", page, status=400 if failed else 200)
