"""What each of the demo's determined tables should look like, and component scores that add up
to it. Every published table of the demo is shaped like the announced PAR INDEX tables of the
provinces (``../shared/data/published/par_index_summary_by_year.csv``): 2019-2024 averaged
81.15-88.37 %, nearly every province in group B, a growing few in A, hardly any below 80 %.
Drawing each component on its own from a wide spread (as the demo first did) averages ~73 % with
units down to 56 %, which no announcement ever showed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from parindex.core.assessment.components import Component
from parindex.core.methodology.rules import YesNoRule
from parindex.core.scoring.rounding import round_half_up_scalar
from parindex.server.demo.results import year_scores

CYCLE_AVERAGE = 89.10
CYCLE_GROUPS = {"A": 11, "B": 23}
"""The demo's determined year after the last announced one (2024: 88.37 %, 13 of 63 in A): the
trend goes on (+0.73, below the mean yearly rise 2020-2024 of 1.16) with 11 of the 34 merged
provinces in A (a third, as 2023-2024 doubled A each year from 7 to 13 of 63)."""

DEPARTMENTS_AVERAGE, DEPARTMENTS_GROUPS = 88.60, {"A": 4, "B": 9}
COMMUNES_AVERAGE, COMMUNES_GROUPS = 85.40, {"A": 8, "B": 51, "C": 6}
"""A province's own table: departments close to the provinces' national figures, communes a
little lower and wider (smaller units, fewer staff), as provincial announcements read."""


def ranked_targets(
    rng: np.random.Generator,
    refs: Sequence[str],
    average: float,
    groups: dict[str, int],
    previous: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Each unit's index % (2 decimals): ``groups`` and ``average`` as given, dealt by last
    year's % (``previous``, plus a year's wobble) so that the order moves only a little, or at
    random without one."""
    scores = year_scores(rng, len(refs), average, scaled(groups, len(refs)))  # high to low
    if previous:
        base = np.array([previous.get(ref, average) for ref in refs])
        keys = base + rng.normal(0, 1.2, len(refs))
    else:
        keys = rng.normal(0, 1, len(refs))
    order = np.argsort(-keys)
    return {refs[int(i)]: float(scores[k]) for k, i in enumerate(order)}


def scaled(groups: dict[str, int], n: int) -> dict[str, int]:
    """``groups`` in the same shares for ``n`` units (the largest group takes what rounding
    leaves), so a table of another size keeps its shape: a province with more communes, or
    the 63 provinces before the 2025 merger."""
    total = sum(groups.values())
    counts = {g: round(c * n / total) for g, c in groups.items()}
    largest = max(groups, key=lambda g: groups[g])
    counts[largest] += n - sum(counts.values())
    return counts


def _rounded(points: float, top: float) -> float:
    return round(points * 4) / 4 if top >= 1 else round(points, 2)


def component_points(
    rng: np.random.Generator, pct: float, components: Sequence[Component]
) -> dict[str, float]:
    """Points per component whose sum is ``pct`` of the components' maximum (to a quarter
    point): shares spread a little around ``pct``, yes/no criteria met or not, each within its
    maximum."""
    share = pct / 100
    points: dict[str, float] = {}
    free: list[Component] = []
    for component in components:
        spec = component.spec
        if isinstance(spec.rule, YesNoRule):
            points[component.id] = spec.rule.score(spec.max_points, bool(rng.random() < share))
        else:
            noisy = float(np.clip(rng.normal(share, 0.07), 0.3, 1.0))
            points[component.id] = noisy * spec.max_points
            free.append(component)
    wanted = share * sum(c.spec.max_points for c in components)
    for _ in range(3):  # move the free components towards the total, within their bounds
        gap = wanted - sum(points.values())
        room = {c.id: (c.spec.max_points - points[c.id]) if gap > 0 else points[c.id] for c in free}
        total_room = sum(room.values())
        if total_room <= 0 or abs(gap) < 1e-9:
            break
        for c in free:
            points[c.id] += gap * room[c.id] / total_room
    for c in free:
        points[c.id] = min(c.spec.max_points, max(0.0, _rounded(points[c.id], c.spec.max_points)))
    # Rounding and the bounds leave a few points over or short: the components with most room
    # take them, in their own steps (quarter points, or hundredths below one point).
    for c in sorted(free, key=lambda c: c.spec.max_points >= 1, reverse=True):
        gap = round_half_up_scalar(wanted - sum(points.values()), 2)
        if abs(gap) < 0.005:
            break
        top = c.spec.max_points
        points[c.id] = min(top, max(0.0, _rounded(points[c.id] + gap, top)))
    return points
