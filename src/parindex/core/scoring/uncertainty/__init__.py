"""Rank intervals: how sure a published rank is, given the survey's sampling error and the
methodological choices an edition declares as uncertain.

Each replicate recomputes the whole index for every unit at once: survey-sourced components
take their replicate estimates (replicate draws of the survey), and each declared choice (field
weights, rounding, N/A rule, survey scoring) takes one of its options. The replicates are
arrays of replicates × units × components; nothing loops over units or replicates. Per unit
come the median rank, a 90 % interval and the probability of each group; between two years,
the probability that the unit really moved.

- ``choices``: the choices and their option names, the survey's replicate draws;
- ``replicate_index``: the aggregation arithmetic on replicates × units × components;
- ``recomputation``: the model of a points table, evaluated for many scenarios, and the draw
  of those scenarios;
- ``intervals``: the rank interval summary per unit;
- ``movement``: whether a change between two years is real.

The names below are the package's interface; importing them from here keeps working whatever
module holds them.
"""

from parindex.core.scoring.ranking import replicate_ranks
from parindex.core.scoring.uncertainty.choices import (
    DECLARED,
    FIELD_WEIGHTS,
    NOT_APPLICABLE,
    ROUNDING,
    SURVEY,
    SURVEY_AGGREGATION,
    Choice,
    SurveyDraws,
)
from parindex.core.scoring.uncertainty.intervals import RankIntervals, rank_intervals, summarise
from parindex.core.scoring.uncertainty.movement import Movement, movements
from parindex.core.scoring.uncertainty.recomputation import (
    Evaluated,
    Model,
    draw_scenarios,
    model_of,
)

__all__ = [
    "DECLARED",
    "FIELD_WEIGHTS",
    "NOT_APPLICABLE",
    "ROUNDING",
    "SURVEY",
    "SURVEY_AGGREGATION",
    "Choice",
    "Evaluated",
    "Model",
    "Movement",
    "RankIntervals",
    "SurveyDraws",
    "draw_scenarios",
    "model_of",
    "movements",
    "rank_intervals",
    "replicate_ranks",
    "summarise",
]
