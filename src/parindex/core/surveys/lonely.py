"""Lonely PSUs: strata of a stage in which only one cluster was sampled (or answered).

Their variance cannot be estimated from within the stratum; R's ``survey`` then applies the
design's ``survey.lonely.psu`` policy ("adjust": centre the lonely cluster at the grand mean;
"remove"/"certainty": count nothing for it). The estimates that the policy touched are those
of the domains with rows in such a stratum, at a stage that adds variance.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from parindex.core.surveys.design import SurveyDesign

POLICIES = ("adjust", "certainty", "remove")
"""The policies a survey may choose: each gives an estimate (R's "fail" would give none)."""


@dataclass(frozen=True, eq=False)
class LonelyStratum:
    """One stratum of one stage with a single sampled cluster."""

    stage: int
    """1 for the first stage (strata of the design), 2 for clusters within a PSU, …"""
    rows: NDArray[np.int64]
    """The rows (respondents) in the stratum."""


def lonely_strata(design: SurveyDesign) -> list[LonelyStratum]:
    """The strata whose variance the lonely-PSU policy decides, in the order of the stages.

    A stratum counts when it holds one cluster and is not self-representing (fpc not equal to
    the sample), at a stage that adds variance: the first, and later ones only under an fpc
    of every stage above (as ``estimate`` and R's ``multistage`` recurse).
    """
    found: list[LonelyStratum] = []
    for level, stage in enumerate(design.stages):
        if level > 0 and not np.any(stage.factor > 0):
            break
        finite = np.isfinite(stage.population)
        fraction = np.ones_like(stage.sampled)
        fraction[finite] = (stage.population[finite] - stage.sampled[finite]) / stage.population[
            finite
        ]
        lonely = (stage.sampled == 1) & (fraction > 1e-7) & (stage.factor > 0)
        for stratum in np.unique(stage.strata[lonely]):
            rows = np.flatnonzero(lonely & (stage.strata == stratum)).astype(np.int64)
            found.append(LonelyStratum(level + 1, rows))
    return found
