"""The points each unit earned on each scored node: the input of the scoring engine.

Points arrive as rows (unit, component, points, not applicable), from a CSV, a workbook or the
assessment workflow. Every problem in them is a finding naming the row; a table with findings is
never scored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parindex.core.findings import Finding, Report
from parindex.core.methodology import Edition
from parindex.core.numbers import parse_number
from parindex.core.scoring.matrices import Layout, layout_of
from parindex.core.units import UnitKind

BONUS = "_bonus"
PENALTY = "_penalty"


@dataclass(frozen=True, slots=True)
class PointsRow:
    """One input row; ``points`` is text as typed (``""`` when absent), parsed here."""

    line: int
    unit: str
    component: str
    points: str
    not_applicable: bool = False


@dataclass(frozen=True, eq=False)
class PointsTable:
    """Points of every unit on every scored node of one edition, validated."""

    layout: Layout
    units: tuple[str, ...]
    points: NDArray[np.float64]
    """u × k; 0 where not applicable."""
    not_applicable: NDArray[np.bool_]
    """u × k: flagged not applicable by the unit (treated by the edition's N/A rule)."""
    excluded: NDArray[np.bool_]
    """u × k: the node does not apply to the unit's kind (always left out of points and max)."""
    bonus: NDArray[np.float64]
    penalty: NDArray[np.float64]
    peer_groups: tuple[str, ...]

    def __post_init__(self) -> None:
        for array in (self.points, self.not_applicable, self.excluded, self.bonus, self.penalty):
            array.flags.writeable = False

    @property
    def edition(self) -> Edition:
        return self.layout.edition


def _number(text: str) -> float | None:
    try:
        return parse_number(text)
    except ValueError:
        return None


def _cap(edition: Edition, component: str) -> float:
    return float(edition.bonus_cap if component == BONUS else edition.penalty_cap)


def peer_group_of(edition: Edition, kind: UnitKind | None) -> str:
    for group in edition.peer_groups:
        if kind in group.unit_kinds:
            return group.id
    return "all"


def points_from_rows(
    edition: Edition,
    rows: Iterable[PointsRow],
    source: str = "points",
    unit_kinds: Mapping[str, UnitKind] | None = None,
) -> Report[PointsTable]:
    """Validate ``rows`` against ``edition`` into a :class:`PointsTable`.

    ``unit_kinds`` (optional) gives each unit's kind, which decides the peer group and which
    nodes apply to it; without it every node applies and all units form one group.
    """
    layout = layout_of(edition)
    index = layout.node_index
    findings: list[Finding] = []
    seen: dict[tuple[str, str], int] = {}
    values: dict[str, dict[int, float]] = {}
    flagged: dict[str, set[int]] = {}
    extras: dict[str, dict[str, float]] = {}
    attempted: dict[str, set[int]] = {}
    """Nodes with a row per unit, valid or not: a refused row is not also "missing"."""

    def refuse(row: PointsRow, code: str, message: str) -> None:
        findings.append(
            Finding(code, f"row {row.line}: {message}", source, row.line, row.component or None)
        )

    for row in rows:
        if not row.unit.strip():
            refuse(row, "missing-unit", "the unit is empty")
            continue
        values.setdefault(row.unit, {})
        flagged.setdefault(row.unit, set())
        key = (row.unit, row.component)
        if key in seen:
            refuse(
                row,
                "duplicate-row",
                f"unit '{row.unit}' has component '{row.component}' again (first on row {seen[key]})",
            )
            continue
        seen[key] = row.line
        if row.component in index:
            attempted.setdefault(row.unit, set()).add(index[row.component])
        if row.component in (BONUS, PENALTY):
            number = _number(row.points)
            if number is None or number < 0:
                refuse(
                    row,
                    "invalid-value",
                    f"{row.component} must be a number of points ≥ 0, got '{row.points}'",
                )
            elif number > 0 and _cap(edition, row.component) == 0:
                # Silently dropping it would leave a 90.20 at A where the user expects 89.20.
                kind = "bonus" if row.component == BONUS else "penalty"
                refuse(
                    row,
                    "not-allowed",
                    f"{row.component} {row.points}: edition {edition.id} allows no {kind} "
                    f"points (its {kind} cap is 0); remove the row or choose an edition "
                    f"with {kind} points",
                )
            else:
                extras.setdefault(row.unit, {})[row.component] = number
            continue
        if row.component not in index:
            refuse(
                row,
                "unknown-component",
                f"component '{row.component}' is not in edition {edition.id}",
            )
            continue
        j = index[row.component]
        if row.not_applicable:
            if row.points.strip() and _number(row.points) != 0:
                refuse(
                    row,
                    "invalid-value",
                    f"points '{row.points}' given for a component marked not applicable",
                )
                continue
            flagged[row.unit].add(j)
            continue
        number = _number(row.points)
        maximum = float(layout.max_points[j])
        if number is None:
            refuse(
                row,
                "invalid-value",
                f"points '{row.points}' is not a number (give points or not_applicable=1)",
            )
        elif number < 0:
            refuse(row, "below-zero", f"points {number:g} below zero for component {row.component}")
        elif number > maximum + 1e-9:
            refuse(
                row,
                "above-maximum",
                f"points {number:g} above the maximum {maximum:g} of component {row.component}",
            )
        else:
            values[row.unit][j] = number

    units = tuple(values)
    applies = layout.applicability(tuple((unit_kinds or {}).get(unit) for unit in units))
    for i, unit in enumerate(units):
        findings.extend(
            Finding(
                "not-for-this-unit",
                f"unit '{unit}' ({(unit_kinds or {}).get(unit)}) is given points on "
                f"component {layout.node_ids[j]}, which does not apply to it",
                source,
                None,
                layout.node_ids[j],
            )
            for j in values[unit]
            if not applies[i, j]
        )
        given = attempted.get(unit, set())
        missing = [
            layout.node_ids[j]
            for j in range(len(layout.node_ids))
            if j not in given and applies[i, j]
        ]
        if missing:
            shown = ", ".join(missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            findings.append(
                Finding(
                    "missing-component",
                    f"unit '{unit}' lacks components {shown}: give points or not_applicable=1",
                    source,
                    None,
                    missing[0],
                )
            )
    if not units:
        findings.append(Finding("empty", "no rows of points", source))
    if findings:
        return Report(None, tuple(findings))
    by_node = {
        unit: {layout.node_ids[j]: number for j, number in nodes.items()}
        for unit, nodes in values.items()
    }
    return points_table(
        edition,
        by_node,
        source=source,
        unit_kinds=unit_kinds,
        not_applicable={u: {layout.node_ids[j] for j in js} for u, js in flagged.items()},
        bonus={u: e.get(BONUS, 0.0) for u, e in extras.items()},
        penalty={u: e.get(PENALTY, 0.0) for u, e in extras.items()},
    )


def points_table(
    edition: Edition,
    points: Mapping[str, Mapping[str, float]],
    source: str = "points",
    unit_kinds: Mapping[str, UnitKind] | None = None,
    not_applicable: Mapping[str, Iterable[str]] | None = None,
    bonus: Mapping[str, float] | None = None,
    penalty: Mapping[str, float] | None = None,
) -> Report[PointsTable]:
    """A :class:`PointsTable` from numbers: ``points[unit][component]``, a component absent
    earning 0. Units keep the order given. Findings (never an exception) for a component the
    edition lacks, points outside [0, max] or on a component that does not apply to the unit.

    >>> from parindex.core.methodology import load_shipped
    >>> edition = load_shipped("par-index-province/2023").value
    >>> table = points_table(edition, {"province:01": {"1.1.1": 0.5}}).value
    >>> float(table.points.sum()), table.units
    (0.5, ('province:01',))
    """
    layout = layout_of(edition)
    index = layout.node_index
    units = tuple(points)
    kinds = tuple((unit_kinds or {}).get(unit) for unit in units)
    applies = layout.applicability(kinds)
    array = np.zeros((len(units), len(layout.node_ids)))
    flagged = np.zeros_like(array, dtype=bool)
    findings: list[Finding] = []
    for i, unit in enumerate(units):
        for component, number in points[unit].items():
            j = index.get(component)
            if j is None:
                findings.append(
                    Finding(
                        "unknown-component",
                        f"unit '{unit}': component '{component}' is not in edition {edition.id}",
                        source,
                        None,
                        component,
                    )
                )
                continue
            maximum = float(layout.max_points[j])
            if not 0 <= number <= maximum + 1e-9:
                findings.append(
                    Finding(
                        "above-maximum" if number > 0 else "below-zero",
                        f"unit '{unit}': points {number:g} outside [0, {maximum:g}] "
                        f"on component {component}",
                        source,
                        None,
                        component,
                    )
                )
                continue
            if not applies[i, j]:
                findings.append(
                    Finding(
                        "not-for-this-unit",
                        f"unit '{unit}' ({kinds[i]}) is given points on "
                        f"component {component}, which does not apply to it",
                        source,
                        None,
                        component,
                    )
                )
            array[i, j] = number
        for component in (not_applicable or {}).get(unit, ()):
            flagged[i, index[component]] = True
    if findings:
        return Report(None, tuple(findings))
    return Report(
        PointsTable(
            layout=layout,
            units=units,
            points=array,
            not_applicable=flagged,
            excluded=~applies,
            bonus=np.array([(bonus or {}).get(u, 0.0) for u in units]),
            penalty=np.array([(penalty or {}).get(u, 0.0) for u in units]),
            peer_groups=tuple(peer_group_of(edition, kind) for kind in kinds),
        ),
        (),
    )
