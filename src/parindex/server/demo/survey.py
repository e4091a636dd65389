"""The demo's national SIPAS survey: ~40,000 households in the 34 provinces, three stages.

Province differences are drawn from the seed (a few provinces markedly less satisfied, as
Lạng Sơn was in 2022); each stage is drawn with ``core.surveys.sampling``, codes are issued with
``core.surveys.ballot``, and what comes back goes through the real intake, duplicates, late and
mistyped ballots included.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from parindex.core.surveys.ballot import Submission, ballot_code, normalise
from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires
from parindex.core.surveys.sampling import simple_random
from parindex.server.accounts.models import Unit
from parindex.server.surveys.models import SampledUnit, Survey
from parindex.server.surveys.services import IntakeReport, take_in

DEMO_KEY = b"parindex-demo-ballot-key"
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
                            code=normalise(ballot_code(DEMO_KEY, survey.slug, position)),
                            domain=province.name_vi,
                            stratum=province.code,
                            clusters=[int(commune), int(village), int(household)],
                            population=[communes, villages, households],
                            inclusion_probability=6 / communes * 3 / villages * take / households,
                        )
                    )
                    satisfaction.append(local)
    SampledUnit.objects.bulk_create(units, batch_size=2000)

    submissions = []
    for unit, level in zip(units, satisfaction, strict=True):
        if rng.random() > 0.9:
            continue  # no answer: about one household in ten
        used = rng.random() < 0.7
        answers = {"used_service": "yes" if used else "no"}
        for item, shift in zip(items, item_shift, strict=True):
            if item.node and item.node.startswith("II.") and not used:
                continue
            if rng.random() < 0.04:
                continue  # item left blank
            p = float(np.clip(level + shift, 0.05, 0.99))
            answers[item.id] = str(
                rng.choice(["4", "5"], p=[0.7, 0.3])
                if rng.random() < p
                else rng.choice(["1", "2", "3"], p=[0.1, 0.3, 0.6])
            )
        if rng.random() < 0.005:  # a few interviewers tick one column down the grid
            answers |= {item.id: "4" for item in items if item.id in answers}
        received = OPENS + timedelta(hours=float(rng.uniform(0, 24 * 58)))
        channel = str(rng.choice(["paper", "web", "kobo"]))
        if channel != "paper":  # devices record when the interview started and ended
            seconds = float(rng.uniform(300, 1500)) if rng.random() > 0.003 else 25.0
            answers |= {
                "start": (received - timedelta(seconds=seconds)).isoformat(),
                "end": received.isoformat(),
            }
        submissions.append(
            Submission(
                ballot_code(DEMO_KEY, survey.slug, unit.position), received, channel, answers
            )
        )
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
