"""Survey intake: each sampled unit's first valid submission counted, everything else kept
aside with its reason, in one transaction (``core.surveys.ballot.triage``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F

from parindex.core.surveys.ballot import Submission, Verdict, triage
from parindex.server.surveys.bulk import insert
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
    responses: list[tuple[int, str, datetime, dict[str, str]]] = []
    kept: list[SetAside] = []
    for result in triage(
        submissions, {code: str(pk) for code, pk in issued.items()}, survey.closes_at, used
    ):
        s = result.submission
        if result.verdict is Verdict.ACCEPTED:
            responses.append((int(result.unit or 0), s.channel, s.received_at, dict(s.answers)))
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
    insert(Response, ["unit", "channel", "received_at", "answers"], responses)
    SetAside.objects.bulk_create(kept, batch_size=2000)
    # Stored estimates and flags of the previous version are stale from now on.
    Survey.objects.filter(pk=survey.pk).update(data_version=F("data_version") + 1)
    counted, aside = len(responses), Counter(k.verdict for k in kept)
    return IntakeReport(counted, dict(aside))
