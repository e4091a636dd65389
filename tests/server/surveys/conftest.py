"""A SIPAS survey on the database: a three-stage sample with ballot codes, and answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from parindex.core.surveys.ballot import Submission, ballot_code, normalise
from parindex.core.surveys.sampling import three_stage
from parindex.server.surveys.models import SampledUnit, Survey

KEY = b"demo-key"
CLOSE = datetime(2026, 9, 30, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def staging_folder(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_STAGING_ROOT = tmp_path / "uploads"


@pytest.fixture
def survey() -> Survey:
    return build_survey("sipas-2026")


def build_survey(slug: str, single_village_commune: bool = False) -> Survey:
    """The sample as drawn; with ``single_village_commune``, the first Lạng Sơn commune was
    drawn with one village (both villages' households in it): a stratum with one PSU at stage 2,
    a property of the draw (as in the officials' survey)."""
    survey = Survey.objects.create(
        slug=slug,
        name="SIPAS 2026",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=CLOSE - timedelta(days=30),
        closes_at=CLOSE,
    )
    rng = np.random.default_rng(4)
    strata = np.repeat(np.arange(2), 600)
    communes = np.tile(np.repeat(np.arange(10), 60), 2)
    villages = np.tile(np.repeat(np.arange(4), 15), 20)
    sample = three_stage(
        strata,
        communes,
        villages,
        communes_per_stratum=4,
        villages_per_commune=2,
        households_per_village=5,
        rng=rng,
    )
    merged = None
    for position, row in enumerate(sample.rows):
        village = int(villages[row])
        if single_village_commune and strata[row] == 0:
            first = merged or (int(communes[row]), village)
            merged = first
            if int(communes[row]) == first[0]:
                village = first[1]
        SampledUnit.objects.create(
            survey=survey,
            position=position,
            code=normalise(ballot_code(KEY, survey.slug, position)),
            domain=["Lạng Sơn", "Cao Bằng"][strata[row]],
            stratum=str(strata[row]),
            clusters=[int(communes[row]), village, int(row)],
            population=[
                sample.communes_in_stratum[position],
                sample.villages_in_commune[position],
                sample.households_in_village[position],
            ],
            inclusion_probability=float(sample.probability[position]),
        )
    return survey


def answers(rng: np.random.Generator) -> dict[str, str]:
    from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires

    questionnaire = load_questionnaire(shipped_questionnaires()["sipas-2023-citizens"]).value
    assert questionnaire is not None
    return {
        q.id: str(rng.choice(["2", "3", "4", "5"])) for q in questionnaire.questions() if q.node
    }


def on_time(
    survey: Survey, positions: range | list[int], rng: np.random.Generator
) -> list[Submission]:
    """A web submission the day before the close for each sampled position."""
    return [
        Submission(
            ballot_code(KEY, survey.slug, position), CLOSE - timedelta(days=1), "web", answers(rng)
        )
        for position in positions
    ]
