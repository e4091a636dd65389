"""The determination's pages: thin views over ``services`` (who may do what is decided there)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parindex.core.assessment.workflow import (
    APPRAISABLE,
    EDITABLE_BY_UNIT,
    EXPLAINABLE_BY_UNIT,
    Action,
    State,
    WorkflowError,
)
from parindex.core.methodology.rules import ManualRule, SurveyMappingRule
from parindex.core.numbers import parse_number
from parindex.core.roles import Role
from parindex.server.accounts.permissions import allows
from parindex.server.assessments import services, sheets
from parindex.server.assessments.labels import action_label, state_label
from parindex.server.assessments.models import Assessment, Cycle, Evidence, Round, ScoreEntry
from parindex.server.assessments.services import AssessmentError, Component


def _name(vi: str, en: str) -> str:
    return en if get_language() == "en" and en else vi


ADMINISTER = "assessments.administer_cycle"


def _cycle(pk: int) -> Cycle:
    return get_object_or_404(Cycle, pk=pk)


def _assessment(request: HttpRequest, cycle_pk: int, ref: str) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("cycle", "unit"), cycle_id=cycle_pk, unit__ref=ref
    )
    if not services.can_view(request.user, assessment):
        raise PermissionDenied(_("This assessment is not open to you."))
    return assessment


def _require(request: HttpRequest, permission: str, cycle: Cycle) -> None:
    """Cycle-wide pages and downloads: a role reaching every unit of the cycle."""
    if not allows(request.user, permission, cycle):
        raise PermissionDenied(_("Administrators only."))


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    cycles = []
    for cycle in Cycle.objects.order_by("-year", "name"):
        visible = [
            a
            for a in cycle.assessments.select_related("unit").order_by("unit__ref")
            if services.can_view(request.user, a)
        ]
        if visible or cycle.published_at or allows(request.user, ADMINISTER, cycle):
            cycles.append((cycle, [(a, state_label(a.state)) for a in visible]))
    return render(request, "assessments/cycle_list.html", {"cycles": cycles})


@login_required
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    rows = []
    for assessment in cycle.assessments.select_related("unit").order_by("unit__ref"):
        if not services.can_view(request.user, assessment):
            continue
        totals = services.field_totals(assessment)
        rows.append(
            {
                "assessment": assessment,
                "state": state_label(assessment.state),
                "self": sum(t.self_points for t in totals),
                "standing": sum(t.standing_points for t in totals),
                "max": sum(t.max_points for t in totals),
                "appraisers": ", ".join(u.get_username() for u in assessment.appraisers.all()),
            }
        )
    if not rows and not allows(request.user, ADMINISTER, cycle):
        raise PermissionDenied(_("No assessment of this cycle is open to you."))
    progress = [(state_label(s), n) for s, n in services.progress(cycle).items()]
    return render(
        request,
        "assessments/cycle_detail.html",
        {
            "cycle": cycle,
            "rows": rows,
            "progress": progress,
            "is_admin": allows(request.user, ADMINISTER, cycle),
            "is_council": allows(request.user, "assessments.view_council_table", cycle),
            "imports_survey": allows(request.user, "assessments.import_survey_points", cycle),
        },
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    assessment = _assessment(request, pk, ref)
    totals = services.field_totals(assessment)
    roles = services.roles_for(request.user, assessment)
    allowed = services.allowed_actions(assessment, request.user)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "cycle": assessment.cycle,
            "assessment": assessment,
            "state": state_label(assessment.state),
            "fields": [(t, _name(t.name_vi, t.name_en)) for t in totals if t.max_points],
            "self_total": sum(t.self_points for t in totals),
            "standing_total": sum(t.standing_points for t in totals),
            "max_total": sum(t.max_points for t in totals),
            "actions": [(a.value, action_label(a)) for a in allowed if a is not Action.REOPEN],
            "can_reopen": Action.REOPEN in allowed,
            "missing": services.missing_evidence(assessment)
            if assessment.state in (State.DRAFT, State.APPROVED)
            else [],
            "requests": assessment.explanation_requests.order_by("component", "id"),
            "moves": [
                (m, state_label(m.source), state_label(m.target))
                for m in assessment.moves.select_related("by")
            ],
            "unit_side": bool(roles & {Role.FOCAL_POINT, Role.LEADER}),
            "editable": Role.FOCAL_POINT in roles and assessment.state in EDITABLE_BY_UNIT,
        },
    )


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    assessment = _assessment(request, pk, ref)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        raise Http404 from None
    try:
        services.transition(assessment, request.user, action, request.POST.get("reason", ""))
    except (WorkflowError, AssessmentError) as error:
        messages.error(request, services.refusal(error))
    else:
        messages.success(
            request,
            _("Done: {step}. The assessment is now: {state}.").format(
                step=action_label(action), state=state_label(assessment.state)
            ),
        )
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)  # the council table finalises from its own page
    return redirect("assessment-detail", pk=pk, ref=ref)


@dataclass
class Row:
    """One component on a field page, with every round's score and what this user may do."""

    component: Component
    name: str
    guidance: str
    inputs: tuple[str, ...]
    rounds: Mapping[str, ScoreEntry]
    standing: float | None
    evidence: list[Evidence]
    requests: list[Any]
    posted: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def dom_id(self) -> str:
        return "c-" + self.component.id.replace(".", "-")

    @property
    def self_entry(self) -> ScoreEntry | None:
        return self.rounds.get(Round.SELF)

    @property
    def survey(self) -> bool:
        return isinstance(self.component.spec.rule, SurveyMappingRule)

    @property
    def manual(self) -> bool:
        return isinstance(self.component.spec.rule, ManualRule)

    @property
    def input_values(self) -> list[tuple[str, str, str]]:
        """(name, label, value) of each indicator a computed component is scored from."""
        labels = {
            "numerator": _("numerator"),
            "denominator": _("denominator"),
            "count": _("count"),
            "yes": _("yes (1) or no (0)"),
        }
        return [(name, str(labels.get(name, name)), self.value(name)) for name in self.inputs]

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


def _rows(assessment: Assessment, field_id: str) -> list[Row]:
    edition = services.edition_of(assessment.cycle)
    board = services.score_board(assessment)
    standing = services.final_points(assessment)
    evidence: dict[str, list[Evidence]] = {}
    for item in assessment.evidence.order_by("id"):
        evidence.setdefault(item.component, []).append(item)
    requests: dict[str, list[Any]] = {}
    for request_ in assessment.explanation_requests.order_by("id"):
        requests.setdefault(request_.component, []).append(request_)
    rows = []
    for component in services.components(edition, assessment.unit.kind):
        if component.field_id != field_id:
            continue
        spec = component.spec
        rows.append(
            Row(
                component,
                _name(component.name_vi, component.name_en),
                _name(spec.guidance_vi, spec.guidance_en),
                tuple(spec.rule.inputs) if not isinstance(spec.rule, ManualRule) else (),
                board.get(component.id, {}),
                standing.get(component.id),
                evidence.get(component.id, []),
                requests.get(component.id, []),
            )
        )
    return rows


def _mode(assessment: Assessment, roles: frozenset[Role]) -> str:
    state = State(assessment.state)
    if Role.FOCAL_POINT in roles and state in EDITABLE_BY_UNIT:
        return "self"
    if Role.FOCAL_POINT in roles and state in EXPLAINABLE_BY_UNIT:
        return "explain"
    if Role.APPRAISER in roles and state in APPRAISABLE:
        return "appraise"
    if Role.COUNCIL_MEMBER in roles and state == State.APPRAISED_2:
        return "council"
    return "read"


def _posted(post: Mapping[str, str], component_id: str) -> dict[str, str]:
    """This component's values as typed: ``points-1.2.1`` → ``points``,
    ``input-1.2.1-numerator`` → ``numerator``."""
    values = {}
    for key, value in post.items():
        if key.startswith(f"input-{component_id}-"):
            values[key.rsplit("-", 1)[-1]] = value
        elif key.endswith(f"-{component_id}") and "-" not in key[: -len(component_id) - 1]:
            values[key[: -len(component_id) - 1]] = value
    return values


def _points(text: str) -> float | None:
    try:
        return parse_number(text)
    except ValueError:
        raise AssessmentError(_("points must be a number")) from None


def _save_row(request: HttpRequest, assessment: Assessment, row: Row, mode: str) -> None:
    """Apply what was posted for one component in ``mode``; raises ``AssessmentError``."""
    key = row.component.id
    post, user = request.POST, request.user
    files = request.FILES.getlist(f"evidence-{key}")
    if mode == "self":
        explanation = post.get(f"explanation-{key}", "")
        points = _points(post.get(f"points-{key}", ""))
        untouched = row.self_entry is None and points is None and not explanation.strip()
        if not row.survey:
            if row.manual and not untouched:
                services.save_self_score(
                    assessment,
                    user,
                    key,
                    points=points,
                    explanation=explanation,
                )
            elif not row.manual and any(
                post.get(f"input-{key}-{name}", "").strip() for name in row.inputs
            ):
                inputs = {name: post.get(f"input-{key}-{name}", "") for name in row.inputs}
                services.save_self_score(
                    assessment, user, key, inputs=inputs, explanation=explanation
                )
    elif mode == "appraise":
        decision = post.get(f"decision-{key}", "")
        if decision == "accept":
            services.appraise(assessment, user, key, points=None)
        elif decision == "adjust":
            services.appraise(
                assessment,
                user,
                key,
                points=_points(post.get(f"points-{key}", "")),
                reason=post.get(f"reason-{key}", ""),
            )
        question = post.get(f"question-{key}", "").strip()
        if question:
            services.request_explanation(assessment, user, key, question)
    elif mode == "explain":
        for request_ in row.requests:
            answer = post.get(f"answer-{request_.pk}")
            if answer is not None and answer != request_.answer:
                services.answer_explanation(request_, user, answer)
    elif mode == "council":
        points = _points(post.get(f"points-{key}", ""))
        if points is not None and points != row.standing:
            services.council_score(assessment, user, key, points, post.get(f"reason-{key}", ""))
    for upload in files:
        services.add_evidence(assessment, user, key, upload)


@login_required
def field_page(request: HttpRequest, pk: int, ref: str, field_id: str) -> HttpResponse:
    assessment = _assessment(request, pk, ref)
    edition = services.edition_of(assessment.cycle)
    field_node = next((f for f in edition.fields if f.id == field_id), None)
    if field_node is None:
        raise Http404
    roles = services.roles_for(request.user, assessment)
    mode = _mode(assessment, roles)
    rows = _rows(assessment, field_id)
    if not rows:
        raise Http404
    failed = False
    if request.method == "POST":
        if mode == "read":
            raise PermissionDenied(_("Nothing on this page can be changed by you now."))
        # One transaction for the page: if any component is refused, nothing is kept, and the
        # page comes back with what was typed and the reason next to the component.
        with transaction.atomic():
            for row in rows:
                row.posted = _posted(request.POST, row.component.id)
                try:
                    _save_row(request, assessment, row, mode)
                except (AssessmentError, WorkflowError) as error:
                    row.error = services.refusal(error)
                    failed = True
            if failed:
                transaction.set_rollback(True)
        if failed:
            messages.error(request, _("Nothing was saved: correct the components marked below."))
        else:
            messages.success(request, _("Saved."))
            return redirect("assessment-field", pk=pk, ref=ref, field_id=field_id)
    totals = services.field_totals(assessment)
    this_field = next(t for t in totals if t.field_id == field_id)
    return render(
        request,
        "assessments/field.html",
        {
            "cycle": assessment.cycle,
            "assessment": assessment,
            "state": state_label(assessment.state),
            "field": field_node,
            "field_name": _name(field_node.name_vi, field_node.name_en),
            "fields": [(t.field_id, _name(t.name_vi, t.name_en)) for t in totals if t.max_points],
            "rows": rows,
            "mode": mode,
            "field_total": this_field,
            "other_self": sum(t.self_points for t in totals if t.field_id != field_id),
            "max_total": sum(t.max_points for t in totals),
            "number_locale": "en-GB" if get_language() == "en" else "vi-VN",
        },
        status=400 if failed else 200,
    )


@login_required
def rule_points(request: HttpRequest, pk: int, ref: str) -> JsonResponse:
    """Points a computed component's rule gives for inputs as typed (for the live totals)."""
    assessment = _assessment(request, pk, ref)
    try:
        component = services.component_of(assessment, request.GET.get("component", ""))
    except AssessmentError:
        raise Http404 from None
    try:
        points = services.rule_points(component.spec, request.GET)
    except (AssessmentError, ValueError, ZeroDivisionError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"points": points, "shown": number_format(points, 2)})


@login_required
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("assessment"), pk=pk)
    if not allows(request.user, "assessments.view_evidence", evidence):
        raise PermissionDenied(_("This file is not open to you."))
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )


@login_required
def council_table(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    _require(request, "assessments.view_council_table", cycle)
    if request.method == "POST":
        try:
            services.note_decision(cycle, request.user, request.POST.get("text", ""))
        except AssessmentError as error:
            messages.error(request, services.refusal(error))
        return redirect("assessment-council", pk=pk)
    edition = services.edition_of(cycle)
    rows = []
    for assessment in cycle.assessments.select_related("unit").order_by("unit__ref"):
        if not services.can_view(request.user, assessment):
            # A unit's draft is its own: the council sees only that it is not submitted yet.
            rows.append({"assessment": assessment, "state": state_label(assessment.state)})
            continue
        totals = services.field_totals(assessment)
        rows.append(
            {
                "assessment": assessment,
                "state": state_label(assessment.state),
                "visible": True,
                "fields": [t.standing_points for t in totals],
                "self": sum(t.self_points for t in totals),
                "total": sum(t.standing_points for t in totals),
                "can_finalise": Action.FINALISE
                in services.allowed_actions(assessment, request.user),
            }
        )
    return render(
        request,
        "assessments/council.html",
        {
            "cycle": cycle,
            "field_ids": [f.id for f in edition.fields],
            "rows": rows,
            "notes": cycle.council_notes.select_related("by").order_by("-at"),
            "is_council": allows(request.user, "assessments.record_council_decision", cycle),
        },
    )


@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    _require(request, "assessments.preview_cycle", cycle)
    names = services.edition_of(cycle).names(english=get_language() == "en")
    try:
        rows = services.preview(cycle)
    except AssessmentError as error:
        messages.error(request, services.refusal(error))
        return redirect("assessment-cycle", pk=pk)
    before = services.previous_cycle(cycle)
    return render(
        request,
        "assessments/preview.html",
        {
            "cycle": cycle,
            "rows": [
                (row, [(names.get(s.node, s.node), s) for s in row.why.shortfalls[:3]])
                for row in rows
            ],
            "before": before,
            "unfinished": cycle.assessments.exclude(state=State.FINAL).count(),
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    _require(request, "assessments.publish_cycle", cycle)
    try:
        services.publish(cycle, request.user)
    except AssessmentError as error:
        messages.error(request, services.refusal(error))
        return redirect("assessment-preview", pk=pk)
    messages.success(request, _("Published. The table is frozen with its provenance."))
    return redirect("assessment-published", pk=pk)


def published(request: HttpRequest, pk: int) -> HttpResponse:
    """The published table: public, frozen as it was published."""
    cycle = _cycle(pk)
    if cycle.published_at is None or not cycle.published_table:
        raise Http404
    edition = services.edition_of(cycle)
    field_ids = [f.id for f in edition.fields]
    table = [
        {**row, "field_values": [(row.get("field_pct") or {}).get(f) for f in field_ids]}
        for row in sorted(
            cycle.published_table, key=lambda r: (r.get("rank") is None, r.get("rank") or 0)
        )
    ]
    return render(
        request,
        "assessments/published.html",
        {
            "cycle": cycle,
            "rows": table,
            "fields": [(f.id, _name(f.name_vi, f.name_en)) for f in edition.fields],
            "provenance": cycle.provenance or {},
        },
    )


@login_required
def unit_sheet(request: HttpRequest, pk: int, ref: str) -> HttpResponse:
    """The unit's scoring sheet: download (GET) or upload it filled in (POST)."""
    assessment = _assessment(request, pk, ref)
    if request.method == "POST":
        upload = request.FILES.get("sheet")
        if upload is None:
            messages.error(request, _("Choose the filled-in scoring sheet (.xlsx)."))
        else:
            try:
                count = sheets.import_sheet(assessment, request.user, upload)
            except (AssessmentError, WorkflowError) as error:
                messages.error(request, services.refusal(error))
            else:
                messages.success(
                    request, _("Scoring sheet read: {count} components saved.").format(count=count)
                )
        return redirect("assessment-detail", pk=pk, ref=ref)
    content = sheets.export_sheet(assessment)
    ref = assessment.unit.ref.replace(":", "-").replace("/", "-")
    name = f"bang-diem-{assessment.cycle.year}-{ref}.xlsx"
    return _xlsx(content, name)


@login_required
def appraisal_table(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    _require(request, "assessments.download_appraisal_table", cycle)
    workbook = sheets.appraisal_workbook(cycle, request.user)
    return _xlsx(workbook, f"tham-dinh-{cycle.year}.xlsx")


@login_required
def survey_points(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(pk)
    _require(request, "assessments.import_survey_points", cycle)
    if request.method == "POST":
        upload = request.FILES.get("points")
        if upload is None:
            messages.error(request, _("Choose a CSV or Excel file."))
        else:
            try:
                count = sheets.import_survey_points(cycle, request.user, upload)
            except AssessmentError as error:
                messages.error(request, services.refusal(error))
            else:
                messages.success(request, _("Survey points imported: {count}.").format(count=count))
                return redirect("assessment-cycle", pk=pk)
    return render(request, "assessments/survey_points.html", {"cycle": cycle})


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
