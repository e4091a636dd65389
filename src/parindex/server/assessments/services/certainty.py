"""How sure each rank of a cycle is: ``core.scoring.uncertainty``'s rank intervals over the
edition's declared choices and the bootstrap replicates of the cycle's surveys.

Two thousand recomputations of the index for every unit take about half a second, and the
surveys' replicates another second or more (docs/plans.md): too slow for a page. The result is
stored per state of the cycle's scores and surveys (``StoredCertainty``, keyed by a
fingerprint); a page that finds it stale queues a background task and says so, and the next
visit reads it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import timedelta
from importlib.metadata import version
from typing import Any

import numpy as np
from django.db.models import Count, Max
from django.utils import timezone
from django_tasks import task

from parindex.core.assessment.workflow import State
from parindex.core.scoring.draws import draws_from_estimates
from parindex.core.scoring.points import PointsTable
from parindex.core.scoring.sensitivity import one_at_a_time_all
from parindex.core.scoring.uncertainty import (
    DECLARED,
    Model,
    RankIntervals,
    SurveyDraws,
    draw_scenarios,
    model_of,
    movements,
    summarise,
)
from parindex.server.assessments.models import Cycle, ScoreEntry, StoredCertainty
from parindex.server.assessments.services.intervals import (
    CycleCertainty,
    interval_from,
)
from parindex.server.assessments.services.publication import score_table
from parindex.server.surveys.computed import fingerprint as survey_fingerprint
from parindex.server.surveys.replicates import survey_replicates

REPLICATES = 2000
LEVEL = 0.90
RETRY_AFTER = timedelta(minutes=10)
"""A computation queued this long ago and not stored is queued again (a worker that died)."""


def unfinished(cycle: Cycle) -> frozenset[str]:
    """Units still in the workflow: scored but not ranked (as on the preview)."""
    return frozenset(
        cycle.assessments.exclude(state=State.FINAL).values_list("unit__ref", flat=True)
    )


def previous_cycle(cycle: Cycle) -> Cycle | None:
    """The latest earlier published cycle of the same index and organiser: what a change
    between years is measured against."""
    family = cycle.edition.split("/", 1)[0]
    earlier = Cycle.objects.filter(
        year__lt=cycle.year, organiser_id=cycle.organiser_id, published_at__isnull=False
    ).order_by("-year", "-id")
    return next((c for c in earlier if c.edition.split("/", 1)[0] == family), None)


def fingerprint(cycle: Cycle) -> str:
    """What the intervals depend on: the cycle's own inputs and those of the previous cycle,
    against which the change between years is judged."""
    previous = previous_cycle(cycle)
    parts = [_inputs(cycle), _inputs(previous) if previous is not None else None]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def _inputs(cycle: Cycle) -> str:
    """The scores (every change appends an entry), the states, the surveys' data and settings,
    the replicate count and the software's version."""
    scores = ScoreEntry.objects.filter(assessment__cycle=cycle).aggregate(
        last=Max("id"), count=Count("id")
    )
    states = sorted(cycle.assessments.values_list("unit__ref", "state"))
    surveys = [survey_fingerprint(s) for s in cycle.surveys.order_by("pk")]
    text = json.dumps(
        [cycle.edition, scores, states, surveys, REPLICATES, LEVEL, version("parindex")],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def survey_draws(cycle: Cycle, table: PointsTable) -> SurveyDraws | None:
    """The survey components' points in each replicate, from every survey of the cycle that
    has answers; a survey's domains are matched to the units by ref or Vietnamese name."""
    names: dict[str, str] = {}
    for ref, name in cycle.assessments.values_list("unit__ref", "unit__name_vi"):
        names[ref] = ref
        names.setdefault(name, ref)
    combined: np.ndarray | None = None
    for survey in cycle.surveys.order_by("pk"):
        found = survey_replicates(survey, REPLICATES)
        if found is None:
            continue
        found = replace(found, domains=tuple(names.get(d, d) for d in found.domains))
        points = draws_from_estimates(found, table).points[DECLARED]
        # The surveys are independent samples: replicate r of each is one joint draw.
        combined = points if combined is None else np.where(np.isnan(combined), points, combined)
    return None if combined is None else SurveyDraws({DECLARED: combined})


def _intervals(cycle: Cycle) -> tuple[PointsTable, frozenset[str], Model, RankIntervals | None]:
    """The cycle's points, its units not ranked yet, the model and — when it has anything
    uncertain — the rank distribution over ``REPLICATES`` recomputations."""
    provisional = unfinished(cycle)
    table = score_table(cycle, provisional=provisional).points_table
    model = model_of(table, not_ranked=provisional, draws=survey_draws(cycle, table))
    if not model.choices:
        return table, provisional, model, None
    scenarios = draw_scenarios(model, REPLICATES, seed=cycle.pk)
    return table, provisional, model, summarise(model, model.evaluate(scenarios), LEVEL)


def _moves(cycle: Cycle, result: RankIntervals) -> tuple[int | None, dict[str, dict[str, Any]]]:
    """Per unit, whether its change since the previous cycle is real (both years' replicates,
    ``core.scoring.uncertainty.movements``); nothing without a previous cycle with intervals."""
    previous = previous_cycle(cycle)
    if previous is None:
        return None, {}
    before = _intervals(previous)[3]
    if before is None:
        return None, {}
    return previous.year, {
        m.unit: {
            "delta_rank": m.delta_rank,
            "p_real": m.p_real,
            "delta_pct": m.delta_pct,
            "p_pct_real": m.p_pct_real,
        }
        for m in movements(result, before)
    }


def compute(cycle: Cycle) -> dict[str, Any]:
    """The payload stored: every ranked unit's rank, median, interval, group shares, its
    one-at-a-time sentences (as message codes) and its change since the previous cycle."""
    table, provisional, model, result = _intervals(cycle)
    if result is None:
        return {"units": {}, "reason": "no_choice"}
    ranked_of: dict[str, int] = {}
    groups = table.peer_groups
    for group in set(groups):
        count = sum(
            1
            for u, g in enumerate(groups)
            if g == group and result.rank[u] > 0 and table.units[u] not in provisional
        )
        ranked_of[group] = count
    top = result.group_codes[0] if result.group_codes else ""
    statements = one_at_a_time_all(model)
    previous_year, moves = _moves(cycle, result)
    return {
        "units": {
            unit: {
                "rank": int(result.rank[u]),
                "median": int(result.median[u]),
                "low": int(result.low[u]),
                "high": int(result.high[u]),
                "ranked_of": ranked_of[groups[u]],
                "p_top": float(result.p_group[u, 0]) if top else None,
                "groups": [
                    [code, float(result.p_group[u, g])] for g, code in enumerate(result.group_codes)
                ],
                "statements": [[s.code, s.params] for s in statements.get(unit, ())],
                "move": moves.get(unit),
            }
            for u, unit in enumerate(result.units)
            if result.rank[u] > 0
        },
        "top_group": top,
        "replicates": REPLICATES,
        "sampling": model.draws is not None,
        "previous_year": previous_year,
    }


def store(cycle: Cycle) -> StoredCertainty:
    """Compute and store the cycle's intervals (the fingerprint taken first, so data arriving
    meanwhile make the result stale at once)."""
    key = fingerprint(cycle)
    payload = compute(cycle)
    stored, _created = StoredCertainty.objects.update_or_create(
        cycle=cycle, defaults={"fingerprint": key, "payload": payload}
    )
    return stored


@task()
def refresh(cycle_id: int) -> None:
    """Store the cycle's intervals unless the stored ones are current (a page viewed before
    publication has usually computed them already)."""
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        return
    stored = StoredCertainty.objects.filter(cycle=cycle).first()
    if stored is None or stored.payload.get("pending") or stored.fingerprint != fingerprint(cycle):
        store(cycle)


def _queue(cycle: Cycle, key: str) -> None:
    StoredCertainty.objects.update_or_create(
        cycle=cycle, defaults={"fingerprint": key, "payload": {"pending": True}}
    )
    refresh.enqueue(cycle.pk)


def cycle_certainty(cycle: Cycle) -> CycleCertainty:
    """The stored intervals when they are current; otherwise a background computation is
    queued (once) and the answer says they are pending."""
    key = fingerprint(cycle)
    stored = StoredCertainty.objects.filter(cycle=cycle).first()
    if stored is None or stored.fingerprint != key:
        _queue(cycle, key)
        stored = StoredCertainty.objects.filter(cycle=cycle).first()  # done at once in tests
    elif stored.payload.get("pending") and timezone.now() - stored.computed_at > RETRY_AFTER:
        _queue(cycle, key)
    payload: dict[str, Any] = stored.payload if stored is not None else {"pending": True}
    if payload.get("pending") or stored is None or stored.fingerprint != key:
        return CycleCertainty({}, reason="pending")
    return CycleCertainty(
        units={ref: interval_from(row, payload) for ref, row in payload["units"].items()},
        reason=payload.get("reason", ""),
        top_group=payload.get("top_group", ""),
        replicates=payload.get("replicates", 0),
        sampling=payload.get("sampling", False),
    )
