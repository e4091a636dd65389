"""Surveys: design-based estimation equal to R's ``survey``, and survey scores for editions.

The scores are loaded on first use (PEP 562): ``parindex survey estimate`` imports the design
and the estimator without the methodology package that ``scores`` needs. The estimator is
imported here (the function ``estimate`` must not be shadowed by its module of that name).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from parindex.core.surveys.design import DesignError, Stage, SurveyDesign, codes
from parindex.core.surveys.estimate import Estimates, design_effect, estimate
from parindex.core.surveys.intervals import Method, interval

if TYPE_CHECKING:
    from parindex.core.surveys.scores import (
        component_points,
        respondent_scores,
        survey_estimates,
    )

_HOMES = {
    "component_points": "scores",
    "respondent_scores": "scores",
    "survey_estimates": "scores",
}

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


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'parindex.core.surveys' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"parindex.core.surveys.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
