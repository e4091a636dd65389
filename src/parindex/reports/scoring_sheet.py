"""A unit's scoring sheet to fill in offline: the edition's appendix table with the unit's own
columns on the right (``core.assessment.sheet`` reads it back). The column titles are the
sheet's format, read back by name, so they stay as the official Vietnamese appendix has them."""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from parindex.core.assessment.sheet import (
    EXPLANATION,
    FROM_SURVEY,
    HEADER_ROW,
    INPUT_HEADERS,
    NOT_SCORED,
    SELF,
    UNIT_SHEET,
    SelfScore,
)
from parindex.core.methodology.edition import Edition
from parindex.core.methodology.excel.appendix import HEADERS, TABLE_SHEET
from parindex.core.methodology.nodes import ScoringSpec
from parindex.core.methodology.rules import ManualRule, SurveyMappingRule
from parindex.core.numbers import parse_number
from parindex.reports.edition_workbook import edition_workbook

_FILLABLE = PatternFill("solid", fgColor="FFF4CE")
_CLOSED = PatternFill("solid", fgColor="E0E0E0")


def scoring_sheet(
    edition: Edition,
    unit_ref: str,
    unit_name: str,
    cycle_name: str,
    scored: Iterable[str],
    scores: Mapping[str, SelfScore],
) -> bytes:
    """The sheet for one unit: ``scored`` are the components the unit is scored on."""
    workbook = edition_workbook(edition)
    table = workbook[TABLE_SHEET]
    first = len(HEADERS) + 1
    columns = [SELF, *INPUT_HEADERS.values(), EXPLANATION]
    for offset, title in enumerate(columns):
        cell = table.cell(row=HEADER_ROW, column=first + offset, value=title)
        cell.font = Font(bold=True)
        table.column_dimensions[get_column_letter(first + offset)].width = (
            40 if title == EXPLANATION else 12
        )
    specs = {node.id: node for _f, _c, node in edition.scored()}
    wanted = set(scored)
    stt = list(HEADERS).index("stt") + 1
    for row in range(HEADER_ROW + 1, table.max_row + 1):
        node_id = str(table.cell(row=row, column=stt).value or "")
        spec = specs.get(node_id)
        if spec is None:
            continue
        cells = {title: table.cell(row=row, column=first + i) for i, title in enumerate(columns)}
        if node_id not in wanted or isinstance(spec.rule, SurveyMappingRule):
            cells[SELF].value = NOT_SCORED if node_id not in wanted else FROM_SURVEY
            for closed in cells.values():
                closed.fill = _CLOSED
            continue
        score = scores.get(node_id, SelfScore())
        for title in _open_columns(spec):
            cells[title].fill = _FILLABLE
        if isinstance(spec.rule, ManualRule):
            cells[SELF].value = score.points
        else:
            cells[SELF].value = score.points  # computed by the rule: shown, not read back
            for name in spec.rule.inputs:
                text = score.inputs.get(name, "")
                cells[INPUT_HEADERS[name]].value = _number_or_text(text)
        cells[EXPLANATION].value = score.explanation or None
    unit = workbook.create_sheet(UNIT_SHEET)
    unit.append(["Mã đơn vị (unit)", unit_ref])
    unit.append(["Tên đơn vị", unit_name])
    unit.append(["Kỳ đánh giá", cycle_name])
    unit.append(["Bộ chỉ số (edition)", edition.id])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _open_columns(spec: ScoringSpec) -> list[str]:
    if isinstance(spec.rule, ManualRule):
        return [SELF, EXPLANATION]
    return [INPUT_HEADERS[name] for name in spec.rule.inputs] + [EXPLANATION]


def _number_or_text(text: str) -> float | str | None:
    try:
        return parse_number(text)
    except ValueError:
        return text
