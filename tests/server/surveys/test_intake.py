"""Taking in survey submissions and estimating from what was counted, on the real database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from parindex.core.surveys import SurveyDesign, estimate
from parindex.core.surveys.ballot import Submission, ballot_code, normalise
from parindex.core.surveys.sampling import three_stage
from parindex.server.surveys.models import Response, SampledUnit, SetAside, Survey
from parindex.server.surveys.services import results, take_in

pytestmark = pytest.mark.django_db
KEY = b"demo-key"
CLOSE = datetime(2026, 9, 30, 10, 0, tzinfo=UTC)


@pytest.fixture
def survey() -> Survey:
    survey = Survey.objects.create(
        slug="sipas-2026",
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
    for position, row in enumerate(sample.rows):
        SampledUnit.objects.create(
            survey=survey,
            position=position,
            code=normalise(ballot_code(KEY, survey.slug, position)),
            domain=["Lạng Sơn", "Cao Bằng"][strata[row]],
            stratum=str(strata[row]),
            clusters=[int(communes[row]), int(villages[row]), int(row)],
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


def test_each_household_counts_once_and_the_rest_is_kept_aside(survey: Survey) -> None:
    rng = np.random.default_rng(1)
    codes = [ballot_code(KEY, survey.slug, p) for p in range(5)]
    batch = [
        Submission(codes[0], CLOSE - timedelta(days=3), "web", answers(rng)),
        Submission(codes[0], CLOSE - timedelta(days=2), "paper", answers(rng)),
        Submission(codes[1], CLOSE + timedelta(hours=1), "kobo", answers(rng)),
        Submission("ZZZZ-ZZZZ-ZZZ", CLOSE - timedelta(days=1), "web", answers(rng)),
        Submission(codes[2], CLOSE - timedelta(days=1), "paper", answers(rng)),
    ]
    report = take_in(survey, batch)
    assert report.counted == 2
    assert report.kept_aside == {"duplicate": 1, "late": 1, "invalid_code": 1}
    assert Response.objects.filter(unit__survey=survey).count() == 2
    assert set(SetAside.objects.values_list("verdict", flat=True)) == {
        "duplicate",
        "late",
        "invalid_code",
    }
    again = take_in(survey, batch)
    assert again.counted == 0 and Response.objects.count() == 2, "re-importing counts nothing twice"


def test_a_failure_half_way_leaves_nothing_half_imported(survey: Survey) -> None:
    rng = np.random.default_rng(2)

    def broken():  # type: ignore[no-untyped-def]
        yield Submission(
            ballot_code(KEY, survey.slug, 0), CLOSE - timedelta(days=1), "csv", answers(rng)
        )
        yield Submission(
            ballot_code(KEY, survey.slug, 1), CLOSE - timedelta(days=1), "csv", {"q9_15": object()}
        )

    with pytest.raises(TypeError):
        take_in(survey, broken())
    assert Response.objects.count() == 0 and SetAside.objects.count() == 0


def test_results_are_the_design_based_estimates_of_what_was_counted(survey: Survey) -> None:
    rng = np.random.default_rng(3)
    units = list(survey.sample.order_by("position"))
    take_in(
        survey,
        [
            Submission(
                ballot_code(KEY, survey.slug, u.position),
                CLOSE - timedelta(days=1),
                "web",
                answers(rng),
            )
            for u in units
        ],
    )
    rows = {(r.domain, r.node): r for r in results(survey)}
    # The same figure straight from the core: item 15 in Lạng Sơn, satisfied = answer 4 or 5.
    counted = list(Response.objects.select_related("unit").order_by("unit__position"))
    design = SurveyDesign.from_columns(
        len(counted),
        strata=[r.unit.stratum for r in counted],
        clusters=[[r.unit.clusters[k] for r in counted] for k in range(3)],
        fpc=[[r.unit.population[k] for r in counted] for k in range(3)],
    )
    satisfied = np.array([float(r.answers["q9_15"] in ("4", "5")) for r in counted])
    domain = np.array([0 if r.unit.domain == "Cao Bằng" else 1 for r in counted])
    direct = estimate(design, satisfied, domains=domain, domain_labels=("Cao Bằng", "Lạng Sơn"))
    row = rows[("Lạng Sơn", "II.1.15")]
    assert row.estimate == pytest.approx(100 * direct.estimate[1, 0], rel=1e-12)
    assert row.se == pytest.approx(100 * direct.se[1, 0], rel=1e-12)
    assert row.low < row.estimate < row.high
    assert 0 <= rows[("Cao Bằng", "index")].estimate <= 100
    assert rows[("Cao Bằng", "index")].n == 40
