"""Component points → criterion → field → index, for every unit at once.

Sum editions (PAR INDEX) add points; mean editions (SIPAS) average percentages level by level.
Not-applicable components follow the edition's rule: ``rescale`` leaves them out of points and
maximum, ``zero`` counts them as 0 of their maximum, ``full`` as their maximum. Components that
do not apply to a unit's kind are always left out. Bonus and penalty are capped by the edition,
and index points are clipped to [0, applicable maximum].
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parindex.core.methodology import Aggregation, NotApplicableRule
from parindex.core.scoring.points import PointsTable

Array = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Aggregates:
    """Unrounded results; u rows, one per unit."""

    node_points: Array
    node_max: Array
    """u × k: the maximum each node counts for each unit (0 when left out)."""
    criterion_points: Array
    criterion_max: Array
    field_points: Array
    field_max: Array
    field_pct: Array
    """u × f; NaN where a field has nothing applicable."""
    points: Array
    max_points: Array
    index_pct: Array

    def __post_init__(self) -> None:
        for array in vars(self).values():
            array.flags.writeable = False


def _divide(numerator: Array, denominator: Array) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan
        )


def aggregate(table: PointsTable) -> Aggregates:
    edition = table.edition
    layout = table.layout
    maxima = np.broadcast_to(layout.max_points, table.points.shape)
    counted = ~table.excluded
    points = np.where(counted, table.points, 0.0)
    rule = edition.not_applicable
    if rule is NotApplicableRule.RESCALE:
        counted = counted & ~table.not_applicable
        points = np.where(counted, points, 0.0)
    elif rule is NotApplicableRule.FULL:
        points = np.where(table.not_applicable & counted, maxima, points)
    node_max = np.where(counted, maxima, 0.0)
    bonus = np.minimum(table.bonus, edition.bonus_cap)
    penalty = np.minimum(table.penalty, edition.penalty_cap)

    if edition.aggregation is Aggregation.SUM:
        criterion_points = points @ layout.node_to_criterion
        criterion_max = node_max @ layout.node_to_criterion
        field_points = criterion_points @ layout.criterion_to_field
        field_max = criterion_max @ layout.criterion_to_field
        field_pct = _divide(field_points, field_max) * 100
        max_points = field_max.sum(axis=1)
        points_total = np.clip(field_points.sum(axis=1) + bonus - penalty, 0.0, max_points)
        index_pct = _divide(points_total, max_points) * 100
    else:
        node_pct = _divide(points, node_max)
        has_node = counted.astype(float)
        criterion_sum = np.nan_to_num(node_pct) @ layout.node_to_criterion
        criterion_n = has_node @ layout.node_to_criterion
        criterion_pct = _divide(criterion_sum, criterion_n)
        field_sum = np.nan_to_num(criterion_pct) @ layout.criterion_to_field
        field_n = (criterion_n > 0).astype(float) @ layout.criterion_to_field
        field_share = _divide(field_sum, field_n)
        field_pct = field_share * 100
        field_has = (field_n > 0).astype(float)
        index_share = _divide(np.nan_to_num(field_share).sum(axis=1), field_has.sum(axis=1))
        total = edition.total_points
        max_points = np.where(field_has.sum(axis=1) > 0, total, 0.0)
        points_total = np.clip(
            np.nan_to_num(index_share) * total + bonus - penalty, 0.0, max_points
        )
        index_pct = _divide(points_total, max_points) * 100
        criterion_points = np.nan_to_num(criterion_pct) * total
        criterion_max = (criterion_n > 0).astype(float) * total
        field_points = np.nan_to_num(field_share) * total
        field_max = field_has * total
    return Aggregates(
        node_points=points,
        node_max=node_max,
        criterion_points=criterion_points,
        criterion_max=criterion_max,
        field_points=field_points,
        field_max=field_max,
        field_pct=field_pct,
        points=points_total,
        max_points=max_points,
        index_pct=index_pct,
    )
