"""``parindex survey estimate``: the CSV contract, checked against R's figures (reference.csv)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "survey"


def parindex(*args: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("parindex")
    assert executable
    return subprocess.run(
        [executable, "survey", "estimate", *args], capture_output=True, text=True, timeout=120
    )


def reference(case: str) -> dict[str, dict[str, float]]:
    with (GOLDEN / "reference.csv").open(encoding="utf-8") as handle:
        return {
            r["domain"].strip(): {k: float(r[k]) for k in ("estimate", "se", "ci_low", "ci_high")}
            for r in csv.DictReader(handle)
            if r["case"] == case
        }


@pytest.mark.parametrize(
    ("case", "arguments"),
    [
        (
            "clus2_by_stype_api00",
            [
                "--data",
                "apiclus2.csv",
                "--cluster",
                "dnum,snum",
                "--fpc",
                "fpc1,fpc2",
                "--mean",
                "api00",
                "--by",
                "stype",
            ],
        ),
        (
            "strat_by_stype_schwide_beta",
            [
                "--data",
                "apistrat.csv",
                "--strata",
                "stype",
                "--fpc",
                "fpc",
                "--proportion",
                "sch.wide=Yes",
                "--by",
                "stype",
                "--ci",
                "beta",
            ],
        ),
        (
            "clus1_by_stype_awards_logit",
            [
                "--data",
                "apiclus1.csv",
                "--cluster",
                "dnum",
                "--weight",
                "pw",
                "--fpc",
                "fpc",
                "--proportion",
                "awards=Yes",
                "--by",
                "stype",
            ],
        ),
        (
            "ms_mean_income",
            [
                "--data",
                "multistage.csv",
                "--strata",
                "region",
                "--cluster",
                "commune,village,household",
                "--fpc",
                "fpc1,fpc2,fpc3",
                "--mean",
                "income",
            ],
        ),
    ],
    ids=[
        "two-stage mean by domain",
        "stratified proportion, Korn-Graubard",
        "cluster proportion, logit",
        "three-stage mean overall",
    ],
)
def test_the_command_writes_what_r_computes(
    tmp_path: Path, case: str, arguments: list[str]
) -> None:
    arguments = [str(GOLDEN / a) if a.endswith(".csv") else a for a in arguments]
    out = tmp_path / "out.csv"
    result = parindex(*arguments, "--out", str(out))
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["domain", "variable", "estimate", "se", "ci_low", "ci_high", "n"]
    expected = reference(case)
    assert {r["domain"] for r in rows} == set(expected)
    for row in rows:
        for key, value in expected[row["domain"]].items():
            assert float(row[key]) == pytest.approx(value, rel=1e-9, abs=1e-12), (
                row["domain"],
                key,
            )
        assert int(row["n"]) > 0


def test_a_missing_column_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = parindex(
        "--data",
        str(GOLDEN / "apistrat.csv"),
        "--strata",
        "stratum",
        "--mean",
        "api00",
        "--out",
        str(out),
    )
    assert result.returncode == 1
    assert "has no column 'stratum'" in result.stderr and "nothing written" in result.stderr
    assert not out.exists()


def test_text_in_a_numeric_column_names_its_row(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("w,y\n1,3\n1,bốn\n", "utf-8")
    result = parindex(
        "--data", str(data), "--weight", "w", "--mean", "y", "--out", str(tmp_path / "o.csv")
    )
    assert result.returncode == 1 and "row 3: column 'y' has 'bốn', not a number" in result.stderr


def test_a_lonely_psu_is_refused_as_in_r_and_accepted_when_asked(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("s,y\na,1\na,2\nb,3\n", "utf-8")
    out = tmp_path / "o.csv"
    refused = parindex("--data", str(data), "--strata", "s", "--mean", "y", "--out", str(out))
    assert refused.returncode == 1 and "only one PSU" in refused.stderr
    accepted = parindex(
        "--data",
        str(data),
        "--strata",
        "s",
        "--mean",
        "y",
        "--lonely-psu",
        "remove",
        "--out",
        str(out),
    )
    assert accepted.returncode == 0, accepted.stderr
    assert out.read_text("utf-8").splitlines()[1].startswith("all,y,2.0,0.33333333333333")
