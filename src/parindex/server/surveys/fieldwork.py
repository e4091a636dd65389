"""A survey's fieldwork as its managers follow it: progress, coverage by domain (where to send
reminders) and the counted responses with a data-quality flag."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from parindex.core.surveys.ballot import normalise
from parindex.core.surveys.quality import DEFAULT_THRESHOLDS, Flag, Thresholds, flags
from parindex.server.surveys.estimates import questionnaire_of
from parindex.server.surveys.models import Response, Survey


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


@dataclass(frozen=True)
class StratumCoverage:
    domain: str
    sampled: int
    counted: int
    kept_aside: int

    @property
    def response_rate(self) -> float:
        return 100 * self.counted / self.sampled if self.sampled else 0.0


def coverage(survey: Survey) -> list[StratumCoverage]:
    """Collection by domain (province), lowest response rate first: where to send reminders."""
    sampled = Counter(survey.sample.values_list("domain", flat=True))
    counted = Counter(
        Response.objects.filter(unit__survey=survey).values_list("unit__domain", flat=True)
    )
    issued = dict(survey.sample.values_list("code", "domain"))
    aside: Counter[str] = Counter()
    for code in survey.set_aside.values_list("code", flat=True):
        aside[issued.get(normalise(code) or "", "")] += 1
    rows = [StratumCoverage(d, n, counted[d], aside[d]) for d, n in sampled.items()]
    return sorted(rows, key=lambda r: (r.response_rate, r.domain))


@dataclass(frozen=True)
class FlaggedResponse:
    code: str
    domain: str
    channel: str
    flags: frozenset[Flag]


def quality(survey: Survey, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[FlaggedResponse]:
    """Counted responses with a data-quality flag, for the manager to review."""
    items = [q.id for q in questionnaire_of(survey).questions() if q.node]
    responses = list(
        Response.objects.filter(unit__survey=survey)
        .select_related("unit")
        .order_by("unit__position")
    )
    found = flags(
        [r.answers for r in responses],
        ["/".join(map(str, r.unit.clusters[:-1])) + f"@{r.unit.stratum}" for r in responses],
        items,
        thresholds,
    )
    return [
        FlaggedResponse(r.unit.code, r.unit.domain, r.channel, frozenset(f))
        for r, f in zip(responses, found, strict=True)
        if f
    ]
