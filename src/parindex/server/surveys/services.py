"""Survey intake and results: the transactions around ``core.surveys``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from parindex.core.methodology import load_shipped
from parindex.core.surveys import SurveyDesign, interval, survey_estimates
from parindex.core.surveys.ballot import Submission, Verdict, triage
from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires
from parindex.server.surveys.models import Response, SampledUnit, SetAside, Survey


@dataclass(frozen=True)
class IntakeReport:
    counted: int
    kept_aside: dict[str, int]


@transaction.atomic
def take_in(survey: Survey, submissions: Iterable[Submission]) -> IntakeReport:
    """Count each sampled unit's first valid submission; keep everything else aside with its
    reason. All or nothing: a failure half-way leaves the survey as it was."""
    issued = dict(survey.sample.values_list("code", "id"))
    used = list(
        SampledUnit.objects.filter(survey=survey, response__isnull=False).values_list(
            "code", flat=True
        )
    )
    responses, kept = [], []
    for result in triage(
        submissions, {code: str(pk) for code, pk in issued.items()}, survey.closes_at, used
    ):
        s = result.submission
        if result.verdict is Verdict.ACCEPTED:
            responses.append(
                Response(
                    unit_id=int(result.unit or 0),
                    channel=s.channel,
                    received_at=s.received_at,
                    answers=dict(s.answers),
                )
            )
        else:
            kept.append(
                SetAside(
                    survey=survey,
                    code=s.code[:40],
                    verdict=result.verdict.value,
                    reason=result.reason,
                    channel=s.channel,
                    received_at=s.received_at,
                    answers=dict(s.answers),
                )
            )
    # Bulk inserts inside the transaction: a national import is tens of thousands of rows, and
    # the unique constraint on Response.unit still refuses a second count of one household.
    Response.objects.bulk_create(responses, batch_size=2000)
    SetAside.objects.bulk_create(kept, batch_size=2000)
    counted, aside = len(responses), Counter(k.verdict for k in kept)
    return IntakeReport(counted, dict(aside))


@dataclass(frozen=True)
class ResultRow:
    domain: str
    node: str
    estimate: float
    se: float
    low: float
    high: float
    n: int


def results(survey: Survey, level: float = 0.95) -> list[ResultRow]:
    """Estimates of every scored node and level of the survey's edition, by domain, as %."""
    edition = load_shipped(survey.edition).value
    if edition is None:
        raise ValueError(f"edition {survey.edition} does not load")
    rows = list(
        Response.objects.filter(unit__survey=survey)
        .select_related("unit")
        .order_by("unit__position")
    )
    if not rows:
        return []
    units = [r.unit for r in rows]
    stages = len(units[0].clusters)
    design = SurveyDesign.from_columns(
        len(rows),
        strata=[u.stratum for u in units],
        clusters=[[u.clusters[k] for u in units] for k in range(stages)],
        fpc=[[float(u.population[k]) for u in units] for k in range(stages)],
    )
    questionnaire = load_questionnaire(shipped_questionnaires()[survey.questionnaire]).value
    if questionnaire is None:
        raise ValueError(f"questionnaire {survey.questionnaire} does not load")
    # Answers are kept by question; the estimates need them by methodology node.
    question_of = {q.node: q.id for q in questionnaire.questions() if q.node}
    answers = {
        node: np.array([r.answers.get(question, "") for r in rows], dtype=object)
        for node, question in question_of.items()
    }
    labels = sorted({u.domain for u in units})
    domains = np.array([labels.index(u.domain) for u in units])
    estimates = survey_estimates(design, answers, edition, domains, tuple(labels))
    low, high = interval(
        "logit", estimates.estimate, estimates.se, n=estimates.n, df=estimates.df, level=level
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
        )
        for d, domain in enumerate(labels)
        for j, node in enumerate(estimates.variables)
    ]


@dataclass(frozen=True)
class Progress:
    sampled: int
    counted: int
    kept_aside: int

    @property
    def response_rate(self) -> float:
        return 100 * self.counted / self.sampled if self.sampled else 0.0


def progress(survey: Survey) -> Progress:
    return Progress(
        sampled=survey.sample.count(),
        counted=Response.objects.filter(unit__survey=survey).count(),
        kept_aside=survey.set_aside.count(),
    )


def overview() -> list[tuple[Survey, Progress]]:
    return [(survey, progress(survey)) for survey in Survey.objects.order_by("-opens_at")]


_CACHE: dict[tuple[int, int, int], list[ResultRow]] = {}


def cached_results(survey: Survey) -> list[ResultRow]:
    """``results``, recomputed only when responses were added (a national survey takes seconds)."""
    latest = (
        Response.objects.filter(unit__survey=survey)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )
    key = (survey.pk, progress(survey).counted, latest)
    if key not in _CACHE:
        _CACHE.clear()
        _CACHE[key] = results(survey)
    return _CACHE[key]
