"""A survey's replicate estimates, stored once per change of its data.

The rank intervals of a cycle draw each survey component's points from the survey's own
design: Rao–Wu bootstrap replicates (``core.surveys.replicates``) of every scored survey node by
domain. Bootstrap rather than jackknife: a bootstrap replicate is a draw of what the survey
could have found, so its spread is the sampling spread; a jackknife replicate differs from the
estimate by about 1/√n of it and would need rescaling to be used as a draw.

Two thousand replicates of a national survey take about a second (docs/plans.md), so they are
computed once per data version (the fingerprint of ``surveys.computed``) and kept beside the
other stored computations as a compressed NumPy file; a page reads them.
"""

from __future__ import annotations

import io

import numpy as np

from parindex.core.methodology.rules import SurveyMappingRule
from parindex.core.surveys import replicates as core_replicates
from parindex.core.surveys.replicates import ReplicateEstimates
from parindex.core.surveys.scores import respondent_scores
from parindex.server.surveys import estimates
from parindex.server.surveys.computed import fingerprint
from parindex.server.surveys.models import StoredComputation, Survey

REPLICATES = 2000
KIND = "replicates"


def _compute(survey: Survey, replicates: int) -> ReplicateEstimates | None:
    ready = estimates.prepared(survey)
    if ready is None:
        return None
    rules = {
        n.id: n.rule
        for _f, _c, n in ready.edition.scored()
        if isinstance(n.rule, SurveyMappingRule) and n.id in ready.answers
    }
    if not rules:
        return None
    y = np.column_stack(
        [respondent_scores(rule, ready.answers[node]) for node, rule in rules.items()]
    )
    # Seeded by the survey: the same data give the same replicates, whoever asks first.
    weights = core_replicates.bootstrap(ready.design, replicates, seed=survey.pk)
    return core_replicates.replicate_estimate(
        weights, y, domains=ready.domains, domain_labels=ready.labels, variables=tuple(rules)
    )


def _packed(found: ReplicateEstimates) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, estimate=found.estimate, replicates=found.replicates, se=found.se)
    return buffer.getvalue()


def survey_replicates(survey: Survey, replicates: int = REPLICATES) -> ReplicateEstimates | None:
    """Bootstrap replicate estimates (scores in [0, 1]) of the survey's scored components by
    domain, from the stored copy when the survey's data have not changed since; None before any
    response or when the survey scores no component of its edition."""
    key = fingerprint(survey)
    stored = StoredComputation.objects.filter(survey=survey, kind=KIND).first()
    if (
        stored is not None
        and stored.fingerprint == key
        and stored.payload.get("replicates") == replicates
    ):
        if not stored.payload.get("domains"):
            return None
        with np.load(io.BytesIO(bytes(stored.arrays))) as arrays:
            return ReplicateEstimates(
                domains=tuple(stored.payload["domains"]),
                variables=tuple(stored.payload["variables"]),
                estimate=arrays["estimate"],
                replicates=arrays["replicates"],
                se=arrays["se"],
            )
    found = _compute(survey, replicates)
    payload = {
        "replicates": replicates,
        "kind": "bootstrap",
        "seed": survey.pk,
        "domains": list(found.domains) if found else [],
        "variables": list(found.variables) if found else [],
    }
    StoredComputation.objects.update_or_create(
        survey=survey,
        kind=KIND,
        defaults={
            "fingerprint": key,
            "payload": payload,
            "arrays": _packed(found) if found else b"",
        },
    )
    return found
