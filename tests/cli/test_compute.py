"""``parindex compute``: the CSV contract, and refusals that name the row and write nothing."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from parindex.core.methodology import load_shipped

EDITION = "par-index-province/2023"


def parindex(*args: str) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("parindex")
    assert executable
    return subprocess.run(
        [executable, "compute", *args], capture_output=True, text=True, timeout=120
    )


def write_points(
    path: Path,
    units: dict[str, float],
    extra: list[list[str]] | None = None,
    drop: str = "",
    override: dict[str, str] | None = None,
) -> None:
    """Every unit scores ``share`` of every component's maximum; ``override`` sets a component's
    points (as typed) for every unit."""
    edition = load_shipped(EDITION).value
    assert edition is not None
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", "component", "points", "not_applicable"])
        for unit, share in units.items():
            for _f, _c, node in edition.scored():
                if node.id != drop:
                    points = (override or {}).get(node.id, f"{node.max_points * share:.4f}")
                    writer.writerow([unit, node.id, points, "0"])
        for row in extra or []:
            writer.writerow(row)


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_results_have_the_agreed_columns_ranks_and_groups(tmp_path: Path) -> None:
    points, out = tmp_path / "points.csv", tmp_path / "results.csv"
    write_points(
        points,
        {"Quảng Ninh": 0.9218, "Hải Phòng": 0.9187, "Lạng Sơn": 0.8145, "Bắc Ninh": 0.85},
        extra=[["Lạng Sơn", "_penalty", "0", ""]],
    )
    result = parindex(
        "--edition", EDITION, "--points", str(points), "--not-ranked", "Bắc Ninh", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    rows = read(out)
    assert list(rows[0]) == ["unit", "points", "max_points", "index_pct", "rank", "group"] + [
        f"field:{i}_pct" for i in range(1, 9)
    ]
    by_unit = {r["unit"]: r for r in rows}
    assert [by_unit[u]["index_pct"] for u in ("Quảng Ninh", "Hải Phòng", "Lạng Sơn")] == [
        "92.18",
        "91.87",
        "81.45",
    ]
    assert [by_unit[u]["rank"] for u in ("Quảng Ninh", "Hải Phòng", "Lạng Sơn", "Bắc Ninh")] == [
        "1",
        "2",
        "3",
        "",
    ]
    assert [by_unit[u]["group"] for u in ("Quảng Ninh", "Lạng Sơn", "Bắc Ninh")] == ["A", "B", "B"]
    assert by_unit["Lạng Sơn"]["field:8_pct"] == "81.45"


def test_previous_results_give_the_change_in_points_and_places(tmp_path: Path) -> None:
    points, before, after = tmp_path / "p.csv", tmp_path / "2021.csv", tmp_path / "2022.csv"
    write_points(points, {"Lạng Sơn": 0.9, "Hà Nội": 0.8, "Cao Bằng": 0.7})
    assert (
        parindex("--edition", EDITION, "--points", str(points), "--out", str(before)).returncode
        == 0
    )
    write_points(points, {"Lạng Sơn": 0.7545, "Hà Nội": 0.85, "Cao Bằng": 0.8})
    result = parindex(
        "--edition",
        EDITION,
        "--points",
        str(points),
        "--previous",
        str(before),
        "--out",
        str(after),
    )
    assert result.returncode == 0, result.stderr
    by_unit = {r["unit"]: r for r in read(after)}
    # Lạng Sơn: 90.00 → 75.45 = −14.55 points, 1st → 3rd = −2 places
    assert (by_unit["Lạng Sơn"]["delta_pct"], by_unit["Lạng Sơn"]["delta_rank"]) == ("-14.55", "-2")
    assert (by_unit["Hà Nội"]["delta_pct"], by_unit["Hà Nội"]["delta_rank"]) == ("5.00", "1")


@pytest.mark.parametrize(
    ("extra", "drop", "override", "message"),
    [
        (
            [["Hà Nội", "9.9.9", "1", "0"]],
            "",
            {},
            "row 90: component '9.9.9' is not in edition par-index-province/2023",
        ),
        ([["Hà Nội", "_bonus", "-1", ""]], "", {}, "row 90: _bonus must be a number of points ≥ 0"),
        ([], "", {"1.1.1": "7"}, "row 2: points 7 above the maximum 1 of component 1.1.1"),
        ([], "", {"1.1.1": "-0.5"}, "row 2: points -0.5 below zero for component 1.1.1"),
        ([], "", {"1.1.1": "một"}, "row 2: points 'một' is not a number"),
        (
            [["Hà Nội", "1.1.1", "1", "0"]],
            "",
            {},
            "row 90: unit 'Hà Nội' has component '1.1.1' again (first on row 2)",
        ),
        ([], "1.1.1", {}, "unit 'Hà Nội' lacks components 1.1.1: give points or not_applicable=1"),
    ],
    ids=[
        "an unknown component",
        "a negative bonus",
        "points above the maximum",
        "points below zero",
        "points that are not a number",
        "a duplicate row",
        "a unit lacking a component",
    ],
)
def test_bad_points_are_refused_with_the_row_and_nothing_is_written(
    tmp_path: Path, extra: list[list[str]], drop: str, override: dict[str, str], message: str
) -> None:
    points, out = tmp_path / "points.csv", tmp_path / "results.csv"
    write_points(points, {"Hà Nội": 0.9}, extra=extra, drop=drop, override=override)
    result = parindex("--edition", EDITION, "--points", str(points), "--out", str(out))
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert result.stderr.splitlines()[-1].startswith("1 problem in")
    assert result.stderr.splitlines()[-1].endswith("nothing written")
    assert len(result.stderr.splitlines()) == 2, "one finding, not the same row reported twice"
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_not_applicable_components_leave_the_maximum(tmp_path: Path) -> None:
    points, out = tmp_path / "points.csv", tmp_path / "results.csv"
    write_points(points, {"Hà Nội": 1.0}, extra=[["Hà Nội", "1.1.1", "", "1"]], drop="1.1.1")
    assert (
        parindex("--edition", EDITION, "--points", str(points), "--out", str(out)).returncode == 0
    )
    (row,) = read(out)
    assert (row["max_points"], row["index_pct"]) == ("99.00", "100.00")


def test_an_unknown_not_ranked_unit_is_refused(tmp_path: Path) -> None:
    points, out = tmp_path / "points.csv", tmp_path / "results.csv"
    write_points(points, {"Hà Nội": 1.0})
    result = parindex(
        "--edition", EDITION, "--points", str(points), "--not-ranked", "Ha Noi", "--out", str(out)
    )
    assert result.returncode == 1 and "['Ha Noi']" in result.stderr
    assert not out.exists()


def test_unit_kinds_put_units_in_the_editions_peer_groups(tmp_path: Path) -> None:
    edition = load_shipped("par-index-provincial-units/2024").value
    assert edition is not None
    points, out = tmp_path / "points.csv", tmp_path / "results.csv"
    with points.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", "component", "points", "not_applicable", "unit_kind"])
        for unit, kind, share in (
            ("Sở Nội vụ", "department", 0.9),
            ("Sở Y tế", "department", 0.8),
            ("Xã Hữu Lũng", "commune", 0.7),
        ):
            for _f, _c, node in edition.scored():
                if not node.applies_to or kind in node.applies_to:
                    writer.writerow([unit, node.id, node.max_points * share, 0, kind])
    result = parindex(
        "--edition", "par-index-provincial-units/2024", "--points", str(points), "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    by_unit = {r["unit"]: r for r in read(out)}
    assert [by_unit[u]["rank"] for u in ("Sở Nội vụ", "Sở Y tế", "Xã Hữu Lũng")] == ["1", "2", "1"]
    assert [by_unit[u]["max_points"] for u in ("Sở Nội vụ", "Xã Hữu Lũng")] == ["95.00", "93.00"]
    points.write_text(points.read_text("utf-8").replace(",commune", ",village"), "utf-8")
    refused = parindex(
        "--edition", "par-index-provincial-units/2024", "--points", str(points), "--out", str(out)
    )
    assert refused.returncode == 1 and "unknown unit_kind 'village'" in refused.stderr


def test_a_bonus_on_an_edition_that_allows_none_is_refused_with_the_reason(
    tmp_path: Path,
) -> None:
    edition = load_shipped(EDITION).value
    assert edition is not None and edition.bonus_cap == 0
    points, out = tmp_path / "points.csv", tmp_path / "results.csv"
    write_points(points, {"Hà Nội": 0.9}, extra=[["Hà Nội", "_bonus", "1", ""]])
    result = parindex("--edition", EDITION, "--points", str(points), "--out", str(out))
    assert result.returncode == 1
    assert f"_bonus 1: edition {EDITION} allows no bonus points (its bonus cap is 0)" in (
        result.stderr
    )
    assert not out.exists()


def test_a_semicolon_file_with_decimal_commas_gives_the_same_results(tmp_path: Path) -> None:
    comma, out_comma = tmp_path / "points.csv", tmp_path / "a.csv"
    write_points(comma, {"Hà Nội": 0.9, "Huế": 0.75})
    semicolon, out_semicolon = tmp_path / "diem.csv", tmp_path / "b.csv"
    with comma.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    # What Excel writes in a Vietnamese locale: a BOM, semicolons, decimal commas.
    text = "\n".join(
        ";".join(cell.replace(".", ",") if k == 2 else cell for k, cell in enumerate(row))
        for row in rows
    )
    semicolon.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert "," in text and ";" in text
    for points, out in ((comma, out_comma), (semicolon, out_semicolon)):
        result = parindex("--edition", EDITION, "--points", str(points), "--out", str(out))
        assert result.returncode == 0, result.stderr
    assert read(out_semicolon) == read(out_comma)


def test_a_file_in_another_encoding_is_refused_with_its_name(tmp_path: Path) -> None:
    points, out = tmp_path / "diem-1258.csv", tmp_path / "results.csv"
    points.write_bytes("unit,component,points\nHà Nam,1.1.1,1\n".encode("cp1258"))
    result = parindex("--edition", EDITION, "--points", str(points), "--out", str(out))
    assert result.returncode == 1
    assert "diem-1258.csv" in result.stderr and "CSV UTF-8" in result.stderr
    assert "codec" not in result.stderr and not out.exists()
