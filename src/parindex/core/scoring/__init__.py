"""Scoring: component points → index %, ranks, groups, year-on-year change and "why".

Pure, vectorised functions over all units at once (numpy). ``compute`` turns a validated
:class:`PointsTable` into an immutable :class:`ScoreTable` that carries its provenance.
"""

from parindex.core.scoring.compare import (
    Movement,
    PreviousResult,
    UnitChange,
    previous_from_table,
    year_on_year,
)
from parindex.core.scoring.points import BONUS, PENALTY, PointsRow, PointsTable, points_from_rows
from parindex.core.scoring.ranking import competition_ranks
from parindex.core.scoring.rounding import round_half_up
from parindex.core.scoring.scoretable import Provenance, ScoreTable, UnitResult, compute
from parindex.core.scoring.summary import Summary, summarise
from parindex.core.scoring.why import Shortfall, UnitWhy, WhyTable, why

__all__ = [
    "BONUS",
    "PENALTY",
    "Movement",
    "PointsRow",
    "PointsTable",
    "PreviousResult",
    "Provenance",
    "ScoreTable",
    "Shortfall",
    "Summary",
    "UnitChange",
    "UnitResult",
    "UnitWhy",
    "WhyTable",
    "competition_ranks",
    "compute",
    "points_from_rows",
    "previous_from_table",
    "round_half_up",
    "summarise",
    "why",
    "year_on_year",
]
