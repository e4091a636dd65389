"""The rounds a component is scored in, and which round's score stands.

A unit scores itself; appraisers may change a score in two rounds; the appraisal council has
the last word. Survey-sourced components take their points from the survey. Every round's score
is kept; the standing score is the latest round's that has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum


class Round(StrEnum):
    SELF = "self"
    APPRAISAL_1 = "appraisal_1"
    APPRAISAL_2 = "appraisal_2"
    COUNCIL = "council"
    SURVEY = "survey"


STANDING_ORDER = (Round.SURVEY, Round.COUNCIL, Round.APPRAISAL_2, Round.APPRAISAL_1, Round.SELF)
"""Which round's score stands, first found first."""


def standing(rounds: Mapping[str, float | None]) -> float | None:
    """The score that stands among ``rounds`` (round → points, ``None`` when none was given).

    >>> standing({"self": 2.0, "appraisal_1": 1.5})
    1.5
    >>> standing({"self": 2.0, "appraisal_1": None}) is None
    False
    >>> standing({}) is None
    True
    """
    for round_ in STANDING_ORDER:
        points = rounds.get(round_)
        if points is not None:
            return points
    return None


def claimed(rounds: Mapping[str, float | None], from_survey: bool) -> float | None:
    """What the unit itself claims: its self score, or for a survey-sourced component the
    survey's points (the unit does not score those).

    >>> claimed({"self": 2.0, "appraisal_1": 1.0}, from_survey=False)
    2.0
    >>> claimed({"survey": 3.5}, from_survey=True)
    3.5
    """
    return rounds.get(Round.SURVEY if from_survey else Round.SELF)
