"""Tables from files: the sampling frames and collection exports users bring as CSV or Excel.

The first row names the columns; every value is kept as text (codes such as 00123 keep their
leading zeros), and every fault is reported with the file, row and column.

A CSV is UTF-8 (with or without the BOM Excel writes), separated by commas or by the semicolons
a Vietnamese Excel writes. Numbers (``Table.numbers``) take a decimal point or a decimal comma,
whichever the column uses: a column that mixes both, or a value with both, is refused as
ambiguous rather than guessed (1.234 may be a thousand and more, or one and a quarter).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from parindex.core.errors import ParindexError
from parindex.core.workbook import LIMITS, WorkbookError, open_workbook, sheet_rows

# Limits that keep one upload from holding the server: a frame of 200,000 rows fits.
MAX_BYTES = LIMITS.file_bytes
MAX_ROWS = LIMITS.rows
MAX_FIELD = 131_072  # Python's csv default; a longer value is refused with its row

MISSING = frozenset({"", "NA", "NaN", "nan"})
"""Cells read as "no value" by ``Table.numbers``: empty, or R's and pandas' ``NA``/``NaN``."""


class TableError(ParindexError):
    """A file that cannot be read as a table; the message names the file, row and column.

    ``code`` and ``params`` (when set) say the same for a reader in another language: the server
    translates the code's sentence and fills in the parameters (file, row, column, value).
    """

    def __init__(self, message: str, code: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = {key: str(value) for key, value in params.items()}


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

    def numbers(self, name: str, *, missing: bool = False) -> NDArray[np.float64]:
        """The column as numbers, NaN for an empty or ``NA`` cell when ``missing`` is allowed.

        The decimal mark is the one the column uses (point or comma); spaces between thousands
        are dropped. A cell that is not a number, or a column that mixes the marks, is refused
        naming the row and the value.
        """
        text = np.array([v.replace(" ", "") for v in self.column_text(name)], dtype=str)
        absent = np.isin(text, list(MISSING))
        if not missing and np.any(absent):
            row = int(np.flatnonzero(absent)[0]) + 2
            raise TableError(f"{self.source}, row {row}: column '{name}' is empty")
        comma = np.char.find(text, ",") >= 0
        point = np.char.find(text, ".") >= 0
        both = np.flatnonzero(comma & point)
        if len(both):
            row = int(both[0])
            raise TableError(
                f"{self.source}, row {row + 2}: column '{name}' has '{text[row]}', a decimal "
                "point and a decimal comma; write the number without thousands separators"
            )
        if np.any(comma) and np.any(point):
            c, p = int(np.flatnonzero(comma)[0]), int(np.flatnonzero(point)[0])
            raise TableError(
                f"{self.source}: column '{name}' mixes a decimal comma ('{text[c]}', row {c + 2})"
                f" and a decimal point ('{text[p]}', row {p + 2}); use one of them"
            )
        text = np.where(absent, "nan", np.char.replace(text, ",", "."))
        try:
            values = text.astype(float)
        except ValueError:
            values = np.empty(len(text))
            for row, value in enumerate(text):
                try:
                    values[row] = float(value)
                except ValueError:
                    raise TableError(
                        f"{self.source}, row {row + 2}: column '{name}' has "
                        f"'{self.columns[name][row]}', not a number"
                    ) from None
        bad = np.flatnonzero(np.isinf(values) | (np.isnan(values) & ~absent))
        if len(bad):
            row = int(bad[0])
            raise TableError(
                f"{self.source}, row {row + 2}: column '{name}' has "
                f"'{self.columns[name][row]}', not a number"
            )
        return values

    def column_text(self, name: str) -> list[str]:
        """The column's cells as text, empty ones included."""
        if name not in self.columns:
            raise TableError(
                f"{self.source}: no column '{name}' (columns: {', '.join(self.columns)})"
            )
        return self.columns[name]


def read_table(path: Path, content: bytes | None = None) -> Table:
    """A table from a ``.csv`` (UTF-8, comma or semicolon) or ``.xlsx`` file (first sheet), its
    first row the column names. ``content`` is the file's bytes when it came as an upload."""
    data = path.read_bytes() if content is None else content
    source = path.name
    if len(data) > MAX_BYTES:
        raise TableError(
            f"{source}: the file is {len(data) / 1048576:.1f} MB; at most "
            f"{MAX_BYTES // 1048576} MB is accepted",
            "table-too-large",
            file=source,
            limit=MAX_BYTES // 1048576,
        )
    if path.suffix.lower() == ".xlsx":
        header, body = _xlsx_rows(data, source)
    elif path.suffix.lower() == ".csv":
        header, body = _csv_rows(data, source)
    else:
        raise TableError(f"{source}: expected a .csv or .xlsx file", "table-kind", file=source)
    if not header or any(not name for name in header):
        raise TableError(
            f"{source}, row 1: every column needs a name", "table-unnamed-column", file=source
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise TableError(
            f"{source}, row 1: column '{duplicated[0]}' appears twice",
            "table-column-twice",
            file=source,
            column=duplicated[0],
        )
    if not body:
        raise TableError(f"{source}: the file has no rows", "table-no-rows", file=source)
    width = len(header)
    if all(len(values) == width for values in body):
        # The usual file: transposed in C, not cell by cell (40,000 × 40 cells in a survey).
        transposed = zip(*body, strict=True)
        return Table(source, {name: list(c) for name, c in zip(header, transposed, strict=True)})
    columns: dict[str, list[str]] = {name: [] for name in header}
    for row, values in enumerate(body, start=2):
        if len(values) > width and any(values[width:]):
            raise TableError(
                f"{source}, row {row}: more values than column names",
                "table-extra-values",
                file=source,
                row=row,
            )
        for k, name in enumerate(header):
            columns[name].append(values[k] if k < len(values) else "")
    return Table(source, columns)


def _csv_rows(data: bytes, source: str) -> tuple[list[str], list[list[str]]]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise TableError(
            f"{source}: the file is UTF-16 (Excel's 'Unicode Text'); save it again as "
            "'CSV UTF-8 (Comma delimited)'",
            "table-utf16",
            file=source,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableError(
            f"{source}, row {line}: not UTF-8 text (byte {error.start}, perhaps Windows-1258 or "
            "TCVN3); save the file as 'CSV UTF-8 (Comma delimited)' in Excel, or convert it to "
            "UTF-8",
            "table-not-utf8",
            file=source,
            row=line,
        ) from None
    # Excel in a Vietnamese locale saves CSV with semicolons (the comma is the decimal mark).
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if reader.line_num > MAX_ROWS + 1:
                raise TableError(
                    f"{source}: more than {MAX_ROWS:,} rows; refused",
                    "table-too-many-rows",
                    file=source,
                    limit=MAX_ROWS,
                )
            if "".join(row).strip():
                rows.append(row)
    except csv.Error as error:
        if "field larger" in str(error):
            raise TableError(
                f"{source}, row {reader.line_num}: a value longer than {MAX_FIELD:,} characters"
            ) from None
        raise TableError(f"{source}, row {reader.line_num}: {error}") from None
    # Values are stripped of surrounding spaces; a file with none to strip (the usual case,
    # found by one scan of the text) skips the cell-by-cell pass.
    padded = re.compile(
        rf"[ \t]{re.escape(delimiter)}|{re.escape(delimiter)}[ \t]|[ \t]\r?$|^[ \t]|[ \t]\"|\"[ \t]",
        re.M,
    )
    if (" " in text or "\t" in text) and padded.search(text):
        rows = [[value.strip() for value in row] for row in rows]
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
