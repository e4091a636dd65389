"""Taking in survey submissions and estimating from what was counted, on the real database."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from parindex.core.surveys import SurveyDesign, estimate
from parindex.core.surveys.ballot import Submission, ballot_code
from parindex.server.surveys.estimates import results
from parindex.server.surveys.intake import take_in
from parindex.server.surveys.models import Response, SetAside, Survey
from tests.server.surveys.conftest import CLOSE, KEY, answers, on_time

pytestmark = pytest.mark.django_db


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
    take_in(survey, on_time(survey, range(survey.sample.count()), rng))
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
