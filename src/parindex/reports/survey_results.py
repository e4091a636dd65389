"""Survey results as an Excel workbook: one row per domain and node, numbers as numbers (Excel
shows them with the reader's own decimal mark), the interval and the sample size beside each."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from openpyxl import Workbook
from openpyxl.styles import Font


@dataclass(frozen=True)
class Wording:
    """The workbook's words, in the reader's language (the web layer translates them)."""

    sheet: str
    note: str
    index: str
    headers: tuple[str, str, str, str, str, str, str, str]


class Row(Protocol):
    @property
    def domain(self) -> str: ...
    @property
    def node(self) -> str: ...
    @property
    def estimate(self) -> float: ...
    @property
    def se(self) -> float: ...
    @property
    def low(self) -> float: ...
    @property
    def high(self) -> float: ...
    @property
    def n(self) -> int: ...


def results_workbook(
    title: str, rows: Sequence[Row], names: Mapping[str, str], wording: Wording
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = wording.sheet[:31]
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([wording.note])
    sheet.append(list(wording.headers))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(
            [
                row.domain,
                row.node,
                wording.index if row.node == "index" else names.get(row.node, ""),
                *(_cell(value) for value in (row.estimate, row.se, row.low, row.high)),
                row.n,
            ]
        )
    for column, width in zip("ABCDEFGH", (22, 10, 60, 14, 12, 12, 12, 10), strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows(min_row=4, min_col=4, max_col=7):
        for cell in cells:
            cell.number_format = "0.00"
    sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cell(value: float) -> float | None:
    # No estimate (a province without responses, an interval with one degree of freedom) is
    # an empty cell: NaN is not a number Excel can open.
    return None if value != value else round(value, 4)
