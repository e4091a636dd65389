"""What a page reads of a cycle's stored rank intervals (``certainty``): per unit its rank,
median, 90 % interval as a bar on the rank axis, the share of each group, the one-at-a-time
sentences as message codes and its change since the previous cycle; or why there are none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class UnitMove:
    """``core.scoring.uncertainty.Movement`` against the previous cycle's replicates."""

    previous_year: int
    delta_rank: int | None
    """Places climbed (positive) or lost (negative)."""
    p_real: float | None
    """Share of paired replicates that moved the same way; None without a change of place."""
    delta_pct: float | None
    p_pct_real: float | None

    @property
    def p_real_pct(self) -> float | None:
        return None if self.p_real is None else 100 * self.p_real

    @property
    def p_pct_real_pct(self) -> float | None:
        return None if self.p_pct_real is None else 100 * self.p_pct_real


@dataclass(frozen=True)
class UnitInterval:
    rank: int
    median: int
    low: int
    high: int
    ranked_of: int
    p_top: float | None
    """Share of replicates in the top group (A); None without a grading scale."""
    groups: tuple[tuple[str, float], ...] = ()
    """Each group's code and share of replicates, best first."""
    statements: tuple[tuple[str, dict[str, str | int]], ...] = ()
    """One-at-a-time sensitivity: ``core.scoring.sensitivity`` message codes and parameters."""
    move: UnitMove | None = None
    """The change since the previous cycle of the index determined here, and how sure it is."""

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

    @property
    def previous_rank(self) -> int | None:
        """The published rank in the previous cycle, when ranked in both."""
        if self.move is None or self.move.delta_rank is None:
            return None
        return self.rank + self.move.delta_rank


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


def interval_from(row: dict[str, Any], payload: dict[str, Any]) -> UnitInterval:
    """A unit's interval as stored in ``StoredCertainty.payload``."""
    move = row.get("move")
    year = payload.get("previous_year")
    return UnitInterval(
        rank=row["rank"],
        median=row["median"],
        low=row["low"],
        high=row["high"],
        ranked_of=row["ranked_of"],
        p_top=row["p_top"],
        groups=tuple((code, share) for code, share in row.get("groups", ())),
        statements=tuple((code, params) for code, params in row.get("statements", ())),
        move=UnitMove(previous_year=year, **move) if move and year else None,
    )
