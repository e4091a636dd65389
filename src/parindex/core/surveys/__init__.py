"""Surveys: design-based estimation equal to R's ``survey`` (questionnaires, sampling and weights
come in later work)."""

from parindex.core.surveys.design import DesignError, Stage, SurveyDesign, codes
from parindex.core.surveys.estimate import Estimates, estimate
from parindex.core.surveys.intervals import Method, interval

__all__ = [
    "DesignError",
    "Estimates",
    "Method",
    "Stage",
    "SurveyDesign",
    "codes",
    "estimate",
    "interval",
]
