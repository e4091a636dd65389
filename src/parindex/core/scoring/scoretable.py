"""The score table: every unit's points, percentages, rank and group, with its provenance.

``compute`` is the one entry point: points in, an immutable :class:`ScoreTable` out. The table
carries the hash of its inputs and the parameters used, so a published table can be recomputed
and checked bit for bit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from parindex.core.scoring.aggregate import Aggregates, aggregate
from parindex.core.scoring.grading import grade
from parindex.core.scoring.points import PointsTable
from parindex.core.scoring.ranking import competition_ranks
from parindex.core.scoring.rounding import round_half_even, round_half_up

ENGINE_VERSION = "1"


@dataclass(frozen=True)
class Provenance:
    edition_id: str
    inputs_sha256: str
    parameters: dict[str, object]
    engine_version: str = ENGINE_VERSION


@dataclass(frozen=True)
class UnitResult:
    unit: str
    peer_group: str
    points: float
    max_points: float
    index_pct: float | None
    """``None`` when nothing in the edition applies to the unit."""
    rank: int | None
    ranked_of: int
    group: str
    field_pct: dict[str, float | None]
    field_rank: dict[str, int | None]

    @property
    def rank_label(self) -> str:
        """ "13/61" as published, or "—" for a unit not ranked."""
        return f"{self.rank}/{self.ranked_of}" if self.rank is not None else "—"


@dataclass(frozen=True, eq=False)
class ScoreTable:
    points_table: PointsTable
    aggregates: Aggregates
    index_pct: NDArray[np.float64]
    """Rounded as the edition says; ranks and groups use these."""
    field_pct: NDArray[np.float64]
    points: NDArray[np.float64]
    ranks: NDArray[np.int64]
    ranked_of: NDArray[np.int64]
    field_ranks: NDArray[np.int64]
    groups: tuple[str, ...]
    not_ranked: frozenset[str]
    provenance: Provenance = field(compare=False)

    def __post_init__(self) -> None:
        for array in (
            self.index_pct,
            self.field_pct,
            self.points,
            self.ranks,
            self.ranked_of,
            self.field_ranks,
        ):
            array.flags.writeable = False

    @property
    def units(self) -> tuple[str, ...]:
        return self.points_table.units

    @property
    def field_ids(self) -> tuple[str, ...]:
        return self.points_table.layout.field_ids

    @cached_property
    def results(self) -> tuple[UnitResult, ...]:
        fields = self.field_ids
        rows = []
        for i, unit in enumerate(self.units):
            rows.append(
                UnitResult(
                    unit=unit,
                    peer_group=self.points_table.peer_groups[i],
                    points=float(self.points[i]),
                    max_points=float(self.aggregates.max_points[i]),
                    index_pct=_maybe(self.index_pct[i]),
                    rank=int(self.ranks[i]) or None,
                    ranked_of=int(self.ranked_of[i]),
                    group=self.groups[i],
                    field_pct={f: _maybe(self.field_pct[i, j]) for j, f in enumerate(fields)},
                    field_rank={
                        f: int(self.field_ranks[i, j]) or None for j, f in enumerate(fields)
                    },
                )
            )
        return tuple(rows)

    def result(self, unit: str) -> UnitResult:
        return self.results[self.units.index(unit)]


def _maybe(value: np.floating) -> float | None:
    return None if np.isnan(value) else float(value)


def inputs_hash(table: PointsTable, not_ranked: frozenset[str]) -> str:
    digest = hashlib.sha256()
    digest.update(table.edition.model_dump_json().encode())
    digest.update(json.dumps([table.units, table.peer_groups, sorted(not_ranked)]).encode())
    for array in (table.points, table.not_applicable, table.excluded, table.bonus, table.penalty):
        digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def compute(table: PointsTable, not_ranked: Iterable[str] = ()) -> ScoreTable:
    """Score every unit of ``table``; units in ``not_ranked`` keep their scores but get no rank."""
    edition = table.edition
    excluded = frozenset(not_ranked)
    sums = aggregate(table)
    rounding = round_half_up if edition.rounding.mode == "half_up" else round_half_even
    decimals = edition.rounding.decimals
    index_pct = rounding(sums.index_pct, decimals)
    field_pct = rounding(sums.field_pct, decimals)
    points = rounding(sums.points, decimals)
    ranked = np.array([unit not in excluded for unit in table.units], dtype=bool)
    ranks, ranked_of = competition_ranks(index_pct, table.peer_groups, ranked)
    field_ranks = np.zeros(field_pct.shape, dtype=np.int64)
    for j in range(field_pct.shape[1]):
        field_ranks[:, j], _ = competition_ranks(field_pct[:, j], table.peer_groups, ranked)
    scale = edition.grading
    graded = index_pct if scale is None or scale.basis == "percent" else points
    provenance = Provenance(
        edition_id=edition.id,
        inputs_sha256=inputs_hash(table, excluded),
        parameters={
            "aggregation": edition.aggregation.value,
            "not_applicable": edition.not_applicable.value,
            "rounding": edition.rounding.model_dump(),
            "bonus_cap": edition.bonus_cap,
            "penalty_cap": edition.penalty_cap,
            "grading": scale.model_dump(mode="json") if scale else None,
        },
    )
    return ScoreTable(
        points_table=table,
        aggregates=sums,
        index_pct=index_pct,
        field_pct=field_pct,
        points=points,
        ranks=ranks,
        ranked_of=ranked_of,
        field_ranks=field_ranks,
        groups=grade(scale, graded),
        not_ranked=excluded,
        provenance=provenance,
    )
