"""Plans carried out: a unit's least-effort plan (``core.scoring.planner``) from a cycle's
results becomes actions; each action is assigned, moved through its statuses with a history,
closed with evidence; the next cycle's scores are its outcome."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parindex.core.errors import ParindexError
from parindex.core.plans import ActionStatus, Outcome, can_move, outcomes
from parindex.core.scoring.planner import Plan, PlanError, parse_target, plan
from parindex.server.accounts.models import Unit, User
from parindex.server.accounts.permissions import allows
from parindex.server.assessments import services as assessments
from parindex.server.assessments.models import Cycle
from parindex.server.plans.models import ActionChange, ImprovementPlan, PlanAction


class PlanRefused(ParindexError):
    """A step the user may not take, or input that cannot be planned; the message says why."""


def _require(user: User, plan_: ImprovementPlan) -> None:
    if not allows(user, "plans.change_improvementplan", plan_):
        raise PlanRefused(_("only the unit's focal points and leaders can change its plan"))


def visible_plans(user: User) -> list[ImprovementPlan]:
    plans = ImprovementPlan.objects.select_related("unit", "cycle").order_by("-created_at")
    return [p for p in plans if allows(user, "plans.view_improvementplan", p)]


def draft(cycle: Cycle, unit: Unit, target: str, effort: Mapping[str, float] | None = None) -> Plan:
    """The least-effort plan for ``unit`` from the cycle's standing scores."""
    table = assessments.score_table(cycle)
    edition = table.points_table.edition
    if unit.ref not in table.units:
        raise PlanRefused(_("the unit is not assessed in this cycle"))
    try:
        return plan(
            table.points_table, unit.ref, parse_target(target, edition), effort=effort or None
        )
    except PlanError as error:
        raise PlanRefused(str(error)) from None


@transaction.atomic
def create_plan(
    user: User,
    cycle: Cycle,
    unit: Unit,
    target: str,
    effort: Mapping[str, float] | None = None,
) -> ImprovementPlan:
    """Store the plan with one planned action per component to raise."""
    _require(user, ImprovementPlan(cycle=cycle, unit=unit))
    result = draft(cycle, unit, target, effort)
    stored = ImprovementPlan.objects.create(
        cycle=cycle,
        unit=unit,
        target=target,
        needed_pct=result.needed_pct,
        baseline_pct=result.index_pct,
        baseline_rank=result.rank or None,
        planned_pct=result.new_index_pct,
        planned_rank=result.new_rank or None,
        reachable=result.reachable,
        keep_at_maximum=list(result.keep_at_maximum),
        created_by=user,
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=stored, component=r.component, current_points=r.current, target_points=r.target
        )
        for r in result.raises
    )
    return stored


def assign(
    user: User,
    action: PlanAction,
    *,
    responsible_unit: Unit | None,
    person: str,
    deadline: date | None,
) -> None:
    _require(user, action.plan)
    action.responsible_unit = responsible_unit
    action.responsible_person = person.strip()
    action.deadline = deadline
    action.save(update_fields=["responsible_unit", "responsible_person", "deadline"])


@transaction.atomic
def move(
    user: User, action: PlanAction, to: ActionStatus, note: str = "", evidence: str = ""
) -> None:
    """Move an action's status, appending the move to its history; *done* needs evidence."""
    _require(user, action.plan)
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    current = ActionStatus(action.status)
    if not can_move(current, to):
        raise PlanRefused(_("this action cannot go from its present status to that one"))
    if to is ActionStatus.DONE and not (evidence.strip() or action.evidence.strip()):
        raise PlanRefused(_("say what shows the action is done (evidence of completion)"))
    if evidence.strip():
        action.evidence = evidence.strip()
    action.status = to
    action.save(update_fields=["status", "evidence"])
    ActionChange.objects.create(
        action=action, actor=user, from_status=current, to_status=to, note=note.strip()
    )


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    in_progress: int
    dropped: int
    overdue: int

    @property
    def share_done(self) -> float:
        """Done among the actions not dropped (0 to 1)."""
        counted = self.total - self.dropped
        return self.done / counted if counted else 1.0


def progress(plan_: ImprovementPlan, today: date | None = None) -> Progress:
    today = today or timezone.localdate()
    actions = list(plan_.actions.all())
    status = [ActionStatus(a.status) for a in actions]
    open_ = {ActionStatus.PLANNED, ActionStatus.IN_PROGRESS}
    return Progress(
        total=len(actions),
        done=status.count(ActionStatus.DONE),
        in_progress=status.count(ActionStatus.IN_PROGRESS),
        dropped=status.count(ActionStatus.DROPPED),
        overdue=sum(
            1
            for a, s in zip(actions, status, strict=True)
            if s in open_ and a.deadline is not None and a.deadline < today
        ),
    )


def next_cycle(plan_: ImprovementPlan) -> Cycle | None:
    """The first later cycle of the same index, whose scores are the plan's outcome."""
    family = plan_.cycle.edition.split("/", 1)[0]
    later = Cycle.objects.filter(year__gt=plan_.cycle.year).order_by("year", "id")
    return next((c for c in later if c.edition.split("/", 1)[0] == family), None)


def outcome(plan_: ImprovementPlan) -> tuple[Cycle | None, tuple[Outcome, ...]]:
    """Each planned component's target against its standing score in the next cycle."""
    planned = {a.component: (a.current_points, a.target_points) for a in plan_.actions.all()}
    cycle = next_cycle(plan_)
    # The unit's assessment in that cycle (at most one per unit and cycle), if it took part.
    assessment = cycle.assessments.filter(unit=plan_.unit).first() if cycle else None
    scored = assessments.final_points(assessment) if assessment else {}
    return cycle, outcomes(planned, scored)


@dataclass(frozen=True)
class Certainty:
    """How sure the unit's published rank is, over the edition's declared choices."""

    rank: int
    low: int
    median: int
    high: int
    groups: list[tuple[str, float]]
    statements: list[str]
    choices: int


def certainty(plan_: ImprovementPlan, replicates: int = 500) -> Certainty | None:
    """The rank interval, group probabilities and one-at-a-time sentences of the plan's unit in
    its cycle; None when the edition declares no uncertain choice (the rank is then exact)."""
    from parindex.core.scoring.sensitivity import one_at_a_time
    from parindex.core.scoring.uncertainty import draw_scenarios, model_of, summarise
    from parindex.server.plans.wording import sentence

    table = assessments.score_table(plan_.cycle).points_table
    model = model_of(table)
    if not model.choices or plan_.unit.ref not in table.units:
        return None
    result = summarise(model, model.evaluate(draw_scenarios(model, replicates, plan_.pk)))
    u = result.unit(plan_.unit.ref)
    return Certainty(
        rank=int(result.rank[u]),
        low=int(result.low[u]),
        median=int(result.median[u]),
        high=int(result.high[u]),
        groups=[
            (code, float(p)) for code, p in zip(result.group_codes, result.p_group[u], strict=True)
        ],
        statements=[sentence(s, table.edition) for s in one_at_a_time(model, plan_.unit.ref)],
        choices=len(model.choices),
    )
