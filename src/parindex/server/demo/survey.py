"""The demo's national SIPAS survey: ~40,000 households in the 34 provinces, three stages.

Province differences are drawn from the seed (a few provinces markedly less satisfied, as
Lạng Sơn was in 2022); each stage is drawn with ``core.surveys.sampling``, codes are issued with
``core.surveys.ballot``, and what comes back goes through the real intake, duplicates, late and
mistyped ballots included.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from parindex.core.surveys.ballot import Submission, ballot_code, stored_code
from parindex.core.surveys.questionnaire import (
    Question,
    load_questionnaire,
    shipped_questionnaires,
)
from parindex.core.surveys.sampling import simple_random
from parindex.server.accounts.models import Unit
from parindex.server.surveys.bulk import insert
from parindex.server.surveys.intake import IntakeReport, take_in
from parindex.server.surveys.models import SampledUnit, Survey

DEMO_KEY = b"parindex-demo-ballot-key"
SAMPLED_FIELDS = (
    "survey",
    "position",
    "code",
    "domain",
    "stratum",
    "clusters",
    "population",
    "inclusion_probability",
    "label",
    "area",
)
OPENS = datetime(2026, 8, 1, tzinfo=UTC)
CLOSES = datetime(2026, 9, 30, 17, tzinfo=UTC)


def build_sipas_survey(
    rng: np.random.Generator, households_per_village: tuple[int, int] = (60, 71)
) -> IntakeReport:
    survey = Survey.objects.create(
        slug="sipas-2026-demo",
        name="SIPAS 2026",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=OPENS,
        closes_at=CLOSES,
        synthetic=True,
    )
    questionnaire = load_questionnaire(shipped_questionnaires()[survey.questionnaire]).value
    assert questionnaire is not None
    items = [q for q in questionnaire.questions() if q.node]
    item_shift = rng.normal(0, 0.04, len(items))
    provinces = list(Unit.objects.valid_on(CLOSES.date()).filter(kind="province").order_by("code"))
    units: list[SampledUnit] = []
    satisfaction: list[float] = []
    for province in provinces:
        base = float(np.clip(rng.normal(0.82, 0.05), 0.6, 0.95))
        communes = int(rng.integers(40, 160))
        for commune in simple_random(communes, 6, rng).indices:
            villages = int(rng.integers(5, 15))
            for village in simple_random(villages, 3, rng).indices:
                households = int(rng.integers(150, 400))
                take = int(rng.integers(*households_per_village))
                drawn = simple_random(households, take, rng)
                local = float(np.clip(base + rng.normal(0, 0.04), 0.3, 0.98))
                for household in drawn.indices:
                    position = len(units)
                    units.append(
                        SampledUnit(
                            survey=survey,
                            position=position,
                            code=stored_code(DEMO_KEY, survey.slug, position),
                            domain=province.name_vi,
                            stratum=province.code,
                            clusters=[int(commune), int(village), int(household)],
                            population=[communes, villages, households],
                            inclusion_probability=6 / communes * 3 / villages * take / households,
                        )
                    )
                    satisfaction.append(local)
    insert(
        SampledUnit,
        SAMPLED_FIELDS,
        ([getattr(u, f if f != "survey" else "survey_id") for f in SAMPLED_FIELDS] for u in units),
    )

    submissions = _answers(rng, survey, units, np.array(satisfaction), items, item_shift)
    for extra in range(30):  # the same ballot entered twice
        first = submissions[extra * 97]
        submissions.append(
            Submission(first.code, first.received_at + timedelta(days=1), "paper", first.answers)
        )
    for extra in range(10):
        mistyped = submissions[extra * 53].code[:-1] + "0"
        beyond = ballot_code(DEMO_KEY, survey.slug, len(units) + extra)  # never issued
        late = ballot_code(DEMO_KEY, survey.slug, extra)  # issued, but arriving after the close
        submissions.append(Submission(mistyped, OPENS + timedelta(days=3), "paper", {}))
        submissions.append(Submission(beyond, OPENS + timedelta(days=4), "web", {}))
        submissions.append(Submission(late, CLOSES + timedelta(days=2), "web", {}))
    return take_in(survey, submissions)


def _answers(
    rng: np.random.Generator,
    survey: Survey,
    units: list[SampledUnit],
    level: NDArray[np.float64],
    items: list[Question],
    item_shift: NDArray[np.float64],
) -> list[Submission]:
    """Every household's answers, drawn for all at once (a loop drawing one answer at a time
    took most of the demo's start-up)."""
    count, width = len(units), len(items)
    answers_at_all = rng.random(count) <= 0.9  # no answer: about one household in ten
    used = rng.random(count) < 0.7
    blank = rng.random((count, width)) < 0.04  # item left blank
    p = np.clip(level[:, None] + item_shift[None, :], 0.05, 0.99)
    satisfied = rng.random((count, width)) < p
    high = np.where(rng.random((count, width)) < 0.7, "4", "5")
    low = np.array(["1", "2", "3"])[
        np.searchsorted([0.1, 0.4], rng.random((count, width)), side="right")
    ]
    grade = np.where(satisfied, high, low)
    straight = rng.random(count) < 0.005  # a few interviewers tick one column down the grid
    hours = rng.uniform(0, 24 * 58, count)
    channels = np.array(["paper", "web", "kobo"])[rng.integers(0, 3, count)]
    seconds = np.where(rng.random(count) > 0.003, rng.uniform(300, 1500, count), 25.0)
    service_item = np.array([bool(i.node and i.node.startswith("II.")) for i in items])
    ids = [item.id for item in items]
    submissions = []
    for k in np.flatnonzero(answers_at_all):
        asked = ~blank[k] & (used[k] | ~service_item)
        answers = {"used_service": "yes" if used[k] else "no"}
        answers |= {ids[j]: "4" if straight[k] else str(grade[k, j]) for j in np.flatnonzero(asked)}
        received = OPENS + timedelta(hours=float(hours[k]))
        channel = str(channels[k])
        if channel != "paper":  # devices record when the interview started and ended
            answers |= {
                "start": (received - timedelta(seconds=float(seconds[k]))).isoformat(),
                "end": received.isoformat(),
            }
        code = ballot_code(DEMO_KEY, survey.slug, units[k].position)
        submissions.append(Submission(code, received, channel, answers))
    return submissions
