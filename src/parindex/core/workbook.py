"""Workbooks opened safely: an .xlsx is a zip of XML, and a small upload can expand to gigabytes.

Before openpyxl parses anything, the zip's directory is read (declared sizes, compression
ratio) and each worksheet's declared dimension is checked against limits; rows are counted again
while they are read, because a dimension may be missing or lie. Python's zipfile never inflates
an entry past its declared size, so the declared sizes bound the work.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string

from parindex.core.errors import ParindexError


class WorkbookError(ParindexError):
    """A file refused before or while it was read as a workbook; the message names the file."""


@dataclass(frozen=True)
class Limits:
    """The most a workbook may hold. The defaults fit a sampling frame of 200,000 rows."""

    file_bytes: int = 20 * 1024 * 1024
    uncompressed_bytes: int = 200 * 1024 * 1024
    ratio: int = 200  # uncompressed ÷ compressed of one entry; real workbooks stay under ~30
    rows: int = 200_000
    columns: int = 500

    def describe(self) -> str:
        return f"{self.rows:,} rows × {self.columns:,} columns"


LIMITS = Limits()
# Small documents (a scoring sheet, an edition, a questionnaire): a few thousand rows at most.
FORM_LIMITS = Limits(file_bytes=10 * 1024 * 1024, uncompressed_bytes=50 * 1024 * 1024, rows=20_000)

_DIMENSION = re.compile(
    rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\""
)
_SNIFF = 64 * 1024  # the dimension element sits before the sheet data


def check_workbook(data: bytes, source: str, limits: Limits = LIMITS) -> None:
    """Refuse ``data`` fast when it is not a zip, or declares more than ``limits`` allow."""
    if len(data) > limits.file_bytes:
        raise WorkbookError(
            f"{source}: the file is {len(data) / 1048576:.1f} MB; at most "
            f"{limits.file_bytes // 1048576} MB is accepted"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookError(
            f"{source}: not an Excel workbook (.xlsx), or the file is damaged or truncated"
        ) from None
    with archive:
        entries = archive.infolist()
        names = {entry.filename for entry in entries}
        if "xl/workbook.xml" not in names:
            raise WorkbookError(f"{source}: not an Excel workbook (.xlsx): no xl/workbook.xml")
        total = sum(entry.file_size for entry in entries)
        if total > limits.uncompressed_bytes:
            raise WorkbookError(
                f"{source}: expands to {total / 1048576:.0f} MB; at most "
                f"{limits.uncompressed_bytes // 1048576} MB is accepted"
            )
        for entry in entries:
            if entry.file_size > 1048576 and entry.file_size > limits.ratio * max(
                entry.compress_size, 1
            ):
                raise WorkbookError(
                    f"{source}: {entry.filename} expands {entry.file_size // max(entry.compress_size, 1)}"
                    f" times (a zip bomb?); refused"
                )
        for entry in entries:
            if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                _check_dimension(archive, entry, source, limits)


def _check_dimension(
    archive: zipfile.ZipFile, entry: zipfile.ZipInfo, source: str, limits: Limits
) -> None:
    try:
        with archive.open(entry) as stream:
            head = stream.read(_SNIFF)
    except Exception:  # zipfile and zlib raise many kinds for a damaged entry
        raise WorkbookError(f"{source}: {entry.filename} is damaged") from None
    match = _DIMENSION.search(head)
    if match is None:
        return
    last_column, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
    rows = int(last_row) if last_row else 0
    columns = column_index_from_string(last_column.decode()) if last_column else 0
    if rows > limits.rows or columns > limits.columns:
        raise WorkbookError(
            f"{source}: a sheet declares {rows:,} rows × {columns:,} columns; at most "
            f"{limits.describe()} are accepted"
        )


def open_workbook(
    data: bytes | Path, source: str | None = None, limits: Limits = LIMITS
) -> Workbook:
    """The workbook in read-only mode, after :func:`check_workbook`; close it when done.

    Raises :class:`WorkbookError` with a message naming ``source`` for any file openpyxl
    cannot read (it raises many kinds of exception for a damaged one).
    """
    if isinstance(data, Path):
        source = source or data.name
        try:
            data = data.read_bytes()
        except OSError as error:
            raise WorkbookError(f"{source}: cannot be read ({error.strerror})") from None
    name = source or "workbook.xlsx"
    check_workbook(data, name, limits)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises KeyError, ValueError, zlib.error … for a damaged file
        raise WorkbookError(f"{name}: not a readable Excel workbook (.xlsx)") from None


def sheet_rows(sheet: Any, source: str, limits: Limits = LIMITS) -> Iterator[tuple[object, ...]]:
    """The sheet's rows as values, refused past ``limits`` (a dimension may have lied)."""
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limits.rows:
                raise WorkbookError(
                    f"{source}#{sheet.title}: more than {limits.rows:,} rows; refused"
                )
            if len(row) > limits.columns:
                raise WorkbookError(
                    f"{source}#{sheet.title}, row {number}: more than {limits.columns:,} columns"
                )
            yield row
    except WorkbookError:
        raise
    except Exception:  # a damaged sheet part surfaces only while it is read
        raise WorkbookError(f"{source}#{sheet.title}: the sheet is damaged") from None


def read_sheets(
    data: bytes | Path, source: str | None = None, limits: Limits = LIMITS
) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's rows by sheet name, read once under ``limits``."""
    name = source or (data.name if isinstance(data, Path) else "workbook.xlsx")
    book = open_workbook(data, name, limits)
    try:
        return {sheet.title: list(sheet_rows(sheet, name, limits)) for sheet in book.worksheets}
    finally:
        book.close()
