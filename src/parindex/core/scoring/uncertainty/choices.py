"""The uncertain choices of a rank: survey sampling (replicate draws of the survey-sourced
components) and the methodological options an edition declares (field weights, rounding, N/A
rule, survey scoring); option 0 of each is what the edition publishes with."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parindex.core.methodology import NotApplicableRule

Array = NDArray[np.float64]
Ints = NDArray[np.int64]

SURVEY = "survey_sampling"
FIELD_WEIGHTS = "field_weights"
ROUNDING = "rounding"
NOT_APPLICABLE = "not_applicable"
SURVEY_AGGREGATION = "survey_aggregation"
DECLARED = "declared"
"""The variant name of the edition's own survey scoring."""

NA_CODES = {NotApplicableRule.RESCALE: 0, NotApplicableRule.ZERO: 1, NotApplicableRule.FULL: 2}


@dataclass(frozen=True, eq=False)
class SurveyDraws:
    """Replicate points of survey-sourced components: variant → replicates × units × nodes, NaN
    where a node is not drawn (it keeps the unit's points). ``declared`` is the edition's own
    scoring; other variants are the alternatives its ``survey_aggregation`` names."""

    points: Mapping[str, Array]

    @property
    def replicates(self) -> int:
        return int(next(iter(self.points.values())).shape[0])


@dataclass(frozen=True)
class Choice:
    """One uncertain choice and its options; option 0 is what the edition publishes with."""

    name: str
    options: tuple[str, ...]
