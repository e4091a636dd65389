"""One assessment's page, its workflow steps, live rule points and evidence downloads."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parindex.core.assessment.workflow import EDITABLE_BY_UNIT, Action, WorkflowError
from parindex.core.roles import Role
from parindex.server.accounts.permissions import allows
from parindex.server.assessments import services
from parindex.server.assessments.labels import action_label, state_label
from parindex.server.assessments.models import (
    Assessment,
    Cycle,
    Evidence,
    ExplanationRequest,
    StateChange,
)
from parindex.server.assessments.services import FieldTotal
from parindex.server.assessments.views.page import assessment_or_403, localised, render_page
from parindex.server.authenticated import AuthenticatedRequest


@dataclass(frozen=True)
class AssessmentPage:
    cycle: Cycle
    assessment: Assessment
    state: str
    fields: list[tuple[FieldTotal, str]]
    self_total: float
    standing_total: float
    max_total: float
    actions: list[tuple[str, str]]
    can_reopen: bool
    missing: list[str]
    requests: list[ExplanationRequest]
    moves: list[tuple[StateChange, str, str]]
    unit_side: bool
    editable: bool


@login_required
def assessment_detail(request: AuthenticatedRequest, pk: int, ref: str) -> HttpResponse:
    assessment = assessment_or_403(request, pk, ref)
    found = services.summary(request.user, assessment)
    totals = found.totals
    page = AssessmentPage(
        cycle=assessment.cycle,
        assessment=assessment,
        state=state_label(assessment.state),
        fields=[(t, localised(t.name_vi, t.name_en)) for t in totals.fields if t.max_points],
        self_total=totals.self_points,
        standing_total=totals.standing_points,
        max_total=totals.max_points,
        actions=[(a.value, action_label(a)) for a in found.actions if a is not Action.REOPEN],
        can_reopen=Action.REOPEN in found.actions,
        missing=found.missing,
        requests=found.requests,
        moves=[(m, state_label(m.source), state_label(m.target)) for m in found.moves],
        unit_side=bool(found.roles & {Role.FOCAL_POINT, Role.LEADER}),
        editable=Role.FOCAL_POINT in found.roles and assessment.state in EDITABLE_BY_UNIT,
    )
    return render_page(request, "assessments/assessment_detail.html", page)


@login_required
@require_POST
def transition(request: AuthenticatedRequest, pk: int, ref: str) -> HttpResponse:
    assessment = assessment_or_403(request, pk, ref)
    try:
        action = Action(request.POST.get("action", ""))
    except ValueError:
        raise Http404 from None
    try:
        services.transition(assessment, request.user, action, request.POST.get("reason", ""))
    except (WorkflowError, services.AssessmentError) as error:
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


@login_required
def rule_points(request: AuthenticatedRequest, pk: int, ref: str) -> JsonResponse:
    """Points a computed component's rule gives for inputs as typed (for the live totals)."""
    assessment = assessment_or_403(request, pk, ref)
    try:
        component = services.component_of(assessment, request.GET.get("component", ""))
    except services.AssessmentError:
        raise Http404 from None
    try:
        points = services.rule_points(component.spec, request.GET)
    except (services.AssessmentError, ValueError, ZeroDivisionError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse({"points": points, "shown": number_format(points, 2)})


@login_required
def evidence_file(request: AuthenticatedRequest, pk: int) -> FileResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("assessment"), pk=pk)
    if not allows(request.user, "assessments.view_evidence", evidence):
        raise PermissionDenied(_("This file is not open to you."))
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
