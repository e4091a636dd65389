"""Survey draws: from a survey's bootstrap replicates to the rank intervals, and replicate rows
refused by their row."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from parindex.core.methodology import load_shipped
from parindex.core.scoring import compute
from parindex.core.scoring.draws import DrawRow, draws_from_estimates, draws_from_rows
from parindex.core.scoring.uncertainty import SURVEY as SAMPLING
from parindex.core.scoring.uncertainty import model_of, rank_intervals
from parindex.core.surveys import SurveyDesign, codes
from parindex.core.surveys.replicates import bootstrap, replicate_estimate
from tests.core.scoring.uncertain_cases import random_table

PAR = load_shipped("par-index-province/2023").value
assert PAR is not None
SURVEY = [n.id for _f, _c, n in PAR.scored() if n.source.startswith("survey")]
PROVINCES = ("U00", "U01", "U02", "U03")


def survey_of_officials(seed: int = 3):  # type: ignore[no-untyped-def]
    """4 provinces (strata) × 5 agencies (PSUs) × 8 officials answering every survey component
    with a score of 1 or 0; provinces differ in how often they score 1."""
    rng = np.random.default_rng(seed)
    province, agency, answers = [], [], []
    for p, code in enumerate(PROVINCES):
        for a in range(5):
            for _ in range(8):
                province.append(code)
                agency.append(f"{code}-{a}")
                answers.append(rng.random(len(SURVEY)) < 0.55 + 0.1 * p)
    design = SurveyDesign.from_columns(len(province), strata=province, clusters=[agency])
    return design, np.array(answers, dtype=float), codes(province)


def test_each_replicate_recomputes_the_index_from_the_survey_replicate_estimates() -> None:
    design, y, domains = survey_of_officials()
    estimates = replicate_estimate(
        bootstrap(design, 40, seed=1),
        y,
        domains=domains,
        domain_labels=PROVINCES,
        variables=tuple(SURVEY),
    )
    table = random_table(PAR, 4, 8)
    index = table.layout.node_index
    columns = [index[node] for node in SURVEY]
    points = table.points.copy()
    points[:, columns] = estimates.estimate * table.layout.max_points[columns]
    table = replace(table, points=points)
    model = model_of(table, draws=draws_from_estimates(estimates, table))
    # The survey alone varies here; the edition's other choices stay as declared.
    result = model.evaluate({SAMPLING: np.arange(40)}, 40)
    for r in (0, 17, 39):  # the whole index recomputed by the engine with replicate r's survey
        replicate_points = points.copy()
        replicate_points[:, columns] = estimates.replicates[r] * table.layout.max_points[columns]
        again = compute(replace(table, points=replicate_points))
        assert np.array_equal(result.index_pct[r], again.index_pct)
        assert np.array_equal(result.ranks[r], again.ranks)
    published = rank_intervals(table, draws=model.draws, replicates=40)
    assert np.array_equal(published.index_pct, compute(table).index_pct)


TABLE = random_table(PAR, 2, 1)
UNIT = TABLE.units[0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (DrawRow(3, "one", UNIT, SURVEY[0], "0.5"), "row 3: replicate 'one' is not a whole number"),
        (
            DrawRow(3, "1", "Hà Giang", SURVEY[0], "0.5"),
            "row 3: unit 'Hà Giang' is not in the points table",
        ),
        (DrawRow(3, "1", UNIT, "9.9", "0.5"), "row 3: component '9.9' is not in edition"),
        (
            DrawRow(3, "1", UNIT, "1.1.1", "0.5"),
            "row 3: component '1.1.1' is not scored by a survey",
        ),
        (DrawRow(3, "1", UNIT, SURVEY[0], "-1"), "row 3: points '-1' must be a number from 0 to 1"),
        (
            DrawRow(3, "1", UNIT, SURVEY[0], "0.5", "mean_score"),
            "row 3: variant 'mean_score' is not declared by edition",
        ),
        (DrawRow(3, "1", UNIT, SURVEY[0], "0,4"), "row 3: replicate 1 gives unit"),
    ],
)
def test_a_bad_replicate_row_is_refused_by_its_row(row: DrawRow, message: str) -> None:
    first = DrawRow(2, "1", UNIT, SURVEY[0], "0,5")
    report = draws_from_rows(TABLE, [first, row], source="r.csv")
    assert report.value is None
    assert any(message in f.message for f in report.findings), report.findings


def test_good_rows_become_draws_with_decimal_commas_and_numbered_from_any_start() -> None:
    rows = [
        DrawRow(2 + i, str(r), unit, SURVEY[0], f"0,{r}")
        for i, (r, unit) in enumerate((r, u) for r in (7, 8, 9) for u in TABLE.units)
    ]
    report = draws_from_rows(TABLE, rows)
    assert report.value is not None
    array = report.value.points["declared"]
    assert array.shape == (3, 2, len(TABLE.layout.node_ids))
    assert array[:, 0, TABLE.layout.node_index[SURVEY[0]]].tolist() == [0.7, 0.8, 0.9]
    assert np.isnan(array[:, :, TABLE.layout.node_index["1.1.1"]]).all()
