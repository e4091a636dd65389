"""The appraisal table as a workbook: a summary sheet (one row per unit, its totals and each
field's standing points) and a detail sheet (one row per unit and component with every round's
score and reason, the standing score, evidence count and explanation requests)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font

Cell = str | float | int | None


@dataclass(frozen=True)
class Wording:
    """The workbook's words, in the reader's language (the web layer translates them)."""

    summary_sheet: str
    detail_sheet: str
    summary_headers: tuple[str, ...]
    field_header: str
    """With ``{field}``: the title of each field's column."""
    detail_headers: tuple[str, ...]
    round_reason: str
    """With ``{round}``: the title of a round's reason column."""
    tail_headers: tuple[str, ...]


def appraisal_workbook(
    wording: Wording,
    field_ids: Sequence[str],
    rounds: Sequence[str],
    summary: Sequence[Sequence[Cell]],
    detail: Sequence[Sequence[Cell]],
) -> bytes:
    """``rounds`` are the rounds' titles, each given a score and a reason column."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = wording.summary_sheet
    first.append(
        [*wording.summary_headers, *(wording.field_header.format(field=f) for f in field_ids)]
    )
    second = workbook.create_sheet(wording.detail_sheet)
    header = list(wording.detail_headers)
    for title in rounds:
        header += [title, wording.round_reason.format(round=title)]
    second.append([*header, *wording.tail_headers])
    for sheet in (first, second):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    for line in summary:
        first.append(list(line))
    for line in detail:
        second.append(list(line))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
