"""Tables from files: the sampling frames and collection exports users bring as CSV or Excel.

The first row names the columns; every value is kept as text (codes such as 00123 keep their
leading zeros), and every fault is reported with the file, row and column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from parindex.core.errors import ParindexError
from parindex.core.workbook import LIMITS, WorkbookError, open_workbook, sheet_rows

# Limits that keep one upload from holding the server: a frame of 200,000 rows fits.
MAX_BYTES = LIMITS.file_bytes
MAX_ROWS = LIMITS.rows
MAX_FIELD = 131_072  # Python's csv default; a longer value is refused with its row


class TableError(ParindexError):
    """A file that cannot be read as a table; the message names the file, row and column."""


@dataclass(frozen=True)
class Table:
    source: str
    columns: dict[str, list[str]]

    @property
    def rows(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def column(self, name: str) -> list[str]:
        if name not in self.columns:
            raise TableError(
                f"{self.source}: no column '{name}' (columns: {', '.join(self.columns)})"
            )
        values = self.columns[name]
        for row, value in enumerate(values, start=2):
            if not value:
                raise TableError(f"{self.source}, row {row}: column '{name}' is empty")
        return values


def read_table(path: Path, content: bytes | None = None) -> Table:
    """A table from a ``.csv`` (UTF-8, comma or semicolon) or ``.xlsx`` file (first sheet), its
    first row the column names. ``content`` is the file's bytes when it came as an upload."""
    data = path.read_bytes() if content is None else content
    source = path.name
    if len(data) > MAX_BYTES:
        raise TableError(
            f"{source}: the file is {len(data) / 1048576:.1f} MB; at most "
            f"{MAX_BYTES // 1048576} MB is accepted"
        )
    if path.suffix.lower() == ".xlsx":
        header, body = _xlsx_rows(data, source)
    elif path.suffix.lower() == ".csv":
        header, body = _csv_rows(data, source)
    else:
        raise TableError(f"{source}: expected a .csv or .xlsx file")
    if not header or any(not name for name in header):
        raise TableError(f"{source}, row 1: every column needs a name")
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise TableError(f"{source}, row 1: column '{duplicated[0]}' appears twice")
    if not body:
        raise TableError(f"{source}: the file has no rows")
    columns: dict[str, list[str]] = {name: [] for name in header}
    for row, values in enumerate(body, start=2):
        if len(values) > len(header) and any(values[len(header) :]):
            raise TableError(f"{source}, row {row}: more values than column names")
        for k, name in enumerate(header):
            columns[name].append(values[k] if k < len(values) else "")
    return Table(source, columns)


def _csv_rows(data: bytes, source: str) -> tuple[list[str], list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(
            f"{source}: not UTF-8 text (byte {error.start}); save the file as CSV UTF-8"
        ) from None
    # Excel in a Vietnamese locale saves CSV with semicolons (the comma is the decimal mark).
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if reader.line_num > MAX_ROWS + 1:
                raise TableError(f"{source}: more than {MAX_ROWS:,} rows; refused")
            rows.append(row)
    except csv.Error as error:
        if "field larger" in str(error):
            raise TableError(
                f"{source}, row {reader.line_num}: a value longer than {MAX_FIELD:,} characters"
            ) from None
        raise TableError(f"{source}, row {reader.line_num}: {error}") from None
    rows = [[value.strip() for value in row] for row in rows if any(v.strip() for v in row)]
    return (rows[0], rows[1:]) if rows else ([], [])


def _xlsx_rows(data: bytes, source: str) -> tuple[list[str], list[list[str]]]:
    try:
        book = open_workbook(data, source)
        try:
            if not book.worksheets:
                raise TableError(f"{source}: the workbook has no sheet")
            rows = [
                [_cell_text(value) for value in row]
                for row in sheet_rows(book.worksheets[0], source)
                if any(value not in (None, "") for value in row)
            ]
        finally:
            book.close()
    except WorkbookError as error:
        raise TableError(str(error)) from None
    return (rows[0], rows[1:]) if rows else ([], [])


def _cell_text(value: object) -> str:
    # Excel turns codes such as 00123 into numbers; a whole float is written back as an integer.
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
