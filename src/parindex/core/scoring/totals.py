"""One unit's totals per field and overall, as the scoring engine computes them.

Every page that shows a total (a field page, a unit's page, the council's table) takes it from
here, so it agrees with the preview and the published table: not-applicable components leave
points and maximum, a mean-aggregated edition (SIPAS) averages percentages level by level, and
the index points are clipped and rounded as the edition says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from parindex.core.errors import FindingsError
from parindex.core.methodology import Edition
from parindex.core.scoring.points import points_table
from parindex.core.scoring.scoretable import ScoreTable, compute
from parindex.core.units import UnitKind


@dataclass(frozen=True)
class FieldTotal:
    field_id: str
    points: float
    """Unrounded; in a mean-aggregated edition, the field's share of the edition's total."""
    max_points: float
    """0 when nothing in the field applies to the unit."""
    pct: float | None
    """Rounded as published; ``None`` when nothing in the field applies."""


@dataclass(frozen=True)
class UnitTotals:
    fields: tuple[FieldTotal, ...]
    points: float
    """Index points, rounded as published."""
    max_points: float
    index_pct: float | None

    def field(self, field_id: str) -> FieldTotal:
        return next(f for f in self.fields if f.field_id == field_id)


def _maybe(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def totals_in(table: ScoreTable, unit: str) -> UnitTotals:
    """``unit``'s totals as ``table`` computed them."""
    i = table.units.index(unit)
    sums = table.aggregates
    fields = tuple(
        FieldTotal(
            field_id,
            float(sums.field_points[i, j]),
            float(sums.field_max[i, j]),
            _maybe(table.field_pct[i, j]),
        )
        for j, field_id in enumerate(table.field_ids)
    )
    return UnitTotals(
        fields, float(table.points[i]), float(sums.max_points[i]), _maybe(table.index_pct[i])
    )


def unit_totals(
    edition: Edition, points: Mapping[str, float], kind: UnitKind | str | None = None
) -> UnitTotals:
    """Totals of one unit from its component points (a component absent earns 0).

    >>> from parindex.core.methodology import load_shipped
    >>> edition = load_shipped("par-index-province/2023").value
    >>> totals = unit_totals(edition, {"1.1.1": 0.5, "1.1.2": 0.25})
    >>> totals.points, totals.field("1").points
    (0.75, 0.75)
    """
    return many_totals(edition, {"unit": points}, {"unit": kind} if kind else None)["unit"]


def many_totals(
    edition: Edition,
    points: Mapping[str, Mapping[str, float]],
    kinds: Mapping[str, UnitKind | str | None] | None = None,
) -> dict[str, UnitTotals]:
    """Totals of many units (or of one unit's several rounds, under distinct keys) computed in
    one table: a unit's totals depend on its own points only, so they equal ``unit_totals`` of
    each, at the cost of one computation instead of one per unit.

    >>> from parindex.core.methodology import load_shipped
    >>> edition = load_shipped("par-index-province/2023").value
    >>> both = many_totals(edition, {"a": {"1.1.1": 0.5}, "b": {"1.1.2": 0.25}})
    >>> both["a"].points, both["b"].field("1").points
    (0.5, 0.25)
    """
    if not points:
        return {}
    typed = {key: UnitKind(kind) for key, kind in (kinds or {}).items() if kind}
    report = points_table(edition, points, source="totals", unit_kinds=typed or None)
    if report.value is None:
        raise FindingsError(report.findings)
    table = compute(report.value)
    return {key: totals_in(table, key) for key in points}
