"""Crafted files against every reader in core: each is refused with its reason named, before the
expensive part of the work (the tests build the files in memory; none is kept)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parindex.core.assessment.sheet import read_scoring_sheet
from parindex.core.methodology.excel import import_workbook
from parindex.core.methodology.shipped import load_shipped
from parindex.core.surveys.xlsform import import_xlsform
from parindex.core.tabular import TableError, read_table
from parindex.core.workbook import (
    FORM_LIMITS,
    Limits,
    WorkbookError,
    check_workbook,
    open_workbook,
    read_sheets,
)
from tests import crafted


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(crafted.zip_bomb(), "expands 293 times (a zip bomb?)", id="a zip bomb"),
        pytest.param(crafted.zero_bomb(), "zeros.bin expands", id="a part of zeros"),
        pytest.param(
            crafted.truncated(crafted.workbook([["a"], [1]] * 50)),
            "damaged or truncated",
            id="a truncated workbook",
        ),
        pytest.param(b"a,b\n1,2\n", "not an Excel workbook", id="a CSV renamed .xlsx"),
        pytest.param(b"", "not an Excel workbook", id="an empty file"),
    ],
)
def test_a_hostile_workbook_is_refused_before_openpyxl_parses_it(data: bytes, reason: str) -> None:
    with pytest.raises(WorkbookError, match=r"^frame\.xlsx: ") as refused:
        check_workbook(data, "frame.xlsx")
    assert reason in str(refused.value)


def test_a_sheet_that_declares_too_many_rows_is_refused_by_its_dimension() -> None:
    lenient = Limits(ratio=10_000, rows=1_000)
    with pytest.raises(WorkbookError, match="declares 5,000 rows × 3 columns; at most 1,000 rows"):
        check_workbook(crafted.zip_bomb(5_000), "frame.xlsx", lenient)


def test_a_sheet_without_a_dimension_is_stopped_while_it_is_read() -> None:
    lenient = Limits(ratio=10_000, rows=1_000)
    data = crafted.zip_bomb(5_000, dimension=False)
    with pytest.raises(WorkbookError, match=r"frame.xlsx#Sheet: more than 1,000 rows; refused"):
        read_sheets(data, "frame.xlsx", lenient)


def test_a_file_over_the_size_limit_is_refused_unread() -> None:
    with pytest.raises(WorkbookError, match="at most 10 MB is accepted"):
        check_workbook(b"PK" + b"\0" * (11 * 1024 * 1024), "sheet.xlsx", FORM_LIMITS)


def test_a_sound_workbook_opens_read_only() -> None:
    book = open_workbook(crafted.workbook([["code", "size"], ["00123", 4]]), "frame.xlsx")
    assert book.read_only
    assert list(book.worksheets[0].iter_rows(values_only=True)) == [("code", "size"), ("00123", 4)]
    book.close()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "frame.csv",
            crafted.big_csv(25),
            "frame.csv: the file is 25.0 MB; at most 20 MB is accepted",
            id="a 25 MB CSV",
        ),
        pytest.param(
            "points.csv",
            crafted.long_field_csv(),
            "points.csv, row 2: a value longer than 131,072 characters",
            id="a 131k-character field",
        ),
        pytest.param(
            "frame.xlsx",
            crafted.zip_bomb(),
            "frame.xlsx: xl/worksheets/sheet1.xml expands",
            id="a zip bomb",
        ),
        pytest.param(
            "frame.xlsx",
            crafted.truncated(crafted.workbook([["code"], ["1"]] * 40)),
            "frame.xlsx: not an Excel workbook (.xlsx), or the file is damaged or truncated",
            id="a truncated workbook",
        ),
    ],
)
def test_a_table_reader_names_the_refusal(name: str, data: bytes, message: str) -> None:
    with pytest.raises(TableError) as refused:
        read_table(Path(name), data)
    assert str(refused.value).startswith(message)


def test_a_field_at_the_limit_is_read() -> None:
    table = read_table(Path("points.csv"), crafted.long_field_csv(131_000))
    assert len(table.column("points")[0]) == 131_000


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(crafted.zip_bomb(), id="a zip bomb"),
        pytest.param(crafted.truncated(crafted.workbook([["type", "name"]] * 40)), id="truncated"),
    ],
)
def test_the_form_and_edition_readers_refuse_with_a_finding(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "upload.xlsx"
    path.write_bytes(data)
    form = import_xlsform(path, "citizens")
    edition = import_workbook(path)
    assert form.value is None and edition.value is None
    assert "not a readable XLSForm workbook: upload.xlsx: " in form.findings[0].message
    assert edition.findings[0].message.startswith("upload.xlsx: ")
    refused = read_scoring_sheet(data, "upload.xlsx", _edition(), "province:01", [])
    assert refused.value is None and refused.findings[0].file == "upload.xlsx"
    assert "không phải tệp Excel (.xlsx) đọc được" in refused.findings[0].message


def _edition():  # type: ignore[no-untyped-def]
    edition = load_shipped("par-index-province/2023").value
    assert edition is not None
    return edition
