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
from dataclasses import dataclass, replace
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
from parindex.core.scoring.uncertainty import (
    DECLARED,
    SurveyDraws,
    draw_scenarios,
    model_of,
    summarise,
)
from parindex.server.assessments.models import Cycle, ScoreEntry, StoredCertainty
from parindex.server.assessments.services.publication import score_table
from parindex.server.surveys.computed import fingerprint as survey_fingerprint
from parindex.server.surveys.replicates import survey_replicates

REPLICATES = 2000
LEVEL = 0.90
RETRY_AFTER = timedelta(minutes=10)
"""A computation queued this long ago and not stored is queued again (a worker that died)."""


@dataclass(frozen=True)
class UnitInterval:
    rank: int
    median: int
    low: int
    high: int
    ranked_of: int
    p_top: float | None
    """Share of replicates in the top group (A); None without a grading scale."""

    # The bar on a rank axis 1…ranked_of, as % of its width (ranks are whole places: the
    # interval low…high covers high − low + 1 of them, a degenerate one a single place).
    @property
    def bar_left(self) -> float:
        return round(100 * (self.low - 1) / max(self.ranked_of, 1), 2)

    @property
    def bar_width(self) -> float:
        return round(100 * (self.high - self.low + 1) / max(self.ranked_of, 1), 2)

    @property
    def bar_median(self) -> float:
        return round(100 * (self.median - 0.5) / max(self.ranked_of, 1), 2)

    @property
    def p_top_pct(self) -> float | None:
        return None if self.p_top is None else 100 * self.p_top

    @property
    def degenerate(self) -> bool:
        return self.low == self.high


@dataclass(frozen=True)
class CycleCertainty:
    """Per unit ref its interval, or why there are none: ``no_choice`` (nothing uncertain to
    vary: the edition declares no choice and no survey of the cycle has answers) or
    ``pending`` (being computed)."""

    units: dict[str, UnitInterval]
    reason: str = ""
    top_group: str = ""
    replicates: int = 0
    sampling: bool = False
    """Survey sampling is one of the sources (the cycle has surveys with answers)."""


def unfinished(cycle: Cycle) -> frozenset[str]:
    """Units still in the workflow: scored but not ranked (as on the preview)."""
    return frozenset(
        cycle.assessments.exclude(state=State.FINAL).values_list("unit__ref", flat=True)
    )


def fingerprint(cycle: Cycle) -> str:
    """What the intervals depend on: the scores (every change appends an entry), the states,
    the surveys' data and settings, the replicate count and the software's version."""
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


def compute(cycle: Cycle) -> dict[str, Any]:
    """The payload stored: every ranked unit's rank, median, interval and top-group share."""
    provisional = unfinished(cycle)
    table = score_table(cycle, provisional=provisional).points_table
    draws = survey_draws(cycle, table)
    model = model_of(table, not_ranked=provisional, draws=draws)
    if not model.choices:
        return {"units": {}, "reason": "no_choice"}
    scenarios = draw_scenarios(model, REPLICATES, seed=cycle.pk)
    result = summarise(model, model.evaluate(scenarios), LEVEL)
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
    return {
        "units": {
            unit: {
                "rank": int(result.rank[u]),
                "median": int(result.median[u]),
                "low": int(result.low[u]),
                "high": int(result.high[u]),
                "ranked_of": ranked_of[groups[u]],
                "p_top": float(result.p_group[u, 0]) if top else None,
            }
            for u, unit in enumerate(result.units)
            if result.rank[u] > 0
        },
        "top_group": top,
        "replicates": REPLICATES,
        "sampling": draws is not None,
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
        units={ref: UnitInterval(**row) for ref, row in payload["units"].items()},
        reason=payload.get("reason", ""),
        top_group=payload.get("top_group", ""),
        replicates=payload.get("replicates", 0),
        sampling=payload.get("sampling", False),
    )
