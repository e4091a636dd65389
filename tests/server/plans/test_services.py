"""Plans carried out, on the database: a province's plan into group A from its cycle's scores,
its actions assigned and moved with a history, progress for the leader, outcomes next year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from parindex.core.plans import ActionStatus
from tests.server.plans.conftest import make_cycle


@pytest.fixture(autouse=True)
def english():  # type: ignore[no-untyped-def]
    """Refusals are matched in English here; their Vietnamese is checked by the catalogue test."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_a_focal_point_plans_the_way_into_group_a_from_the_cycle(setting) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.plans import services

    cycle, units, people = setting
    plan = services.create_plan(people["focal"], cycle, units["province:20"], "groupA")
    assert plan.baseline_pct == 80.0 and plan.planned_pct >= 90.0 and plan.reachable
    actions = list(plan.actions.all())
    assert actions and all(a.status == ActionStatus.PLANNED for a in actions)
    assert all(a.current_points < a.target_points for a in actions)
    # nothing is at its maximum at 80 % of every component: nothing to keep
    assert plan.keep_at_maximum == []


@pytest.mark.parametrize("who", ["other", "appraiser"])
def test_only_the_units_own_people_and_administrators_may_plan(setting, who: str) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.plans import services

    cycle, units, people = setting
    with pytest.raises(services.PlanRefused, match="focal points and leaders"):
        services.create_plan(people[who], cycle, units["province:20"], "groupA")
    assert services.create_plan(people["admin"], cycle, units["province:20"], "rank:1")
    assert services.visible_plans(people[who]) == []
    assert len(services.visible_plans(people["leader"])) == 1


def test_actions_are_assigned_moved_with_a_history_and_closed_with_evidence(setting) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.plans import services

    cycle, units, people = setting
    plan = services.create_plan(people["focal"], cycle, units["province:20"], "score:85")
    first, second, *_ = plan.actions.all()
    today = date(2026, 3, 1)
    services.assign(
        people["focal"], first, responsible_unit=units["province:20"], person="Nguyễn Văn A",
        deadline=today - timedelta(days=1),
    )  # fmt: skip
    services.move(people["focal"], first, ActionStatus.IN_PROGRESS, note="bắt đầu")
    with pytest.raises(services.PlanRefused, match="evidence of completion"):
        services.move(people["leader"], first, ActionStatus.DONE)
    services.move(people["leader"], first, ActionStatus.DONE, evidence="Quyết định 12/QĐ-UBND")
    with pytest.raises(services.PlanRefused, match="cannot go from"):
        services.move(people["leader"], first, ActionStatus.DROPPED)
    with pytest.raises(services.PlanRefused):
        services.move(people["other"], second, ActionStatus.DROPPED)
    first.refresh_from_db()
    assert first.status == ActionStatus.DONE and first.evidence == "Quyết định 12/QĐ-UBND"
    assert [(h.from_status, h.to_status, h.actor.username) for h in first.history.all()] == [
        ("planned", "in_progress", "focal-20"),
        ("in_progress", "done", "leader-20"),
    ]
    services.assign(
        people["leader"],
        second,
        responsible_unit=None,
        person="",
        deadline=today - timedelta(days=2),
    )
    progress = services.progress(plan, today=today)
    assert (progress.total, progress.done, progress.overdue) == (plan.actions.count(), 1, 1)
    assert progress.share_done == pytest.approx(1 / plan.actions.count())


def test_the_next_cycle_shows_each_target_against_its_outcome(setting) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.plans import services

    cycle, units, people = setting
    plan = services.create_plan(people["focal"], cycle, units["province:20"], "groupA")
    assert services.outcome(plan) == (None, tuple(services.outcome(plan)[1]))
    assert all(o.outcome is None and o.met is None for o in services.outcome(plan)[1])
    # Next year every component stands at 100 % except the first planned one, left at 80 %.
    nxt = make_cycle(2026, {"province:20": 1.0}, people["admin"])
    first = plan.actions.first()
    # Score entries are append-only: a later entry of the round stands.
    from parindex.server.assessments.models import Round, ScoreEntry

    ScoreEntry.objects.create(
        assessment=nxt.assessments.get(),
        component=first.component,
        round=Round.SELF,
        points=first.current_points,
        author=people["admin"],
    )
    later, results = services.outcome(plan)
    assert later == nxt
    met = {o.component: o.met for o in results}
    assert met.pop(first.component) is False and all(met.values())
