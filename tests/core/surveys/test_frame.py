"""Sampling frames read from CSV and Excel, and the multi-stage draw from them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from openpyxl import Workbook

from parindex.core.surveys import SurveyDesign
from parindex.core.surveys.frame import StageSpec, draw
from parindex.core.tabular import TableError, read_table


def household_frame(
    strata: int = 2, communes: int = 4, villages: int = 3, households: int = 10
) -> str:
    lines = ["province,commune,village,household"]
    for s in range(strata):
        for c in range(communes):
            for v in range(villages):
                lines += [f"P{s},{c:03d},{v},{h}" for h in range(households)]
    return "\n".join(lines) + "\n"


def test_a_csv_frame_is_read_with_its_codes_as_text(tmp_path: Path) -> None:
    path = tmp_path / "frame.csv"
    path.write_text(household_frame(), "utf-8")
    frame = read_table(path)
    assert frame.rows == 2 * 4 * 3 * 10
    assert frame.columns["commune"][0] == "000", "leading zeros of codes are kept"


def test_an_excel_frame_reads_like_the_same_csv(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in household_frame().splitlines():
        sheet.append(line.split(","))
    sheet.append(["P9", 7.0, 2, 1])  # Excel keeps a typed code as a number
    path = tmp_path / "frame.xlsx"
    book.save(path)
    frame = read_table(path)
    csv_frame = read_table(tmp_path.joinpath("f.csv"), household_frame().encode())
    assert frame.rows == csv_frame.rows + 1
    assert frame.columns["commune"][:-1] == csv_frame.columns["commune"]
    assert frame.columns["commune"][-1] == "7"


def test_a_semicolon_csv_from_a_vietnamese_excel_is_understood(tmp_path: Path) -> None:
    frame = read_table(tmp_path / "f.csv", "tỉnh;xã\nLạng Sơn;Đồng Đăng\n".encode())
    assert frame.columns == {"tỉnh": ["Lạng Sơn"], "xã": ["Đồng Đăng"]}


def read_and_draw(name: str, content: str) -> None:
    frame = read_table(Path(name), content.encode())
    draw(frame, strata="a", stages=[StageSpec("b", 1)], final_take=1, seed=1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("f.csv", "a,b\n1,2\n3,\n", "f.csv, row 3: column 'b' is empty"),
        ("f.csv", "a,a\n1,2\n", "f.csv, row 1: column 'a' appears twice"),
        ("f.csv", "a,b\n1,2,3\n", "f.csv, row 2: more values than column names"),
        ("f.csv", "a,b\n", "f.csv: the file has no rows"),
        ("f.xlsx", "not a workbook", "f.xlsx: not an Excel workbook"),
        ("f.txt", "a\n1\n", "f.txt: expected a .csv or .xlsx file"),
    ],
)
def test_a_bad_frame_is_refused_with_the_place_of_the_fault(
    name: str, content: str, message: str
) -> None:
    with pytest.raises(TableError, match=re.escape(message)):
        read_and_draw(name, content)


def test_a_missing_column_is_named_with_the_columns_there_are() -> None:
    frame = read_table(Path("f.csv"), household_frame().encode())
    with pytest.raises(TableError, match="no column 'xa' \\(columns: province, commune"):
        draw(frame, strata="province", stages=[StageSpec("xa", 2)], final_take=5, seed=1)


def test_three_stages_give_the_probabilities_and_fpc_counted_by_hand() -> None:
    frame = read_table(Path("f.csv"), household_frame().encode())
    sample = draw(
        frame,
        strata="province",
        stages=[StageSpec("commune", 2), StageSpec("village", 2)],
        final_take=5,
        seed=7,
    )
    # Per province 2 of 4 communes, 2 of 3 villages, 5 of 10 households: 20 households, each
    # with probability 2/4 · 2/3 · 5/10 = 1/6.
    assert len(sample.rows) == 40
    assert np.allclose(sample.probability, 1 / 6)
    assert set(sample.population[0]) == {4.0}
    assert set(sample.population[1]) == {3.0}
    assert set(sample.population[2]) == {10.0}
    for province in ("P0", "P1"):
        chosen = [
            c for s, c in zip(sample.strata, sample.clusters[0], strict=True) if s == province
        ]
        assert len(set(chosen)) == 2
    design = SurveyDesign.from_columns(
        len(sample.rows),
        strata=list(sample.strata),
        clusters=[list(c) for c in sample.clusters],
        fpc=[list(p) for p in sample.population],
    )
    assert np.allclose(design.weights, 1 / sample.probability)
    assert design.weights.sum() == pytest.approx(frame.rows), "the weights add up to the frame"


def test_the_same_seed_draws_the_same_sample_and_another_seed_another() -> None:
    frame = read_table(Path("f.csv"), household_frame(communes=20).encode())
    spec = {"strata": "province", "stages": [StageSpec("commune", 3)], "final_take": 4}
    first = draw(frame, seed=11, **spec)  # type: ignore[arg-type]
    again = draw(frame, seed=11, **spec)  # type: ignore[arg-type]
    other = draw(frame, seed=12, **spec)  # type: ignore[arg-type]
    assert first.rows.tolist() == again.rows.tolist()
    assert first.rows.tolist() != other.rows.tolist()


def test_pps_favours_large_communes_and_takes_a_very_large_one_for_certain() -> None:
    lines = ["commune,household"]
    sizes = {"big": 600, "a": 100, "b": 100, "c": 100, "d": 100}
    for commune, size in sizes.items():
        lines += [f"{commune},{h}" for h in range(size)]
    frame = read_table(Path("f.csv"), ("\n".join(lines) + "\n").encode())
    sample = draw(
        frame, strata=None, stages=[StageSpec("commune", 2, "pps")], final_take=10, seed=3
    )
    communes = sample.clusters[0]
    assert "big" in communes, "600 of 1,000 households: n·size/total ≥ 1, taken for certain"
    by_commune = dict(zip(communes, sample.probability, strict=True))
    assert by_commune["big"] == pytest.approx(1 * 10 / 600)
    other = next(c for c in by_commune if c != "big")
    assert by_commune[other] == pytest.approx(1 / 4 * 10 / 100), (
        "1 of the 4 small ones, then 10 of 100"
    )
    assert all(np.isnan(p) for stage in sample.population for p in stage), "no fpc after PPS"


def test_one_stage_draws_dossiers_within_each_agency() -> None:
    content = io.StringIO()
    content.write("agency,dossier\n")
    for agency, count in (("Sở Tư pháp", 40), ("Sở Xây dựng", 25)):
        content.writelines(f"{agency},{agency[:2]}-{k}\n" for k in range(count))
    frame = read_table(Path("dossiers.csv"), content.getvalue().encode())
    sample = draw(frame, strata="agency", stages=[], final_take=10, seed=5)
    assert sample.strata.count("Sở Tư pháp") == 10 and sample.strata.count("Sở Xây dựng") == 10
    assert sorted(set(sample.probability.round(6))) == [0.25, 0.4]
    assert sorted(set(sample.population[0])) == [25.0, 40.0]
