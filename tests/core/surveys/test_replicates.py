"""Replicate weights: jackknife standard errors equal R's ``as.svrepdesign`` + ``svymean``/``svyby``
to 1e-9; the Rao–Wu bootstrap agrees with the Taylor standard errors within its Monte-Carlo
error; the same seed gives the same replicates.

The R script and what it printed are in ``tests/golden/survey/replicates.{R,csv}``; with R
installed the script is run again now and must print the stored figures.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Callable

import numpy as np
import pytest

from parindex.core.surveys import SurveyDesign, codes, estimate
from parindex.core.surveys.design import DesignError
from parindex.core.surveys.replicates import (
    ReplicateEstimates,
    bootstrap,
    jackknife,
    replicate_estimate,
)
from tests.core.surveys.golden import GOLDEN, ROOT, TOLERANCE, numbers, table

STRAT, CLUS1, MS = table("apistrat"), table("apiclus1"), table("multistage")


def strat(fpc: bool = True) -> SurveyDesign:
    if fpc:
        return SurveyDesign.from_columns(
            len(STRAT["stype"]), strata=STRAT["stype"], fpc=[numbers(STRAT["fpc"])]
        )
    return SurveyDesign.from_columns(
        len(STRAT["stype"]), strata=STRAT["stype"], weights=numbers(STRAT["pw"])
    )


def clus1() -> SurveyDesign:
    return SurveyDesign.from_columns(
        len(CLUS1["dnum"]),
        weights=numbers(CLUS1["pw"]),
        clusters=[CLUS1["dnum"]],
        fpc=[numbers(CLUS1["fpc"])],
    )


def multi() -> SurveyDesign:
    return SurveyDesign.from_columns(
        len(MS["region"]),
        strata=MS["region"],
        clusters=[MS["commune"], MS["village"], MS["household"]],
        fpc=[numbers(MS["fpc1"]), numbers(MS["fpc2"]), numbers(MS["fpc3"])],
    )


def by(data: dict[str, np.ndarray], column: str) -> dict[str, object]:
    labels = tuple(dict.fromkeys(str(v) for v in data[column]))
    return {"domains": codes(data[column]), "domain_labels": labels}


Q9 = numbers(MS["q9"])
SATISFIED = np.where(np.isnan(Q9), np.nan, (Q9 >= 4).astype(float))

OURS: dict[str, Callable[[], ReplicateEstimates]] = {
    "jkn_strat_mean_api00": lambda: replicate_estimate(jackknife(strat()), numbers(STRAT["api00"])),
    "jkn_strat_by_awards_api00": lambda: replicate_estimate(
        jackknife(strat()), numbers(STRAT["api00"]), **by(STRAT, "awards")
    ),
    "jkn_strat_nofpc_mean_api00": lambda: replicate_estimate(
        jackknife(strat(fpc=False)), numbers(STRAT["api00"])
    ),
    "jk1_clus1_mean_api00": lambda: replicate_estimate(
        jackknife(clus1(), "JK1"), numbers(CLUS1["api00"])
    ),
    "jk1_clus1_by_stype_api00": lambda: replicate_estimate(
        jackknife(clus1(), "JK1"), numbers(CLUS1["api00"]), **by(CLUS1, "stype")
    ),
    "jkn_ms_mean_income": lambda: replicate_estimate(jackknife(multi()), numbers(MS["income"])),
    "jkn_ms_by_province_income": lambda: replicate_estimate(
        jackknife(multi()), numbers(MS["income"]), **by(MS, "province")
    ),
    "jkn_ms_mean_satisfied": lambda: replicate_estimate(jackknife(multi()), SATISFIED),
    "jkn_ms_by_province_satisfied": lambda: replicate_estimate(
        jackknife(multi()), SATISFIED, **by(MS, "province")
    ),
}


def reference_rows(text: str) -> dict[tuple[str, str], tuple[float, float]]:
    return {
        (row["case"], row["domain"].strip()): (float(row["estimate"]), float(row["se"]))
        for row in csv.DictReader(io.StringIO(text))
    }


STORED = reference_rows((GOLDEN / "replicates.csv").read_text("utf-8"))


def close(ours: float, theirs: float) -> bool:
    return abs(ours - theirs) <= TOLERANCE * max(1.0, abs(theirs))


def compare(case: str, reference: dict[tuple[str, str], tuple[float, float]]) -> None:
    result = OURS[case]()
    for d, domain in enumerate(result.domains):
        estimate_r, se_r = reference[(case, domain)]
        assert close(float(result.estimate[d, 0]), estimate_r), (case, domain)
        assert close(float(result.se[d, 0]), se_r), (
            f"{case} [{domain}] se: ours {result.se[d, 0]!r}, R {se_r!r}"
        )


def test_every_stored_case_is_checked() -> None:
    assert {case for case, _ in STORED} == set(OURS)


@pytest.mark.parametrize("case", sorted(OURS))
def test_jackknife_equals_the_stored_r_reference(case: str) -> None:
    compare(case, STORED)


@pytest.fixture(scope="module")
def fresh_r() -> dict[tuple[str, str], tuple[float, float]]:
    if shutil.which("Rscript") is None:
        pytest.skip("R is not installed; the stored reference is used")
    result = subprocess.run(
        ["Rscript", str(GOLDEN / "replicates.R")], cwd=ROOT, capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"R's survey package is not usable: {result.stderr[:200]}")
    return reference_rows(result.stdout)


def test_the_stored_reference_is_what_r_prints_now(
    fresh_r: dict[tuple[str, str], tuple[float, float]],
) -> None:
    assert set(fresh_r) == set(STORED)
    for key, (value, se) in fresh_r.items():
        assert close(STORED[key][0], value) and close(STORED[key][1], se), key


# Bootstrap: for B replicates the relative standard error of a variance estimate is about
# √(2/(B−1)), so that of a standard error about 1/√(2(B−1)) (1.6 % for B = 2,000). We allow
# four of those: a correct bootstrap fails this about once in 15,000 seeds, a wrong scale
# (missing n/(n−1), a forgotten fpc: 5–30 % off on these designs) fails it every time.
REPLICATES = 2000
MONTE_CARLO = 4 / np.sqrt(2 * (REPLICATES - 1))


@pytest.mark.parametrize(
    ("name", "design", "values"),
    [
        ("stratified, fpc", strat, numbers(STRAT["api00"])),
        ("stratified, no fpc", lambda: strat(fpc=False), numbers(STRAT["api00"])),
        ("one-stage clusters, fpc", clus1, numbers(CLUS1["api00"])),
        (
            "communes within regions, fpc",
            lambda: SurveyDesign.from_columns(
                len(MS["region"]),
                strata=MS["region"],
                clusters=[MS["commune"]],
                fpc=[numbers(MS["fpc1"])],
                weights=multi().weights,
            ),
            numbers(MS["income"]),
        ),
    ],
)
def test_bootstrap_se_agrees_with_taylor_within_monte_carlo_error(
    name: str, design: Callable[[], SurveyDesign], values: np.ndarray
) -> None:
    built = design()
    taylor = float(estimate(built, values).se[0, 0])
    boot = replicate_estimate(bootstrap(built, REPLICATES, seed=15), values)
    assert abs(float(boot.se[0, 0]) / taylor - 1) <= MONTE_CARLO, (name, boot.se, taylor)


def test_the_same_seed_gives_the_same_replicates_and_another_seed_others() -> None:
    first = bootstrap(strat(), 50, seed=7).factors
    assert np.array_equal(first, bootstrap(strat(), 50, seed=7).factors)
    assert not np.array_equal(first, bootstrap(strat(), 50, seed=8).factors)


def test_bootstrap_weights_keep_each_stratum_total_on_average() -> None:
    weights = bootstrap(strat(), 4000, seed=1)
    # E[r] = (n−1)/n per PSU, so E[factor] = 1: the replicate totals centre on the estimate.
    assert abs(weights.factors.mean() - 1) < 0.01


def test_jk1_refuses_a_stratified_design_as_r_does() -> None:
    with pytest.raises(DesignError, match="unstratified"):
        jackknife(strat(), "JK1")


def test_a_stratum_with_one_psu_is_refused_unless_told_how_to_treat_it() -> None:
    rows = 4
    lonely = dict(strata=["a", "a", "a", "b"], clusters=[["1", "2", "3", "4"]])
    with pytest.raises(DesignError, match="only one PSU"):
        jackknife(SurveyDesign.from_columns(rows, **lonely))  # type: ignore[arg-type]
    removed = jackknife(SurveyDesign.from_columns(rows, lonely_psu="remove", **lonely))  # type: ignore[arg-type]
    assert removed.replicates == 3
