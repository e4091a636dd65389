"""``parindex survey estimate``: the CSV contract, checked against R's figures (reference.csv)."""

from __future__ import annotations

import csv
import random
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
    assert list(rows[0]) == [
        "variable",
        "domain",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "n",
        "df",
        "deff",
    ]
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
    assert "data.csv" in result.stderr


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
    assert out.read_text("utf-8").splitlines()[1].startswith("y,all,2.0,0.33333333333333")


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_many_variables_in_one_call_give_one_long_table_equal_to_r(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    result = parindex(
        "--data",
        str(GOLDEN / "apiclus2.csv"),
        "--cluster",
        "dnum,snum",
        "--fpc",
        "fpc1,fpc2",
        "--mean",
        "api00,enroll",
        "--proportion",
        "yr.rnd=Yes",
        "--by",
        "stype",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    rows = rows_of(out)
    assert [r["variable"] for r in rows] == ["api00"] * 3 + ["enroll"] * 3 + ["yr.rnd=Yes"] * 3
    by_stype = reference("clus2_by_stype_api00")
    deff = reference_deff("clus2_by_stype_enroll_na_deff")
    for row in rows:
        if row["variable"] == "api00":
            assert float(row["estimate"]) == pytest.approx(
                by_stype[row["domain"]]["estimate"], rel=1e-9
            )
            assert float(row["se"]) == pytest.approx(by_stype[row["domain"]]["se"], rel=1e-9)
        if row["variable"] == "enroll":
            assert float(row["deff"]) == pytest.approx(deff[row["domain"]], rel=1e-9)
        assert int(row["df"]) > 0 and 0 < int(row["n"]) <= 126


def reference_deff(case: str) -> dict[str, float]:
    with (GOLDEN / "reference.csv").open(encoding="utf-8") as handle:
        return {
            r["domain"].strip(): float(r["estimate"])
            for r in csv.DictReader(handle)
            if r["case"] == case
        }


def test_items_from_a_file_and_an_na_domain_left_out_as_r_does(tmp_path: Path) -> None:
    data = tmp_path / "apistrat.csv"
    lines = (GOLDEN / "apistrat.csv").read_text("utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    awards = header.index("awards")
    rows = [next(csv.reader([line])) for line in lines[1:]]
    for k in (2, 49, 119, 179):  # the rows R's reference sets to NA
        rows[k][awards] = "NA" if k % 2 else ""
    with data.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    items = tmp_path / "items.csv"
    items.write_text("variable,value\napi00,\nsch.wide,Yes\n", "utf-8")
    out = tmp_path / "out.csv"
    result = parindex(
        "--data",
        str(data),
        "--strata",
        "stype",
        "--fpc",
        "fpc",
        "--items",
        str(items),
        "--by",
        "awards",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert "4 rows without a awards left out" in result.stdout
    written = rows_of(out)
    assert {r["domain"] for r in written} == {"No", "Yes"}, "no 'NA' and no blank domain"
    expected = reference("strat_by_awards_with_na_api00")
    for row in written:
        if row["variable"] == "api00":
            for key in ("estimate", "se", "ci_low", "ci_high"):
                assert float(row[key]) == pytest.approx(expected[row["domain"]][key], rel=1e-9)
    assert [r["variable"] for r in written][-1] == "sch.wide=Yes"


def test_a_semicolon_file_with_decimal_commas_is_read_as_excel_writes_it(tmp_path: Path) -> None:
    data = tmp_path / "vn.csv"
    data.write_bytes("\ufefftỉnh;trọng số;thu nhập\nA;1,5;10,25\nA;2,5;12,75\nB;1;9\n".encode())
    out = tmp_path / "out.csv"
    result = parindex(
        "--data", str(data), "--weight", "trọng số", "--mean", "thu nhập", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    # (1.5 · 10.25 + 2.5 · 12.75 + 1 · 9) / 5 = (15.375 + 31.875 + 9) / 5 = 56.25 / 5
    assert float(rows_of(out)[0]["estimate"]) == pytest.approx(56.25 / 5, rel=1e-12)


@pytest.mark.parametrize(
    ("content", "arguments", "message"),
    [
        (
            "d,s,y\n1,a,1\n,b,2\n2,c,3\n",
            ["--cluster", "d", "--mean", "y"],
            "row 3: column 'd' is empty",
        ),
        (
            "d,s,y\n1,a,1\nNA,b,2\n2,c,3\n",
            ["--cluster", "d", "--mean", "y"],
            "column 'd' has no value on row 3",
        ),
        (
            "st,f,y\nE,40,1\nE,41,2\nH,30,3\nH,30,4\n",
            ["--strata", "st", "--fpc", "f", "--mean", "y"],
            "fpc column 'f' varies within stratum 'E': 40 on row 2, 41 on row 3",
        ),
        (
            "d,s,f1,y\n1,a,10,1\n1,b,10,2\n2,c,10,3\n",
            ["--cluster", "d,s", "--fpc", "f1", "--mean", "y"],
            "1 --fpc column(s) for 2 stage(s)",
        ),
        (
            "st,y\nAlameda,1\nAlameda,2\nCalaveras,3\n",
            ["--strata", "st", "--mean", "y"],
            "stratum 'Calaveras' has only one PSU at stage 1",
        ),
        (
            "y\n1\n2\n",
            ["--mean", "y", "--level", "95"],
            "--level is a fraction between 0 and 1, e.g. 0.95 for 95 %, not 95",
        ),
        (
            'y\n"1,5"\n2.5\n',
            ["--mean", "y"],
            "mixes a decimal comma",
        ),
    ],
    ids=[
        "empty cluster id",
        "NA cluster id",
        "fpc varying within a stratum",
        "fpc for the first of two stages",
        "lonely PSU named by its stratum",
        "level as a percentage",
        "ambiguous decimal marks",
    ],
)
def test_a_bad_design_is_refused_naming_its_column_row_or_stratum(
    tmp_path: Path, content: str, arguments: list[str], message: str
) -> None:
    data = tmp_path / "data.csv"
    data.write_text(content, "utf-8")
    out = tmp_path / "out.csv"
    result = parindex("--data", str(data), *arguments, "--out", str(out))
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "nothing written" in result.stderr and not out.exists()


def test_a_file_in_another_encoding_is_refused_with_its_name_and_what_to_do(
    tmp_path: Path,
) -> None:
    data = tmp_path / "tinh.csv"
    data.write_bytes("tinh,y\nHà Nam,1\n".encode("cp1258"))
    result = parindex("--data", str(data), "--mean", "y", "--out", str(tmp_path / "o.csv"))
    assert result.returncode == 1
    assert "tinh.csv" in result.stderr and "CSV UTF-8" in result.stderr


def test_the_whole_sipas_questionnaire_by_province_in_one_call(tmp_path: Path) -> None:
    from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires

    questionnaire = load_questionnaire(shipped_questionnaires()["sipas-2023-citizens"]).value
    assert questionnaire is not None
    scored = [q for q in questionnaire.questions() if q.node]
    rng = random.Random(17)
    data = tmp_path / "sipas.csv"
    with data.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["tinh", "xa", *(q.id for q in scored)])
        for row in range(60):
            province, commune = ("Huế", "Cần Thơ")[row % 2], f"x{row % 6}"
            writer.writerow([province, commune, *(rng.choice("12345") for _ in scored)])
    out = tmp_path / "out.csv"
    result = parindex(
        "--data",
        str(data),
        "--strata",
        "tinh",
        "--cluster",
        "xa",
        "--questionnaire",
        "sipas-2023-citizens",
        "--edition",
        "sipas/2023",
        "--by",
        "tinh",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    rows = rows_of(out)
    variables = list(dict.fromkeys(r["variable"] for r in rows))
    assert variables[-1] == "index" and len(variables) > len(scored) + 3
    assert {r["domain"] for r in rows} == {"Huế", "Cần Thơ"}
    # Item 1 in Huế, equal weights: the share answering 4 or 5 ("satisfied", "very satisfied").
    with data.open(encoding="utf-8") as handle:
        answers = [r[scored[0].id] for r in csv.DictReader(handle) if r["tinh"] == "Huế"]
    share = sum(a in ("4", "5") for a in answers) / len(answers)
    first = next(r for r in rows if r["variable"] == scored[0].node and r["domain"] == "Huế")
    assert float(first["estimate"]) == pytest.approx(share, rel=1e-12)
    assert float(first["ci_low"]) < share < float(first["ci_high"])
