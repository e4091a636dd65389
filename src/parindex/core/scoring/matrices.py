"""An edition's tree as matrices, so every level is a matrix product over all units at once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parindex.core.methodology import Edition
from parindex.core.units import UnitKind


@dataclass(frozen=True, eq=False)
class Layout:
    edition: Edition
    node_ids: tuple[str, ...]
    """Scored nodes (components, or criteria scored themselves), in edition order."""
    criterion_ids: tuple[str, ...]
    field_ids: tuple[str, ...]
    max_points: NDArray[np.float64]
    node_to_criterion: NDArray[np.float64]
    """k × c membership: 1 where scored node i belongs to criterion j."""
    criterion_to_field: NDArray[np.float64]
    applies_to: tuple[frozenset[UnitKind], ...]
    """Per scored node: the unit kinds it applies to (empty: all)."""

    @property
    def node_index(self) -> dict[str, int]:
        return {node_id: i for i, node_id in enumerate(self.node_ids)}

    def applicability(self, kinds: tuple[UnitKind | None, ...]) -> NDArray[np.bool_]:
        """u × k: whether each scored node applies to each unit's kind (unknown kind: all)."""
        table = np.ones((len(kinds), len(self.node_ids)), dtype=bool)
        for j, allowed in enumerate(self.applies_to):
            if allowed:
                table[:, j] = [kind is None or kind in allowed for kind in kinds]
        return table


def layout_of(edition: Edition) -> Layout:
    node_ids: list[str] = []
    maxima: list[float] = []
    applies: list[frozenset[UnitKind]] = []
    node_criterion: list[int] = []
    criterion_ids: list[str] = []
    criterion_field: list[int] = []
    for f_index, field in enumerate(edition.fields):
        for criterion in field.criteria:
            c_index = len(criterion_ids)
            criterion_ids.append(criterion.id)
            criterion_field.append(f_index)
            for node in criterion.scored():
                node_ids.append(node.id)
                maxima.append(node.max_points)
                applies.append(frozenset(node.applies_to))
                node_criterion.append(c_index)
    to_criterion = np.zeros((len(node_ids), len(criterion_ids)))
    to_criterion[np.arange(len(node_ids)), node_criterion] = 1.0
    to_field = np.zeros((len(criterion_ids), len(edition.fields)))
    to_field[np.arange(len(criterion_ids)), criterion_field] = 1.0
    return Layout(
        edition=edition,
        node_ids=tuple(node_ids),
        criterion_ids=tuple(criterion_ids),
        field_ids=tuple(f.id for f in edition.fields),
        max_points=np.array(maxima, dtype=float),
        node_to_criterion=to_criterion,
        criterion_to_field=to_field,
        applies_to=tuple(applies),
    )
