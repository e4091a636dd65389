"""A unit's survey results on its public profile: the design-based estimates of every closed
survey with a domain standing for the unit, with their 95 % intervals (the estimates the surveys
app stores per data version: ``surveys.computed``, equal to R's ``survey``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import get_language

from parindex.core.methodology.shipped import load_shipped
from parindex.core.results.published import fold_name
from parindex.core.surveys.scores import INDEX
from parindex.server.accounts.models import Unit
from parindex.server.surveys import computed
from parindex.server.surveys.models import SampledUnit, Survey


@dataclass(frozen=True)
class Estimate:
    node: str
    name: str
    estimate: float
    low: float
    high: float
    se: float
    n: int
    headline: bool
    """The index and the fields; criteria and items are listed below them."""


@dataclass(frozen=True)
class UnitSurvey:
    slug: str
    name: str
    closes_at: datetime
    synthetic: bool
    domain: str
    lonely: bool
    """The survey's lonely-PSU policy decided this domain's standard errors."""
    estimates: list[Estimate]

    @property
    def headline(self) -> list[Estimate]:
        return [e for e in self.estimates if e.headline]

    @property
    def details(self) -> list[Estimate]:
        return [e for e in self.estimates if not e.headline]


def _domain_of(survey: Survey, unit: Unit) -> str | None:
    """The survey's domain standing for ``unit``: its ref, code or name (accents, "Tỉnh",
    "Thành phố" aside)."""
    names = {fold_name(n) for n in (unit.name_vi, unit.name_en) if n}
    domains = SampledUnit.objects.filter(survey=survey).values_list("domain", flat=True)
    for domain in sorted(set(domains)):
        if domain in (unit.ref, unit.code) or fold_name(domain) in names:
            return domain
    return None


def unit_surveys(unit: Unit) -> list[UnitSurvey]:
    """The unit's estimates from every closed survey (while a survey runs its estimates move
    every day and are not published), newest first."""
    english = get_language() == "en"
    found = []
    closed = Survey.objects.filter(closes_at__lte=timezone.now()).order_by("-closes_at", "slug")
    for survey in closed:
        domain = _domain_of(survey, unit)
        if domain is None:
            continue
        results = computed.survey_results(survey)
        rows = [r for r in results.rows if r.domain == domain and not math.isnan(r.estimate)]
        if not rows:
            continue
        edition = load_shipped(survey.edition).value
        names = edition.names(english) if edition else {}
        fields = {f.id for f in edition.fields} if edition else set()
        index_name = ""
        if edition is not None:
            index_name = edition.title_en if english and edition.title_en else edition.title_vi
        headline_ids = {INDEX, *fields}
        order = {node: k for k, node in enumerate([INDEX, *names])}
        rows.sort(key=lambda r: order.get(r.node, len(order)))
        found.append(
            UnitSurvey(
                survey.slug,
                survey.name,
                survey.closes_at,
                survey.synthetic,
                domain,
                domain in results.affected,
                [
                    Estimate(
                        r.node,
                        index_name if r.node == INDEX else names.get(r.node, r.node),
                        r.estimate,
                        r.low,
                        r.high,
                        r.se,
                        r.n,
                        r.node in headline_ids or not headline_ids & {x.node for x in rows},
                    )
                    for r in rows
                ],
            )
        )
    return found
