"""A survey's design-based estimates: the design as drawn, the analysis weights (non-response
adjustment, raking), the answers by methodology node, and the estimates with their intervals
(``core.surveys``, equal to R's ``survey``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import cast

import numpy as np
from django.utils.translation import gettext as _

from parindex.core.methodology import Aggregation, Edition, load_shipped
from parindex.core.surveys import (
    SurveyDesign,
    codes,
    component_points,
    interval,
    survey_estimates,
)
from parindex.core.surveys.design import LonelyPsu
from parindex.core.surveys.questionnaire import (
    Questionnaire,
    load_questionnaire,
    shipped_questionnaires,
)
from parindex.core.surveys.weights import adjusted_for_nonresponse, design_weights, rake
from parindex.server.surveys import labels
from parindex.server.surveys.models import Response, SampledUnit, Survey


def lonely_policy(survey: Survey) -> LonelyPsu:
    """The survey's lonely-PSU setting (one of the model field's choices)."""
    return cast("LonelyPsu", survey.lonely_psu)


def design_of(
    units: list[SampledUnit], weights: np.ndarray | None = None, lonely_psu: LonelyPsu = "fail"
) -> SurveyDesign:
    """The design as drawn: strata, clusters by stage and the fpc of every stage up to the first
    without one (after a PPS stage variance is estimated as with replacement, as R does).

    ``units`` are all the units drawn, answered or not, so that the numbers of clusters sampled
    (the fpc's n) are those of the draw; ``weights`` are the analysis weights (0 for a unit
    that did not answer)."""
    stages = len(units[0].clusters)
    fpc = []
    for k in range(stages):
        counts = [u.population[k] if k < len(u.population) else None for u in units]
        if any(c is None for c in counts):
            break
        fpc.append([float(c) for c in counts if c is not None])
    return SurveyDesign.from_columns(
        len(units),
        weights=weights,
        strata=[u.stratum for u in units],
        clusters=[[str(u.clusters[k]) for u in units] for k in range(stages)],
        fpc=fpc,
        lonely_psu=lonely_psu,
    )


def analysis_weights(
    survey: Survey, units: list[SampledUnit], answers: list[dict[str, object] | None]
) -> np.ndarray:
    """Weights of the estimates: 1 ÷ the inclusion probability of the draw, then the survey's
    non-response adjustment, then raking to the survey's margins if it has any. A unit that did
    not answer (``None``) weighs 0."""
    responded = np.array([a is not None for a in answers])
    drawn = design_weights([u.inclusion_probability for u in units])
    stratum = codes([u.stratum for u in units])
    depth = len(units[0].clusters)
    # The cluster a unit was drawn in: the last stage, unless that stage is the unit itself.
    last = depth
    if depth and len({tuple(u.clusters) for u in units}) == len(units):
        last = depth - 1
    levels = {
        "cluster": [
            codes([f"{u.stratum}/{u.clusters[:k]}" for u in units]) for k in range(last, 0, -1)
        ]
        + [stratum],
        "stratum": [stratum],
        "none": [],
    }[survey.nonresponse_adjustment]
    weights = adjusted_for_nonresponse(drawn, responded, levels)
    margins = []
    for question, totals in (survey.raking_margins or {}).items():
        categories = {str(answer): k for k, answer in enumerate(totals)}
        given = [str((a or {}).get(question, "")) for a in answers]
        # Non-respondents weigh 0: their category does not matter to the margins.
        unknown = sorted({g for g, r in zip(given, responded, strict=True) if r} - set(categories))
        if unknown:
            raise ValueError(
                _("raking margin '%(question)s' has no total for the answer '%(answer)s'")
                % {"question": question, "answer": unknown[0]}
            )
        row_codes = np.array([categories.get(g, 0) for g in given], dtype=np.int64)
        margins.append((row_codes, {k: float(totals[answer]) for answer, k in categories.items()}))
    return rake(weights, margins) if margins else weights


@dataclass(frozen=True)
class ResultRow:
    domain: str
    node: str
    estimate: float
    se: float
    low: float
    high: float
    n: int
    points: float | None = None
    """For a PAR survey component: the points it gives (maximum × score)."""


def respondents_of(survey: Survey) -> labels.Respondents:
    """Households, officials …: who the survey's questionnaire is answered by."""
    return labels.respondents(_respondent_group(survey.questionnaire))


@functools.lru_cache(maxsize=32)
def _respondent_group(questionnaire: str) -> str:
    # Shipped questionnaires do not change while the site runs; reading one takes ~10 ms.
    try:
        return questionnaire_of(Survey(questionnaire=questionnaire)).respondent_group
    except ValueError:
        return ""


def questionnaire_of(survey: Survey) -> Questionnaire:
    path = shipped_questionnaires().get(survey.questionnaire)
    report = load_questionnaire(path) if path else None
    if report is None or report.value is None:
        raise ValueError(_("questionnaire '%(id)s' does not load") % {"id": survey.questionnaire})
    return report.value


@dataclass(frozen=True)
class Prepared:
    """What every estimate of a survey starts from: its edition, the design as drawn with the
    analysis weights, each node's answers and each row's domain."""

    edition: Edition
    design: SurveyDesign
    answers: dict[str, np.ndarray]
    labels: tuple[str, ...]
    domains: np.ndarray


def prepared(survey: Survey) -> Prepared | None:
    """The survey's design, answers by methodology node and domains; None before any response.

    Weighted as drawn (1 ÷ inclusion probability, fpc from the numbers drawn), adjusted for
    non-response as the survey says, raked where it has margins."""
    edition = load_shipped(survey.edition).value
    if edition is None:
        raise ValueError(f"edition {survey.edition} does not load")
    units = list(survey.sample.order_by("position"))
    counted = dict(Response.objects.filter(unit__survey=survey).values_list("unit_id", "answers"))
    if not units or not counted:
        return None
    answered: list[dict[str, object] | None] = [counted.get(u.pk) for u in units]
    design = design_of(units, analysis_weights(survey, units, answered), lonely_policy(survey))
    questionnaire = questionnaire_of(survey)
    # Answers are kept by question; the estimates need them by methodology node.
    question_of = {q.node: q.id for q in questionnaire.questions() if q.node}
    answers = {
        node: np.array([(a or {}).get(question, "") for a in answered], dtype=object)
        for node, question in question_of.items()
    }
    labels = sorted({u.domain for u in units})
    position = {label: k for k, label in enumerate(labels)}
    domains = np.array([position[u.domain] for u in units])
    return Prepared(edition, design, answers, tuple(labels), domains)


def results(survey: Survey, level: float = 0.95) -> list[ResultRow]:
    """Estimates of every scored node and level of the survey's edition, by domain, as %
    (the design of ``prepared``). A domain without any response is listed with n = 0 and no
    estimate."""
    ready = prepared(survey)
    if ready is None:
        return []
    edition, labels = ready.edition, ready.labels
    estimates = survey_estimates(ready.design, ready.answers, edition, ready.domains, labels)
    low, high = interval(
        "logit", estimates.estimate, estimates.se, n=estimates.n, df=estimates.df, level=level
    )
    points = (
        component_points(estimates, edition) if edition.aggregation is not Aggregation.MEAN else {}
    )
    return [
        ResultRow(
            domain,
            node,
            100 * estimates.estimate[d, j],
            100 * estimates.se[d, j],
            100 * low[d, j],
            100 * high[d, j],
            int(estimates.n[d, j]),
            points.get(domain, {}).get(node),
        )
        for d, domain in enumerate(labels)
        for j, node in enumerate(estimates.variables)
    ]
