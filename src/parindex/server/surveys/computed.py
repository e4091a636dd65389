"""Estimates and quality flags stored once per change of a survey's data.

A national survey's estimates and flags take seconds to compute; its pages read them from a
``StoredComputation`` instead. Each stored value carries the fingerprint of what it was computed
from (the survey's settings, its data version, raised by every intake, and its row counts), so
an intake, a new setting or a new release makes it stale and the next visit recomputes it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib.metadata import version
from typing import Any

from parindex.core.surveys.lonely import lonely_strata
from parindex.server.surveys import estimates, fieldwork
from parindex.server.surveys.estimates import ResultRow
from parindex.server.surveys.fieldwork import FlaggedResponse, StratumCoverage
from parindex.server.surveys.models import Response, SampledUnit, StoredComputation, Survey

FLAGGED_SHOWN = 200
"""Flagged responses listed on the manager's page (the counts cover all of them)."""


def fingerprint(survey: Survey) -> str:
    """What stored computations depend on: every setting of the survey, its data version and
    row counts (read afresh from the database), and the software's version."""
    fields = Survey.objects.filter(pk=survey.pk).values().get()
    counts = (
        SampledUnit.objects.filter(survey=survey).count(),
        Response.objects.filter(unit__survey=survey).count(),
        survey.set_aside.count(),
    )
    text = json.dumps([fields, counts, version("parindex")], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _stored(survey: Survey, kind: str, compute: Callable[[], Any]) -> Any:
    # The fingerprint is taken before computing: data arriving meanwhile makes the stored
    # value stale at once rather than hiding under a newer key.
    key = fingerprint(survey)
    stored = StoredComputation.objects.filter(survey=survey, kind=kind).first()
    if stored is not None and stored.fingerprint == key:
        return stored.payload
    payload = compute()
    StoredComputation.objects.update_or_create(
        survey=survey, kind=kind, defaults={"fingerprint": key, "payload": payload}
    )
    return payload


@dataclass(frozen=True)
class LonelyNote:
    """A stratum in which the draw took one cluster, and the domains whose standard errors
    the survey's lonely-PSU policy therefore decided."""

    stage: int
    where: str
    domains: tuple[str, ...]


@dataclass(frozen=True)
class SurveyResults:
    rows: list[ResultRow]
    policy: str
    lonely: list[LonelyNote]

    @property
    def affected(self) -> frozenset[str]:
        """Domains with an estimate the lonely-PSU policy touched."""
        return frozenset(d for note in self.lonely for d in note.domains)


def survey_results(survey: Survey) -> SurveyResults:
    """``estimates.results`` and where the lonely-PSU policy applied, stored per data version."""
    payload = _stored(survey, "results", lambda: _results_payload(survey))
    return SurveyResults(
        rows=[ResultRow(**_floats_in(row)) for row in payload["rows"]],
        policy=payload["policy"],
        lonely=[LonelyNote(n["stage"], n["where"], tuple(n["domains"])) for n in payload["lonely"]],
    )


def _results_payload(survey: Survey) -> dict[str, Any]:
    return {
        "rows": [_floats_out(asdict(row)) for row in estimates.results(survey)],
        "policy": survey.lonely_psu,
        "lonely": [asdict(note) for note in lonely_notes(survey)],
    }


def lonely_notes(survey: Survey) -> list[LonelyNote]:
    """Where the design the results use (every unit drawn, weighted as in ``results``) has a
    lonely PSU."""
    units = list(SampledUnit.objects.filter(survey=survey).order_by("position"))
    counted = dict(Response.objects.filter(unit__survey=survey).values_list("unit_id", "answers"))
    if not units or not counted:
        return []
    weights = estimates.analysis_weights(survey, units, [counted.get(u.pk) for u in units])
    notes = []
    for stratum in lonely_strata(
        estimates.design_of(units, weights, estimates.lonely_policy(survey))
    ):
        first = units[int(stratum.rows[0])]
        above = [str(c) for c in first.clusters[: stratum.stage - 1]]
        notes.append(
            LonelyNote(
                stratum.stage,
                " · ".join([first.domain or first.stratum, *above]),
                tuple(sorted({units[int(k)].domain for k in stratum.rows})),
            )
        )
    return notes


def _floats_out(row: dict[str, Any]) -> dict[str, Any]:
    # JSON (and PostgreSQL's jsonb) has no NaN: an estimate without data is stored as null.
    return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in row.items()}


def _floats_in(row: dict[str, Any]) -> dict[str, Any]:
    return {k: math.nan if v is None and k != "points" else v for k, v in row.items()}


@dataclass(frozen=True)
class QualitySummary:
    counts: dict[str, int]
    """Responses per flag."""
    flagged: list[FlaggedResponse]
    """The first ``FLAGGED_SHOWN`` flagged responses, in sample order."""
    total_flagged: int
    coverage: list[StratumCoverage]


def survey_quality(survey: Survey) -> QualitySummary:
    """Quality flags and coverage by domain, stored per data version."""
    payload = _stored(survey, "quality", lambda: _quality_payload(survey))
    return QualitySummary(
        counts=payload["counts"],
        flagged=[
            FlaggedResponse(r["code"], r["domain"], r["channel"], frozenset(r["flags"]))
            for r in payload["flagged"]
        ],
        total_flagged=payload["total_flagged"],
        coverage=[StratumCoverage(**row) for row in payload["coverage"]],
    )


def _quality_payload(survey: Survey) -> dict[str, Any]:
    flagged = fieldwork.quality(survey)
    return {
        "counts": dict(Counter(str(flag) for row in flagged for flag in row.flags)),
        "flagged": [
            {
                "code": r.code,
                "domain": r.domain,
                "channel": r.channel,
                "flags": sorted(str(f) for f in r.flags),
            }
            for r in flagged[:FLAGGED_SHOWN]
        ],
        "total_flagged": len(flagged),
        "coverage": [asdict(row) for row in fieldwork.coverage(survey)],
    }
