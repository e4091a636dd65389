"""Our estimates equal R's ``survey`` (svymean, svytotal, svyratio, svyby, svyciprop, confint) to
1e-9 relative, on the api datasets and on a generated three-stage sample with fpc at every stage.

With R and its survey package installed (as in CI) the reference script runs now; the stored
``reference.csv`` it produced is checked as well, so the test also runs, and cannot drift,
without R.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from collections.abc import Callable

import numpy as np
import pytest

from parindex.core.surveys import (
    Estimates,
    SurveyDesign,
    codes,
    design_effect,
    estimate,
    interval,
)
from tests.core.surveys.golden import GOLDEN, ROOT, TOLERANCE, numbers, table

APISTRAT, APICLUS1, APICLUS2, MS = (
    table("apistrat"),
    table("apiclus1"),
    table("apiclus2"),
    table("multistage"),
)


def strat() -> SurveyDesign:
    return SurveyDesign.from_columns(
        len(APISTRAT["stype"]), strata=APISTRAT["stype"], fpc=[numbers(APISTRAT["fpc"])]
    )


def clus1() -> SurveyDesign:
    d = APICLUS1
    return SurveyDesign.from_columns(
        len(d["dnum"]), weights=numbers(d["pw"]), clusters=[d["dnum"]], fpc=[numbers(d["fpc"])]
    )


def clus2() -> SurveyDesign:
    d = APICLUS2
    return SurveyDesign.from_columns(
        len(d["dnum"]),
        clusters=[d["dnum"], d["snum"]],
        fpc=[numbers(d["fpc1"]), numbers(d["fpc2"])],
    )


def multi() -> SurveyDesign:
    d = MS
    return SurveyDesign.from_columns(
        len(d["region"]),
        strata=d["region"],
        clusters=[d["commune"], d["village"], d["household"]],
        fpc=[numbers(d["fpc1"]), numbers(d["fpc2"]), numbers(d["fpc3"])],
    )


def answered_q9() -> SurveyDesign:
    """R's ``subset(multi, !is.na(q9))``: the rows left out weigh 0 (their clusters still count
    as sampled, as in R's subset), and the Korn-Graubard rows are the subset's (``rows=n``)."""
    design = multi()
    weights = np.where(np.isnan(Q9), 0.0, design.weights)
    return SurveyDesign(weights, design.stages, design.has_fpc, design.lonely_psu, design.names)


def by(data: dict[str, np.ndarray], column: str) -> dict[str, object]:
    labels = tuple(dict.fromkeys(str(v) for v in data[column]))
    return {"domains": codes(data[column]), "domain_labels": labels}


def by_leaving_out(values: np.ndarray, missing: str = "NA") -> dict[str, object]:
    """Domains by a column with missing cells, which belong to no domain (code −1)."""
    labels = tuple(sorted({str(v) for v in values} - {missing}))
    position = {label: k for k, label in enumerate(labels)}
    domains = np.array([position.get(str(v), -1) for v in values], dtype=np.int64)
    return {"domains": domains, "domain_labels": labels}


def zero_psu_clus1() -> SurveyDesign:
    d = APICLUS1
    weights = np.where(d["dnum"] == d["dnum"][0], 0.0, numbers(d["pw"]))
    return SurveyDesign.from_columns(
        len(d["dnum"]), weights=weights, clusters=[d["dnum"]], fpc=[numbers(d["fpc"])]
    )


def zero_rows_strat() -> SurveyDesign:
    d = APISTRAT
    row = np.arange(1, len(d["stype"]) + 1)
    weights = np.where(np.isin(row, [*range(1, 7), *range(101, 107)]), 0.0, numbers(d["pw"]))
    return SurveyDesign.from_columns(
        len(row), weights=weights, strata=d["stype"], fpc=[numbers(d["fpc"])]
    )


ENROLL2 = numbers(APICLUS2["enroll"])
# One stratum (M) reduced to a single school, for R's lonely.psu = "average".
KEEP = (APISTRAT["stype"] != "M") | (
    np.arange(len(APISTRAT["stype"])) == int(np.flatnonzero(APISTRAT["stype"] == "M")[0])
)
LONELY = {column: values[KEEP] for column, values in APISTRAT.items()}


def lonely_average() -> SurveyDesign:
    return SurveyDesign.from_columns(
        len(LONELY["stype"]),
        strata=LONELY["stype"],
        fpc=[numbers(LONELY["fpc"])],
        lonely_psu="average",
    )


AWARDS_WITH_NA = APISTRAT["awards"].copy()
AWARDS_WITH_NA[[2, 49, 119, 179]] = "NA"


def indicator(values: np.ndarray, test: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    return np.where(np.isnan(values), np.nan, test(values).astype(float))


def yes(column: np.ndarray) -> np.ndarray:
    return (column == "Yes").astype(float)


Q9 = numbers(MS["q9"])
OURS: dict[str, tuple[Callable[[], Estimates], str | None]] = {
    "strat_mean_api00": (lambda: estimate(strat(), numbers(APISTRAT["api00"])), "wald"),
    "strat_by_awards_api00": (
        lambda: estimate(strat(), numbers(APISTRAT["api00"]), **by(APISTRAT, "awards")),
        "wald",
    ),
    "strat_total_enroll": (
        lambda: estimate(strat(), numbers(APISTRAT["enroll"]), kind="total"),
        "wald",
    ),
    "strat_ratio_api.stu_enroll": (
        lambda: estimate(
            strat(), numbers(APISTRAT["api.stu"]), kind="ratio", x=numbers(APISTRAT["enroll"])
        ),
        None,
    ),
    "strat_prop_schwide_logit": (lambda: estimate(strat(), yes(APISTRAT["sch.wide"])), "logit"),
    "strat_prop_schwide_beta": (lambda: estimate(strat(), yes(APISTRAT["sch.wide"])), "beta"),
    "strat_by_stype_schwide_beta": (
        lambda: estimate(strat(), yes(APISTRAT["sch.wide"]), **by(APISTRAT, "stype")),
        "beta",
    ),
    "clus1_mean_api00": (lambda: estimate(clus1(), numbers(APICLUS1["api00"])), "wald"),
    "clus1_by_stype_api00": (
        lambda: estimate(clus1(), numbers(APICLUS1["api00"]), **by(APICLUS1, "stype")),
        "wald",
    ),
    "clus1_total_enroll": (
        lambda: estimate(clus1(), numbers(APICLUS1["enroll"]), kind="total"),
        "wald",
    ),
    "clus1_ratio_api.stu_enroll": (
        lambda: estimate(
            clus1(), numbers(APICLUS1["api.stu"]), kind="ratio", x=numbers(APICLUS1["enroll"])
        ),
        None,
    ),
    "clus1_by_stype_awards_logit": (
        lambda: estimate(clus1(), yes(APICLUS1["awards"]), **by(APICLUS1, "stype")),
        "logit",
    ),
    "clus2_mean_api00": (lambda: estimate(clus2(), numbers(APICLUS2["api00"])), "wald"),
    "clus2_mean_enroll_na": (lambda: estimate(clus2(), numbers(APICLUS2["enroll"])), "wald"),
    "clus2_by_stype_api00": (
        lambda: estimate(clus2(), numbers(APICLUS2["api00"]), **by(APICLUS2, "stype")),
        "wald",
    ),
    "clus2_prop_yrrnd_logit": (lambda: estimate(clus2(), yes(APICLUS2["yr.rnd"])), "logit"),
    "clus2_ratio_api.stu_enroll": (
        lambda: estimate(
            clus2(), numbers(APICLUS2["api.stu"]), kind="ratio", x=numbers(APICLUS2["enroll"])
        ),
        None,
    ),
    "ms_mean_income": (lambda: estimate(multi(), numbers(MS["income"])), "wald"),
    "ms_by_province_income": (
        lambda: estimate(multi(), numbers(MS["income"]), **by(MS, "province")),
        "wald",
    ),
    "ms_total_members": (lambda: estimate(multi(), numbers(MS["members"]), kind="total"), "wald"),
    "ms_ratio_income_members": (
        lambda: estimate(multi(), numbers(MS["income"]), kind="ratio", x=numbers(MS["members"])),
        None,
    ),
    "ms_by_province_satisfied_logit": (
        lambda: estimate(answered_q9(), indicator(Q9, lambda q: q >= 4), **by(MS, "province")),
        "logit",
    ),
    "ms_by_province_satisfied_beta": (
        lambda: estimate(answered_q9(), indicator(Q9, lambda q: q >= 4), **by(MS, "province")),
        "beta of a subset",
    ),
    "ms_mean_q9_is_4": (lambda: estimate(multi(), indicator(Q9, lambda q: q == 4)), "wald"),
    "clus1_zero_psu_awards_logit": (
        lambda: estimate(zero_psu_clus1(), yes(APICLUS1["awards"])),
        "logit",
    ),
    "clus1_zero_psu_awards_beta": (
        lambda: estimate(zero_psu_clus1(), yes(APICLUS1["awards"])),
        "beta",
    ),
    "strat_zero_rows_schwide_beta": (
        lambda: estimate(zero_rows_strat(), yes(APISTRAT["sch.wide"])),
        "beta",
    ),
    "strat_zero_rows_by_stype_schwide_logit": (
        lambda: estimate(zero_rows_strat(), yes(APISTRAT["sch.wide"]), **by(APISTRAT, "stype")),
        "logit",
    ),
    "clus2_enroll_over_400_na_beta": (
        lambda: estimate(clus2(), indicator(ENROLL2, lambda e: e > 400)),
        "beta",
    ),
    "clus2_by_stype_enroll_over_400_na_beta": (
        lambda: estimate(clus2(), indicator(ENROLL2, lambda e: e > 400), **by(APICLUS2, "stype")),
        "beta",
    ),
    "lonely_average_mean_api00": (
        lambda: estimate(lonely_average(), numbers(LONELY["api00"])),
        "wald",
    ),
    "lonely_average_by_awards_api00": (
        lambda: estimate(lonely_average(), numbers(LONELY["api00"]), **by(LONELY, "awards")),
        "wald",
    ),
    "strat_by_awards_with_na_api00": (
        lambda: estimate(strat(), numbers(APISTRAT["api00"]), **by_leaving_out(AWARDS_WITH_NA)),
        "wald",
    ),
    "ms_by_province_group_mean_of_two_items": (
        lambda: estimate(
            multi(),
            np.column_stack([indicator(Q9, lambda q: q >= 4), indicator(Q9, lambda q: q == 5)]),
            combine=np.array([[0.5], [0.5]]),
            **by(MS, "province"),
        ),
        None,
    ),
}


def reference_rows(text: str) -> dict[tuple[str, str], dict[str, float]]:
    rows = {}
    for row in csv.DictReader(io.StringIO(text)):
        rows[(row["case"], row["domain"].strip())] = {
            k: (np.nan if row[k].strip() in ("NA", "") else float(row[k]))
            for k in ("estimate", "se", "ci_low", "ci_high")
        }
    return rows


def r_available() -> bool:
    if shutil.which("Rscript") is None:
        return False
    return subprocess.run(["Rscript", "-e", "library(survey)"], capture_output=True).returncode == 0


STORED = reference_rows((GOLDEN / "reference.csv").read_text("utf-8"))


@pytest.fixture(scope="module")
def fresh_r() -> dict[tuple[str, str], dict[str, float]]:
    if not r_available():
        import os

        if os.environ.get("CI"):
            pytest.fail("R with the survey package must be installed in CI (r-cran-survey)")
        pytest.skip("R with the survey package is not installed; the stored reference is used")
    result = subprocess.run(
        ["Rscript", str(GOLDEN / "reference.R")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return reference_rows(result.stdout)


def close(ours: float, theirs: float) -> bool:
    if np.isnan(theirs):
        return bool(np.isnan(ours))
    return abs(ours - theirs) <= TOLERANCE * max(1.0, abs(theirs))


def compare(case: str, reference: dict[tuple[str, str], dict[str, float]]) -> int:
    compute, method = OURS[case]
    result = compute()
    checked = 0
    for d, domain in enumerate(result.domains):
        expected = reference[(case, domain)]
        got = {"estimate": result.estimate[d, 0], "se": result.se[d, 0]}
        if method is not None:
            low, high = interval(
                "beta" if method == "beta of a subset" else method,  # type: ignore[arg-type]
                result.estimate[d : d + 1, 0],
                result.se[d : d + 1, 0],
                n=result.n[d : d + 1, 0],
                df=result.df[d : d + 1, 0],
                rows=None if method == "beta of a subset" else result.rows[d : d + 1, 0],
            )
            got |= {"ci_low": low[0], "ci_high": high[0]}
        for key, value in got.items():
            assert close(float(value), expected[key]), (
                f"{case} [{domain}] {key}: ours {value!r}, R {expected[key]!r}"
            )
            checked += 1
    return checked


@pytest.mark.parametrize("case", sorted(OURS))
def test_we_equal_the_stored_r_reference(case: str) -> None:
    assert compare(case, STORED) >= 2


@pytest.mark.parametrize("case", sorted(OURS))
def test_we_equal_r_run_now(case: str, fresh_r: dict[tuple[str, str], dict[str, float]]) -> None:
    assert compare(case, fresh_r) >= 2


def test_the_stored_reference_is_what_r_produces(
    fresh_r: dict[tuple[str, str], dict[str, float]],
) -> None:
    assert set(fresh_r) == set(STORED)
    for key, values in fresh_r.items():
        for name, value in values.items():
            assert close(STORED[key][name], value), key


DEFF: dict[str, Callable[[], tuple[SurveyDesign, np.ndarray, dict[str, object]]]] = {
    "clus1_mean_api00_deff": lambda: (clus1(), numbers(APICLUS1["api00"]), {}),
    "clus2_by_stype_api00_deff": lambda: (
        clus2(),
        numbers(APICLUS2["api00"]),
        by(APICLUS2, "stype"),
    ),
    "clus2_by_stype_enroll_na_deff": lambda: (clus2(), ENROLL2, by(APICLUS2, "stype")),
}


@pytest.mark.parametrize("case", sorted(DEFF))
def test_design_effects_equal_r(case: str) -> None:
    design, y, domains = DEFF[case]()
    result = estimate(design, y, **domains)  # type: ignore[arg-type]
    deff = design_effect(design, y, result, domains.get("domains"))  # type: ignore[arg-type]
    for d, domain in enumerate(result.domains):
        assert close(float(deff[d, 0]), STORED[(case, domain)]["estimate"]), (case, domain)
        assert deff[d, 0] != pytest.approx(1.0), "a clustered design is not a simple one"


def test_every_reference_case_is_compared() -> None:
    assert {case for case, _domain in STORED} == set(OURS) | set(DEFF)
