"""From answers to an edition's survey scores: SIPAS indices and PAR survey component points.

Each respondent's answer to a scored item becomes a score in [0, 1] by the item's
``survey_mapping`` rule (1 for "satisfied"/"very satisfied" under ``top_share``; 1/0.6/0.2/0 for
A/B/C/D under ``answer_weights``). The estimate of an item is the weighted mean of those scores;
in a mean-aggregated edition (SIPAS) a group is the mean of its items, a content the mean of its
groups and the index the mean of its contents, each with its exact linearised standard error.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from parindex.core.methodology import Aggregation, Edition
from parindex.core.methodology.rules import SurveyMappingRule
from parindex.core.surveys.design import SurveyDesign
from parindex.core.surveys.estimate import Estimates, estimate

INDEX = "index"


def respondent_scores(rule: SurveyMappingRule, answers: NDArray[np.object_]) -> NDArray[np.float64]:
    """Each answer's score in [0, 1]; NaN for no answer (and, under answer weights, an answer
    the rule does not weigh, such as "don't know").

    >>> rule = SurveyMappingRule(kind="survey_mapping", method="top_share", answers=("4", "5"))
    >>> respondent_scores(rule, np.array(["5", "3", "", None, 4], dtype=object)).tolist()
    [1.0, 0.0, nan, nan, 1.0]
    """
    text = np.array(["" if a is None else str(a).strip() for a in answers], dtype=object)
    missing = (text == "") | (text == "nan") | (text == "NA")
    if rule.method == "top_share":
        scores = np.isin(text, list(rule.answers)).astype(float)
    else:
        scores = np.array([rule.weights.get(t, np.nan) for t in text], dtype=float)
    scores[missing] = np.nan
    return scores


def survey_estimates(
    design: SurveyDesign,
    answers: Mapping[str, NDArray[np.object_]],
    edition: Edition,
    domains: NDArray[np.int64] | None = None,
    domain_labels: tuple[str, ...] = ("all",),
) -> Estimates:
    """Scores of the edition's survey-sourced nodes, as shares in [0, 1], by domain.

    In a mean-aggregated edition (SIPAS) every survey node needs answers and the result also
    has every criterion, field and ``index`` (the nodes listed in that order); otherwise the
    nodes answered are estimated. ``answers`` maps a node id to each respondent's answer.
    """
    rules = {
        n.id: n.rule for _f, _c, n in edition.scored() if isinstance(n.rule, SurveyMappingRule)
    }
    if edition.aggregation is not Aggregation.MEAN:
        # A PAR survey has one questionnaire per respondent group, each scoring some components.
        rules = {node: rule for node, rule in rules.items() if node in answers}
    missing = [node for node in rules if node not in answers]
    if missing:
        raise KeyError(f"no answers for survey nodes {missing[:5]}")
    y = np.column_stack([respondent_scores(rule, answers[node]) for node, rule in rules.items()])
    names = list(rules)
    combine = np.eye(len(rules))
    if edition.aggregation is Aggregation.MEAN:
        index = {node_id: i for i, node_id in enumerate(names)}
        columns, labels = [], []
        field_columns = []
        for field in edition.fields:
            criterion_columns = []
            for criterion in field.criteria:
                column = np.zeros(len(rules))
                members = [index[n.id] for n in criterion.scored() if n.id in index]
                column[members] = 1 / len(members)
                criterion_columns.append(column)
                columns.append(column)
                labels.append(criterion.id)
            field_column = np.mean(criterion_columns, axis=0)
            field_columns.append(field_column)
            columns.append(field_column)
            labels.append(field.id)
        columns.append(np.mean(field_columns, axis=0))
        labels.append(INDEX)
        combine = np.column_stack([combine, *columns])
        names += labels
    return estimate(
        design,
        y,
        domains=domains,
        domain_labels=domain_labels,
        variables=tuple(names),
        combine=combine,
    )


def component_points(scores: Estimates, edition: Edition) -> dict[str, dict[str, float]]:
    """Points per domain and survey component: the component's maximum × its estimated score."""
    maxima = {n.id: n.max_points for _f, _c, n in edition.scored()}
    return {
        domain: {
            node: float(maxima[node] * scores.estimate[d, j])
            for j, node in enumerate(scores.variables)
            if node in maxima and not np.isnan(scores.estimate[d, j])
        }
        for d, domain in enumerate(scores.domains)
    }
