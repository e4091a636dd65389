"""Surveys: design-based estimation equal to R's ``survey``, and survey scores for editions."""

from parindex.core.surveys.design import DesignError, Stage, SurveyDesign, codes
from parindex.core.surveys.estimate import Estimates, design_effect, estimate
from parindex.core.surveys.intervals import Method, interval
from parindex.core.surveys.scores import component_points, respondent_scores, survey_estimates

__all__ = [
    "DesignError",
    "Estimates",
    "Method",
    "Stage",
    "SurveyDesign",
    "codes",
    "component_points",
    "design_effect",
    "estimate",
    "interval",
    "respondent_scores",
    "survey_estimates",
]
