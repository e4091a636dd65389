"""The plans' pages: thin views over ``services`` (who may do what is decided there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format, number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parindex.core.methodology import load_any
from parindex.core.plans import ActionStatus, Outcome, can_move
from parindex.core.roles import Role
from parindex.reports.plan import PlanDocument, plan_pdf
from parindex.server.accounts.permissions import allows
from parindex.server.accounts.services import units_in_scope
from parindex.server.assessments.models import Assessment, Cycle
from parindex.server.authenticated import AuthenticatedRequest
from parindex.server.plans import services
from parindex.server.plans.models import STATUS_LABELS, ImprovementPlan, PlanAction
from parindex.server.plans.wording import target_label
from parindex.server.plans.workbook import plan_workbook


def _plan(request: AuthenticatedRequest, pk: int) -> ImprovementPlan:
    plan = get_object_or_404(ImprovementPlan.objects.select_related("unit", "cycle"), pk=pk)
    if not allows(request.user, "plans.view_improvementplan", plan):
        raise PermissionDenied(_("This plan is not open to you."))
    return plan


def _names(plan: ImprovementPlan) -> dict[str, str]:
    edition = load_any(plan.cycle.edition).value
    return edition.names(english=get_language() == "en") if edition else {}


@dataclass(frozen=True)
class PlanList:
    plans: list[tuple[ImprovementPlan, str]]
    assessments: list[Assessment]
    """Units the user may plan for, in cycles with results to start from."""
    targets: list[tuple[str, str]]
    """The kinds of target to choose from: each group of the cycles' editions, a rank, a score."""


def _target_choices(assessments: list[Assessment]) -> list[tuple[str, str]]:
    groups: list[str] = []
    for edition_id in dict.fromkeys(a.cycle.edition for a in assessments):
        edition = load_any(edition_id).value
        if edition is not None and edition.grading is not None:
            groups += [b.code for b in edition.grading.bands if b.code not in groups]
    return [
        *((f"group:{code}", target_label(f"group:{code}")) for code in groups),
        ("rank", _("a rank (this rank or better)")),
        ("score", _("an index in % (at least)")),
    ]


def chosen_target(kind: str, number: str) -> str:
    """The form's choice as the planner's target text (``group:A``, ``rank:5``, ``score:85``):
    the same text the CLI's ``--target`` takes, so one parser decides."""
    if kind.startswith("group:"):
        return kind
    if kind in ("rank", "score"):
        if not number.strip():
            raise services.PlanRefused(_("give the rank or the index % the plan should reach"))
        return f"{kind}:{number.strip()}"
    raise services.PlanRefused(_("choose a kind of target"))


@login_required
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    units = units_in_scope(request.user, [Role.FOCAL_POINT, Role.LEADER, Role.ADMIN])
    scope = Assessment.objects.filter(unit__in=units)
    assessments = list(scope.select_related("cycle", "unit").order_by("-cycle__year", "unit__ref"))
    plans = [(p, target_label(p.target)) for p in services.visible_plans(request.user)]
    context = PlanList(plans, assessments, _target_choices(assessments))
    return render(request, "plans/plan_list.html", {"page": context})


@login_required
@require_POST
def plan_create(request: AuthenticatedRequest) -> HttpResponse:
    chosen = request.POST.get("assessment", "")
    assessment = get_object_or_404(
        Assessment.objects.select_related("cycle", "unit"),
        pk=int(chosen) if chosen.isdigit() else 0,
    )
    if not allows(
        request.user,
        "plans.change_improvementplan",
        ImprovementPlan(cycle=assessment.cycle, unit=assessment.unit),
    ):
        raise PermissionDenied(_("This plan is not open to you."))
    try:
        target = chosen_target(
            request.POST.get("target_kind") or "", request.POST.get("target_number") or ""
        )
        plan = services.create_plan(request.user, assessment.cycle, assessment.unit, target)
    except services.PlanRefused as error:
        messages.error(request, str(error))
        return redirect("plans")
    return redirect("plan", pk=plan.pk)


@dataclass(frozen=True)
class ActionRow:
    action: PlanAction
    name: str
    status: str
    moves: list[tuple[str, str]]
    overdue: bool


@dataclass(frozen=True)
class PlanPage:
    plan: ImprovementPlan
    target: str
    rows: list[ActionRow]
    progress: services.Progress
    percent_done: int
    keep: list[tuple[str, str]]
    next_cycle: Cycle | None
    outcomes: list[tuple[Outcome, str]]
    can_change: bool
    certainty: services.Certainty | None
    group_shares: list[tuple[str, int]]


@login_required
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    names = _names(plan)
    today = date.today()
    rows = []
    for action in plan.actions.select_related("responsible_unit"):
        status = ActionStatus(action.status)
        rows.append(
            ActionRow(
                action=action,
                name=names.get(action.component, ""),
                status=str(STATUS_LABELS[status]),
                moves=[
                    (s.value, str(STATUS_LABELS[s])) for s in ActionStatus if can_move(status, s)
                ],
                overdue=status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
                and action.deadline is not None
                and action.deadline < today,
            )
        )
    progress = services.progress(plan, today)
    later, outcomes = services.outcome(plan)
    sure = services.certainty(plan)
    page = PlanPage(
        plan=plan,
        target=target_label(plan.target),
        rows=rows,
        progress=progress,
        percent_done=round(progress.share_done * 100),
        keep=[(c, names.get(c, "")) for c in plan.keep_at_maximum],
        next_cycle=later,
        outcomes=[(o, names.get(o.component, "")) for o in outcomes] if later else [],
        can_change=allows(request.user, "plans.change_improvementplan", plan),
        certainty=sure,
        group_shares=[(code, round(p * 100)) for code, p in sure.groups] if sure else [],
    )
    return render(request, "plans/plan_detail.html", {"page": page})


def _action(request: AuthenticatedRequest, pk: int, action_pk: int) -> PlanAction:
    plan = _plan(request, pk)
    return get_object_or_404(
        PlanAction.objects.select_related("plan__unit"), pk=action_pk, plan=plan
    )


@login_required
@require_POST
def action_move(request: AuthenticatedRequest, pk: int, action_pk: int) -> HttpResponse:
    action = _action(request, pk, action_pk)
    try:
        to = ActionStatus(request.POST.get("status", ""))
        services.move(
            request.user,
            action,
            to,
            note=request.POST.get("note", ""),
            evidence=request.POST.get("evidence", ""),
        )
    except ValueError:
        messages.error(request, _("Choose a status."))
    except services.PlanRefused as error:
        messages.error(request, str(error))
    return redirect("plan", pk=pk)


@login_required
@require_POST
def action_assign(request: AuthenticatedRequest, pk: int, action_pk: int) -> HttpResponse:
    action = _action(request, pk, action_pk)
    text = (request.POST.get("deadline") or "").strip()
    try:
        deadline = date.fromisoformat(text) if text else None
    except ValueError:
        messages.error(request, _("The deadline is not a date: {text}").format(text=text))
        return redirect("plan", pk=pk)
    try:
        services.assign(
            request.user,
            action,
            responsible_unit=action.responsible_unit or action.plan.unit,
            person=request.POST.get("person", ""),
            deadline=deadline,
        )
    except services.PlanRefused as error:
        messages.error(request, str(error))
    return redirect("plan", pk=pk)


@login_required
def plan_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    content = plan_workbook(plan, _names(plan))
    ref = plan.unit.ref.replace(":", "-").replace("/", "-")
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ke-hoach-{plan.cycle.year}-{ref}.xlsx"'
    )
    return response


@login_required
def plan_pdf_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    names = _names(plan)
    content = plan_pdf(
        PlanDocument(
            lang=get_language() or "vi",
            title=_("Improvement plan of {unit}").format(unit=plan.unit.name_vi),
            summary=[
                _("From the results of {cycle}; target {target}.").format(
                    cycle=plan.cycle.name, target=target_label(plan.target)
                ),
                _("Index now {now} %, with the plan {then} %.").format(
                    now=number_format(plan.baseline_pct, 2), then=number_format(plan.planned_pct, 2)
                ),
            ],
            header=[
                _("Component"),
                _("Name"),
                _("Points now"),
                _("Target points"),
                _("Responsible person"),
                _("Deadline"),
                _("Status"),
                _("Evidence of completion"),
            ],
            rows=[
                [
                    a.component,
                    names.get(a.component, ""),
                    number_format(a.current_points, 2),
                    number_format(a.target_points, 2),
                    a.responsible_person or "—",
                    date_format(a.deadline, "SHORT_DATE_FORMAT") if a.deadline else "—",
                    str(STATUS_LABELS[ActionStatus(a.status)]),
                    a.evidence or "—",
                ]
                for a in plan.actions.all()
            ],
            keep_title=_("Keep at maximum"),
            keep=", ".join(plan.keep_at_maximum) or "—",
            footer="parindex",
        )
    )
    ref = plan.unit.ref.replace(":", "-").replace("/", "-")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ke-hoach-{plan.cycle.year}-{ref}.pdf"'
    return response
