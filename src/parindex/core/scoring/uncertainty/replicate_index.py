"""The index of every unit in every replicate at once: the aggregation engine's arithmetic on
arrays of replicates × units × components, in the engine's order of operations so that the
declared options reproduce ``aggregate`` bit for bit."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from parindex.core.methodology import Aggregation, Edition
from parindex.core.scoring.points import PointsTable

Array = NDArray[np.float64]
Ints = NDArray[np.int64]


def _divide(numerator: Array, denominator: Array) -> Array:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan
        )


def replicate_index(
    edition: Edition,
    points: Array,
    node_max_by_option: Array,
    option: Ints,
    weights: Array,
    table: PointsTable,
) -> tuple[Array, Array]:
    """Unrounded index % and points, replicates × units, as ``aggregate`` computes them (the
    same operations in the same order, so the declared options reproduce the engine exactly).
    ``node_max_by_option`` holds the nodes' maxima under each N/A option (options × u × k)."""
    to_criterion, to_field = table.layout.node_to_criterion, table.layout.criterion_to_field
    bonus = np.minimum(table.bonus, edition.bonus_cap)
    penalty = np.minimum(table.penalty, edition.penalty_cap)
    size, units, nodes = points.shape
    if edition.aggregation is Aggregation.SUM:
        # One tall matrix product (replicates·units × nodes), not one per replicate.
        flat = points.reshape(size * units, nodes)
        field_points = ((flat @ to_criterion) @ to_field).reshape(size, units, -1)
        field_max = ((node_max_by_option @ to_criterion) @ to_field)[option]
        max_points = field_max.sum(axis=-1)
        weighted_max = (weights * field_max).sum(axis=-1)
        # With weights of 1 the factor is exactly 1.0 and the sum is the engine's.
        stretch = _divide(max_points, weighted_max)
        summed = (weights * field_points).sum(axis=-1) * np.nan_to_num(stretch, nan=1.0)
        total = np.clip(summed + bonus - penalty, 0.0, max_points)
        return _divide(total, max_points) * 100, total
    node_max = node_max_by_option[option]
    node_pct = _divide(points, node_max)
    has_node = (node_max > 0).astype(float)
    criterion_sum = np.nan_to_num(node_pct) @ to_criterion
    criterion_n = has_node @ to_criterion
    criterion_pct = _divide(criterion_sum, criterion_n)
    field_sum = np.nan_to_num(criterion_pct) @ to_field
    field_n = (criterion_n > 0).astype(float) @ to_field
    field_share = _divide(field_sum, field_n)
    field_has = (field_n > 0).astype(float)
    index_share = _divide(
        (weights * np.nan_to_num(field_share)).sum(axis=-1), (weights * field_has).sum(axis=-1)
    )
    max_points = np.where(field_has.sum(axis=-1) > 0, edition.total_points, 0.0)
    total = np.clip(
        np.nan_to_num(index_share) * edition.total_points + bonus - penalty, 0.0, max_points
    )
    return _divide(total, max_points) * 100, total
