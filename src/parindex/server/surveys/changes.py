"""Change since the previous year's survey: for every domain and node estimated in both years,
the difference with its standard error from the two years' designs (``core.surveys.change``)
and whether it is significant at 95 %. Both years' estimates are the stored ones
(``surveys.computed``), so the comparison costs no recomputation."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from parindex.core.surveys.change import Change, changes
from parindex.server.surveys.computed import survey_results
from parindex.server.surveys.estimates import ResultRow
from parindex.server.surveys.models import Survey


def _family(edition: str) -> str:
    return edition.split("/", 1)[0]


def previous_survey(survey: Survey) -> Survey | None:
    """The latest survey of the same index run by the same unit (or nationally) that opened
    in the year before this one."""
    earlier = (
        Survey.objects.filter(unit=survey.unit, opens_at__year=survey.opens_at.year - 1)
        .exclude(pk=survey.pk)
        .order_by("-opens_at")
    )
    return next((s for s in earlier if _family(s.edition) == _family(survey.edition)), None)


@dataclass(frozen=True)
class _Estimates:
    """Stored result rows as ``core.surveys.change`` reads them (domains × nodes, in %)."""

    domains: tuple[str, ...]
    variables: tuple[str, ...]
    estimate: NDArray[np.float64]
    se: NDArray[np.float64]


def _estimates(rows: list[ResultRow]) -> _Estimates:
    domains = tuple(sorted({r.domain for r in rows}))
    nodes = tuple(sorted({r.node for r in rows}))
    estimate = np.full((len(domains), len(nodes)), np.nan)
    se = np.full_like(estimate, np.nan)
    d_of, n_of = {d: i for i, d in enumerate(domains)}, {n: j for j, n in enumerate(nodes)}
    for row in rows:
        if row.n:  # a domain without responses has no estimate
            estimate[d_of[row.domain], n_of[row.node]] = row.estimate
            se[d_of[row.domain], n_of[row.node]] = row.se
    return _Estimates(domains, nodes, estimate, se)


@dataclass(frozen=True)
class YearOnYear:
    previous: Survey | None
    changes: dict[tuple[str, str], Change] = field(default_factory=dict)
    """(domain, node) → the change in points of %, current minus previous."""


def year_on_year(survey: Survey) -> YearOnYear:
    before = previous_survey(survey)
    if before is None:
        return YearOnYear(None)
    found = changes(
        _estimates(survey_results(survey).rows), _estimates(survey_results(before).rows)
    )
    return YearOnYear(before, {(c.domain, c.variable): c for c in found})
