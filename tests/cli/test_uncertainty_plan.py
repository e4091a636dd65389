"""``parindex uncertainty`` and ``parindex plan``: the CSV contracts, and refusals that name the
row and write nothing."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from parindex.cli.main import main
from parindex.core.methodology import load_shipped

EDITION = "par-index-province/2023"
PAR = load_shipped(EDITION).value
assert PAR is not None
SURVEY = [(n.id, n.max_points) for _f, _c, n in PAR.scored() if n.source.startswith("survey")]
SHARES = {
    "Quảng Ninh": 0.95,
    "Hải Phòng": 0.91,
    "Lạng Sơn": 0.8145,
    "Bắc Ninh": 0.85,
    "Cao Bằng": 0.70,
}


def parindex(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in this process (the machine is shared: a fresh interpreter per call would
    cost seconds of imports); one test below runs the installed console script."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def write_points(path: Path, shares: dict[str, float] = SHARES) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", "component", "points"])
        for unit, share in shares.items():
            for _f, _c, node in PAR.scored():
                writer.writerow([unit, node.id, f"{node.max_points * share:.4f}"])


def write_replicates(path: Path, replicates: int, spread: float, seed: int = 0) -> None:
    """Each unit's survey components wobble by ``spread`` of their maximum around its share."""
    rng = np.random.default_rng(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["replicate", "unit", "component", "points"])
        for r in range(1, replicates + 1):
            for unit, share in SHARES.items():
                for node, maximum in SURVEY:
                    value = np.clip(share + rng.normal(0, spread), 0, 1) * maximum
                    writer.writerow([r, unit, node, f"{value:.6f}"])


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_uncertainty_writes_intervals_and_group_probabilities(tmp_path: Path) -> None:
    points, replicates, out = tmp_path / "p.csv", tmp_path / "r.csv", tmp_path / "out.csv"
    write_points(points)
    write_replicates(replicates, 200, spread=0.15)
    args = ["uncertainty", "--edition", EDITION, "--points", str(points)]
    args += ["--survey-replicates", str(replicates), "--replicates", "400", "--seed", "5"]
    result = parindex(*args, "--out", str(out))
    assert result.returncode == 0, result.stderr
    rows = {row["unit"]: row for row in read(out)}
    assert list(rows["Lạng Sơn"]) == [
        "unit", "index_pct", "rank", "rank_median", "rank_lo", "rank_hi",
        "p_group_A", "p_group_B", "p_group_C", "p_group_D",
    ]  # fmt: skip
    assert rows["Quảng Ninh"]["rank"] == "1" and rows["Lạng Sơn"]["rank"] == "4"
    for row in rows.values():
        assert int(row["rank_lo"]) <= int(row["rank_median"]) <= int(row["rank_hi"])
        assert sum(float(row[f"p_group_{g}"]) for g in "ABCD") == pytest.approx(1, abs=1e-3)
    # Hải Phòng (91 %) and Quảng Ninh (95 %) trade places in some replicates, Cao Bằng never rises.
    assert rows["Cao Bằng"]["rank_lo"] == rows["Cao Bằng"]["rank_hi"] == "5"
    assert 0 < float(rows["Hải Phòng"]["p_group_A"]) < 1
    # The installed console script, with the same seed, writes the same file.
    again = tmp_path / "again.csv"
    executable = shutil.which("parindex")
    assert executable
    script = subprocess.run(
        [executable, *args, "--out", str(again)], capture_output=True, text=True, timeout=300
    )
    assert script.returncode == 0, script.stderr
    assert again.read_bytes() == out.read_bytes()


def test_uncertainty_refuses_a_bad_replicate_row_by_its_number(tmp_path: Path) -> None:
    points, replicates, out = tmp_path / "p.csv", tmp_path / "r.csv", tmp_path / "out.csv"
    write_points(points)
    write_replicates(replicates, 3, spread=0.1)
    lines = replicates.read_text("utf-8").splitlines()
    lines[4] = lines[4].rsplit(",", 1)[0] + ",1.5"  # more points than the maximum of 1
    lines.append("2,Lạng Sơn,1.1.1,0.5")  # a component not scored by a survey
    replicates.write_text("\n".join(lines) + "\n", "utf-8")
    result = parindex(
        "uncertainty", "--edition", EDITION, "--points", str(points),
        "--survey-replicates", str(replicates), "--replicates", "10", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 1
    assert "row 5: points '1.5' must be a number from 0 to 1" in result.stderr
    assert f"row {len(lines)}: component '1.1.1' is not scored by a survey" in result.stderr
    assert "nothing written" in result.stderr and not out.exists()


def test_uncertainty_refuses_a_replicate_that_lacks_a_cell(tmp_path: Path) -> None:
    points, replicates, out = tmp_path / "p.csv", tmp_path / "r.csv", tmp_path / "out.csv"
    write_points(points)
    write_replicates(replicates, 2, spread=0.1)
    lines = replicates.read_text("utf-8").splitlines()
    replicates.write_text("\n".join(lines[:-1]) + "\n", "utf-8")
    result = parindex(
        "uncertainty", "--edition", EDITION, "--points", str(points),
        "--survey-replicates", str(replicates), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 1 and not out.exists()
    assert f"replicate 2 lacks unit 'Cao Bằng' component '{SURVEY[-1][0]}'" in result.stderr


def test_uncertainty_refuses_bad_points_with_the_row(tmp_path: Path) -> None:
    points, out = tmp_path / "p.csv", tmp_path / "out.csv"
    write_points(points)
    text = points.read_text("utf-8").splitlines()
    text[3] = text[3].rsplit(",", 1)[0] + ",abc"
    points.write_text("\n".join(text) + "\n", "utf-8")
    result = parindex(
        "uncertainty", "--edition", EDITION, "--points", str(points), "--out", str(out)
    )
    assert result.returncode == 1 and not out.exists()
    assert "row 4: points 'abc' is not a number" in result.stderr


def test_plan_prints_the_cheapest_way_into_group_a_and_writes_it(tmp_path: Path) -> None:
    points, out, effort = tmp_path / "p.csv", tmp_path / "plan.csv", tmp_path / "effort.csv"
    write_points(points)
    effort.write_text("component,weight\n8.1.1,5\n", "utf-8")
    result = parindex(
        "plan", "--edition", EDITION, "--points", str(points), "--unit", "Lạng Sơn",
        "--target", "groupA", "--effort", str(effort), "--out", str(out), "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["reachable"] and plan["new_group"] == "A" and plan["group"] == "B"
    assert plan["new_index_pct"] >= 90
    rows = read(out)
    raised = [row for row in rows if row["action"] == "raise"]
    assert [row["component"] for row in raised] == [r["component"] for r in plan["raises"]]
    assert "8.1.1" not in {row["component"] for row in raised}  # made expensive
    assert sum(float(row["effort"]) for row in raised) == pytest.approx(plan["effort"])


def test_plan_says_what_rank_the_plan_gives(tmp_path: Path) -> None:
    points = tmp_path / "p.csv"
    write_points(points)
    result = parindex(
        "plan", "--edition", EDITION, "--points", str(points), "--unit", "Cao Bằng",
        "--target", "rank:2", "--replicates", "50",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "with the plan:" in result.stdout and "rank 2" in result.stdout.splitlines()[-1]
    assert "rank interval" in result.stdout


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--unit", "Hà Giang", "--target", "groupA"], "unit 'Hà Giang' is not in p.csv"),
        (["--unit", "Lạng Sơn", "--target", "groupZ"], "group 'Z' is not one of"),
        (["--unit", "Lạng Sơn", "--target", "rank:x"], "a rank is a whole number"),
    ],
)
def test_plan_refuses_what_it_cannot_plan(tmp_path: Path, extra: list[str], message: str) -> None:
    points = tmp_path / "p.csv"
    write_points(points)
    result = parindex("plan", "--edition", EDITION, "--points", str(points), *extra)
    assert result.returncode == 1 and message in result.stderr


def test_plan_refuses_a_bad_effort_row(tmp_path: Path) -> None:
    points, effort, out = tmp_path / "p.csv", tmp_path / "effort.csv", tmp_path / "plan.csv"
    write_points(points)
    effort.write_text("component,weight\n1.1.1,2\n9.9,1\n", "utf-8")
    result = parindex(
        "plan", "--edition", EDITION, "--points", str(points), "--unit", "Lạng Sơn",
        "--target", "groupA", "--effort", str(effort), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 1 and not out.exists()
    assert "effort.csv: row 3: component '9.9' is not in edition" in result.stderr


def test_uncertainty_says_how_sure_a_fall_from_last_year_is(tmp_path: Path) -> None:
    now, then, out = tmp_path / "now.csv", tmp_path / "then.csv", tmp_path / "out.csv"
    r_now, r_then = tmp_path / "r_now.csv", tmp_path / "r_then.csv"
    write_points(now)
    # Last year Lạng Sơn was ahead of Hải Phòng (91 %); this year it has 81.45 %.
    write_points(then, SHARES | {"Lạng Sơn": 0.93})
    write_replicates(r_now, 100, spread=0.05, seed=1)
    write_replicates(r_then, 100, spread=0.05, seed=2)
    result = parindex(
        "uncertainty", "--edition", EDITION, "--points", str(now), "--survey-replicates", str(r_now),
        "--previous-points", str(then), "--previous-survey-replicates", str(r_then),
        "--replicates", "100", "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = {row["unit"]: row for row in read(out)}
    fallen = rows["Lạng Sơn"]
    assert fallen["delta_rank"] == "-2" and float(fallen["delta_pct"]) == pytest.approx(-11.55)
    assert float(fallen["p_rank_change_real"]) == 1.0 and float(fallen["p_pct_change_real"]) == 1.0
    assert rows["Cao Bằng"]["delta_rank"] == "0" and rows["Cao Bằng"]["p_rank_change_real"] == ""


def test_previous_replicates_without_previous_points_are_refused(tmp_path: Path) -> None:
    points, out = tmp_path / "p.csv", tmp_path / "out.csv"
    write_points(points)
    result = parindex(
        "uncertainty", "--edition", EDITION, "--points", str(points),
        "--previous-survey-replicates", str(points), "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 1 and "need --previous-points" in result.stderr and not out.exists()
