"""The improvement planner: the least-effort set of component improvements that takes a unit to
a target — group A, a rank, or a score — with the rank it would then have.

Only components where points were lost can be raised, each at most to its maximum; a
``yes_no`` component is either met or not, a banded one moves from band to band, the others
move by any amount. Effort is points gained × the component's effort weight (1 by default).
The index is linear in the component points, so the plan is an exact mixed-integer programme
(scipy's ``milp``, HiGHS), never a search over combinations. Other units are held at their
current results, or at the values the caller expects of them (their trend).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from parindex.core.errors import ParindexError
from parindex.core.methodology import Edition
from parindex.core.methodology.rules import CountBandsRule, RatioBandsRule, YesNoRule
from parindex.core.scoring.aggregate import aggregate
from parindex.core.scoring.points import PointsTable
from parindex.core.scoring.scoretable import ScoreTable, compute
from parindex.core.scoring.uncertainty import SurveyDraws, rank_intervals

TargetKind = Literal["group", "rank", "score"]
_SLACK = 1e-9


class PlanError(ParindexError):
    """A target or effort weights that cannot be planned for, named by their value."""


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    value: str

    def __str__(self) -> str:
        return f"group {self.value}" if self.kind == "group" else f"{self.kind} {self.value}"


def parse_target(text: str, edition: Edition) -> Target:
    """``groupA`` (or ``group:A``), ``rank:K`` or ``score:S`` (index %).

    >>> from parindex.core.methodology import load_shipped
    >>> parse_target("groupA", load_shipped("par-index-province/2023").value)
    Target(kind='group', value='A')
    """
    match = re.fullmatch(r"\s*(group|rank|score):?\s*(\S+)\s*", text, flags=re.IGNORECASE)
    if match is None:
        raise PlanError(f"target '{text}': write groupA, rank:K or score:S")
    kind, value = match.group(1).lower(), match.group(2)
    if kind == "group":
        codes = [band.code for band in edition.grading.bands] if edition.grading else []
        if value not in codes:
            raise PlanError(f"target '{text}': group '{value}' is not one of {codes}")
    elif kind == "rank":
        if not value.isdigit() or int(value) < 1:
            raise PlanError(f"target '{text}': a rank is a whole number from 1")
    else:
        try:
            score = float(value.replace(",", "."))
        except ValueError:
            raise PlanError(f"target '{text}': a score is a number (index %)") from None
        if not 0 <= score <= 100:
            raise PlanError(f"target '{text}': a score lies between 0 and 100")
    return Target(kind, value)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Raise:
    component: str
    current: float
    target: float
    effort: float

    @property
    def gain(self) -> float:
        return self.target - self.current


@dataclass(frozen=True)
class Plan:
    unit: str
    target: Target
    needed_pct: float
    """The (rounded) index % the target asks for."""
    reachable: bool
    raises: tuple[Raise, ...]
    keep_at_maximum: tuple[str, ...]
    """Components already at their maximum: keep them there."""
    effort: float
    index_pct: float
    rank: int
    group: str
    new_index_pct: float
    """With the plan carried out (with everything raised to its maximum if unreachable)."""
    new_rank: int
    new_group: str
    interval: tuple[int, int, int] | None = None
    """Low, median and high rank with the plan carried out, when replicates were asked for."""


@dataclass(frozen=True)
class _Move:
    """One way to raise one component: to ``level`` (a binary choice) or by any amount."""

    node: int
    level: float
    discrete: bool


def _levels(edition: Edition, node_id: str, maximum: float, current: float) -> list[float] | None:
    """The reachable point levels above ``current`` of a discrete rule; None if continuous."""
    rule = next(n.rule for _f, _c, n in edition.scored() if n.id == node_id)
    if isinstance(rule, YesNoRule):
        shares = [rule.yes_share, rule.no_share]
    elif isinstance(rule, RatioBandsRule | CountBandsRule):
        shares = [band.share for band in rule.bands] + [0.0]
    else:
        return None
    return sorted({maximum * s for s in shares if maximum * s > current + _SLACK})


def _slopes(table: PointsTable, unit: int) -> tuple[float, NDArray[np.float64]]:
    """The unit's unrounded index % and its change per point of each component (the index is
    linear in the points while the N/A pattern stays)."""
    k = len(table.layout.node_ids)
    points = np.repeat(table.points[unit : unit + 1], k + 1, axis=0)
    points[1:] += np.eye(k)
    probe = replace(
        table,
        units=tuple(f"probe{i}" for i in range(k + 1)),
        points=points,
        not_applicable=np.repeat(table.not_applicable[unit : unit + 1], k + 1, axis=0),
        excluded=np.repeat(table.excluded[unit : unit + 1], k + 1, axis=0),
        bonus=np.repeat(table.bonus[unit], k + 1),
        penalty=np.repeat(table.penalty[unit], k + 1),
        peer_groups=(table.peer_groups[unit],) * (k + 1),
    )
    pct = aggregate(probe).index_pct
    return float(pct[0]), pct[1:] - pct[0]


def _needed(
    table: PointsTable,
    unit: int,
    target: Target,
    not_ranked: frozenset[str],
    others_pct: Mapping[str, float] | None,
) -> float:
    edition = table.edition
    if target.kind == "score":
        return float(target.value.replace(",", "."))
    if target.kind == "group":
        assert edition.grading is not None
        return next(b.min for b in edition.grading.bands if b.code == target.value)
    scores = compute(table, not_ranked)
    rivals = np.array(
        [
            (others_pct or {}).get(code, scores.index_pct[i])
            for i, code in enumerate(table.units)
            if i != unit
            and code not in not_ranked
            and table.peer_groups[i] == table.peer_groups[unit]
        ],
        dtype=float,
    )
    rivals = np.sort(rivals[~np.isnan(rivals)])[::-1]
    k = int(target.value)
    # Rank ≤ k means fewer than k rivals strictly ahead: reaching the k-th best rival's value.
    return float(rivals[k - 1]) if len(rivals) >= k else 0.0


def plan(
    table: PointsTable,
    unit: str,
    target: Target,
    *,
    effort: Mapping[str, float] | None = None,
    not_ranked: Iterable[str] = (),
    others_pct: Mapping[str, float] | None = None,
    draws: SurveyDraws | None = None,
    replicates: int = 0,
    seed: int = 0,
) -> Plan:
    """The least-effort plan for ``unit`` to reach ``target``.

    ``effort`` weighs a point of each component (1 where not named); ``others_pct`` gives the
    index % expected of other units (default: their current results). With ``replicates``
    the plan's rank interval is computed as :func:`rank_intervals` does.
    """
    if unit not in table.units:
        raise PlanError(f"unit '{unit}' is not in the points table")
    edition = table.edition
    index = table.layout.node_index
    weights = dict(effort or {})
    for node, weight in weights.items():
        if node not in index:
            raise PlanError(f"effort weight for '{node}': no such component in {edition.id}")
        if not np.isfinite(weight) or weight < 0:
            raise PlanError(f"effort weight for '{node}' must be a number ≥ 0, got {weight}")
    excluded = frozenset(not_ranked)
    u = table.units.index(unit)
    before = compute(table, excluded)
    decimals = edition.rounding.decimals
    needed = _needed(table, u, target, excluded, others_pct)
    pct, slope = _slopes(table, u)
    maxima, current = table.layout.max_points, table.points[u]
    open_nodes = ~table.not_applicable[u] & ~table.excluded[u]
    keep = tuple(
        node
        for j, node in enumerate(table.layout.node_ids)
        if open_nodes[j] and current[j] >= maxima[j] - _SLACK
    )
    moves: list[_Move] = []
    for j, node in enumerate(table.layout.node_ids):
        if not open_nodes[j] or current[j] >= maxima[j] - _SLACK or slope[j] <= 0:
            continue
        levels = _levels(edition, node, float(maxima[j]), float(current[j]))
        if levels is None:
            moves.append(_Move(j, float(maxima[j]), False))
        else:
            moves += [_Move(j, level, True) for level in levels]

    # Rounded % ≥ needed ⇔ unrounded % ≥ needed − half a unit of the last decimal.
    shortfall = needed - 0.5 * 10.0**-decimals - pct
    chosen: dict[int, float] = {}
    reachable = bool(before.index_pct[u] >= needed)
    after_table, after = table, before
    if not reachable and moves:
        # Should floating point land a hair short of the rounding step, ask a hair more.
        for margin in (0.0, 1e-7, 1e-5):
            solved = _solve(
                moves, current, slope, weights, table.layout.node_ids, shortfall + margin
            )
            if solved is None:
                break
            chosen = solved
            after_table, after = _applied(table, u, chosen, excluded)
            if after.index_pct[u] >= needed:
                reachable = True
                break
    if not reachable:
        chosen = {m.node: max(chosen.get(m.node, 0.0), m.level) for m in moves}
        after_table, after = _applied(table, u, chosen, excluded)
    node_ids = table.layout.node_ids
    raises = tuple(
        Raise(
            node_ids[j],
            float(current[j]),
            float(level),
            float((level - current[j]) * weights.get(node_ids[j], 1.0)),
        )
        for j, level in sorted(chosen.items())
        if level > current[j] + _SLACK
    )
    interval = None
    if replicates:
        spread = rank_intervals(
            after_table, not_ranked=excluded, draws=draws, replicates=replicates, seed=seed
        )
        interval = (int(spread.low[u]), int(spread.median[u]), int(spread.high[u]))
    return Plan(
        unit=unit,
        target=target,
        needed_pct=needed,
        reachable=reachable,
        raises=raises,
        keep_at_maximum=keep,
        effort=float(sum(r.effort for r in raises)),
        index_pct=float(before.index_pct[u]),
        rank=int(before.ranks[u]),
        group=before.groups[u],
        new_index_pct=float(after.index_pct[u]),
        new_rank=int(after.ranks[u]),
        new_group=after.groups[u],
        interval=interval,
    )


def _applied(
    table: PointsTable, unit: int, chosen: Mapping[int, float], not_ranked: frozenset[str]
) -> tuple[PointsTable, ScoreTable]:
    points = table.points.copy()
    for j, level in chosen.items():
        points[unit, j] = level
    changed = replace(table, points=points)
    return changed, compute(changed, not_ranked)


def _solve(
    moves: list[_Move],
    current: NDArray[np.float64],
    slope: NDArray[np.float64],
    weights: Mapping[str, float],
    node_ids: tuple[str, ...],
    shortfall: float,
) -> dict[int, float] | None:
    """Least effort with Σ slope × gain ≥ shortfall. Variables: the points gained on a
    continuous component, or whether a discrete one is raised to a level (one level at most
    per component). None when even everything raised falls short."""
    gain = np.array([m.level - current[m.node] for m in moves])
    per_point = np.array([weights.get(node_ids[m.node], 1.0) for m in moves])
    discrete = np.array([m.discrete for m in moves])
    unit_gain = np.where(discrete, gain, 1.0)  # a discrete variable is the whole step
    rows = [slope[[m.node for m in moves]] * unit_gain]
    lower, upper = [shortfall + _SLACK], [np.inf]
    for node in dict.fromkeys(m.node for m in moves if m.discrete):
        rows.append(np.array([float(m.node == node and m.discrete) for m in moves]))
        lower.append(-np.inf)
        upper.append(1.0)
    result = milp(
        c=per_point * unit_gain,
        integrality=discrete.astype(int),
        bounds=Bounds(np.zeros(len(moves)), np.where(discrete, 1.0, gain)),
        constraints=LinearConstraint(np.array(rows), lower, upper),
    )
    if result.x is None:
        return None
    chosen: dict[int, float] = {}
    for m, x, g in zip(moves, result.x, gain, strict=True):
        if m.discrete and x > 0.5:
            chosen[m.node] = max(chosen.get(m.node, 0.0), m.level)
        elif not m.discrete and x > _SLACK:
            # Points as officials write them: up to the next hundredth, never past the maximum.
            raised = np.ceil(np.round((current[m.node] + x) * 100, 6)) / 100
            chosen[m.node] = float(min(raised, current[m.node] + g))
    return chosen
