"""Year on year: change in %, rank and group, per index and per field, only where comparable.

A field is compared with the field it ``replaces`` in the previous edition, and only when the
edition diff finds it comparable; otherwise it is reported "not comparable" rather than shown as
a rise or a fall. Rank changes are positive for a climb: 33rd → 12th is +21.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from parindex.core.methodology import EditionDiff
from parindex.core.scoring.rounding import round_half_up
from parindex.core.scoring.scoretable import ScoreTable


@dataclass(frozen=True)
class PreviousResult:
    """What a previous year's published table says about one unit."""

    unit: str
    index_pct: float | None
    rank: int | None
    group: str = ""
    field_pct: Mapping[str, float | None] | None = None
    field_rank: Mapping[str, int | None] | None = None


@dataclass(frozen=True)
class Movement:
    node: str
    """``index`` or a field id."""
    now_pct: float | None
    before_pct: float | None
    now_rank: int | None
    before_rank: int | None
    comparable: bool

    @property
    def delta_pct(self) -> float | None:
        if not self.comparable or self.now_pct is None or self.before_pct is None:
            return None
        return float(round_half_up(np.array([self.now_pct - self.before_pct]), 2)[0])

    @property
    def delta_rank(self) -> int | None:
        if not self.comparable or self.now_rank is None or self.before_rank is None:
            return None
        return self.before_rank - self.now_rank


@dataclass(frozen=True)
class UnitChange:
    unit: str
    index: Movement
    group_now: str
    group_before: str
    fields: tuple[Movement, ...]

    def biggest(self, direction: int, count: int = 3) -> tuple[Movement, ...]:
        """The fields that fell most (``direction=-1``) or rose most (``+1``), comparable only."""
        moved = [m for m in self.fields if m.delta_pct is not None and m.delta_pct * direction > 0]
        return tuple(sorted(moved, key=lambda m: -abs(m.delta_pct or 0.0))[:count])


def previous_from_table(table: ScoreTable) -> dict[str, PreviousResult]:
    return {
        r.unit: PreviousResult(r.unit, r.index_pct, r.rank, r.group, r.field_pct, r.field_rank)
        for r in table.results
    }


def year_on_year(
    current: ScoreTable, previous: Mapping[str, PreviousResult], diff: EditionDiff | None = None
) -> tuple[UnitChange, ...]:
    """Each unit's movements against ``previous``; ``diff`` links fields across editions
    (``None``: the same edition, every field compared with itself)."""
    links = {f: f for f in current.field_ids} if diff is None else diff.links
    changes = []
    for result in current.results:
        before = previous.get(result.unit)
        index = Movement(
            "index",
            result.index_pct,
            before.index_pct if before else None,
            result.rank,
            before.rank if before else None,
            before is not None,
        )
        fields = []
        for field_id in current.field_ids:
            old = links.get(field_id)
            comparable = (
                before is not None
                and old is not None
                and (diff is None or diff.is_comparable(field_id))
            )
            fields.append(
                Movement(
                    field_id,
                    result.field_pct[field_id],
                    (before.field_pct or {}).get(old) if before and old else None,
                    result.field_rank[field_id],
                    (before.field_rank or {}).get(old) if before and old else None,
                    comparable,
                )
            )
        changes.append(
            UnitChange(
                result.unit, index, result.group, before.group if before else "", tuple(fields)
            )
        )
    return tuple(changes)
