"""A unit's scoring sheet: the edition's appendix table (as the methodology's Excel export lays
it out) with columns added on the right for the unit's self score, the indicator a computed
component is scored from, and the explanation. Units fill it offline and upload it back.

Reading is strict: a sheet for another unit, a value that is not a number, a score typed for a
component the unit is not scored on, each is a finding naming the row and column, and then
nothing is read at all.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from parindex.core.methodology.edition import Edition
from parindex.core.methodology.excel.layout import HEADERS, TABLE_SHEET
from parindex.core.methodology.excel.write import edition_workbook
from parindex.core.methodology.nodes import ScoringSpec
from parindex.core.methodology.rules import ManualRule, SurveyMappingRule
from parindex.core.numbers import parse_number
from parindex.core.workbook import FORM_LIMITS, WorkbookError, read_sheets

UNIT_SHEET = "Đơn vị"
HEADER_ROW = 4
SELF = "Điểm tự chấm"
EXPLANATION = "Giải trình / lý do thiếu tài liệu kiểm chứng"
INPUT_HEADERS = {
    "numerator": "Tử số",
    "denominator": "Mẫu số",
    "count": "Số lượng",
    "yes": "Có/Không",
}
NOT_SCORED = "không áp dụng"
FROM_SURVEY = "điểm từ khảo sát"
_FILLABLE = PatternFill("solid", fgColor="FFF4CE")
_CLOSED = PatternFill("solid", fgColor="E0E0E0")


@dataclass(frozen=True)
class SelfScore:
    points: float | None = None
    inputs: Mapping[str, str] = field(default_factory=dict)
    explanation: str = ""


@dataclass(frozen=True)
class SheetFinding:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"dòng {self.row}, " if self.row else ""
        return f"{where}cột “{self.column}”: {self.message}" if self.column else self.message


class SheetError(Exception):
    def __init__(self, source: str, findings: list[SheetFinding]) -> None:
        self.source = source
        self.findings = findings
        super().__init__(f"{source}: " + "; ".join(str(f) for f in findings[:10]))


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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _at(rows: list[tuple[object, ...]], row: int, column: int) -> Any:
    """The value at 1-based ``row`` and ``column``; None past the sheet's edge."""
    if row > len(rows) or column > len(rows[row - 1]):
        return None
    return rows[row - 1][column - 1]


def read_scoring_sheet(
    data: bytes, source: str, edition: Edition, unit_ref: str, scored: Iterable[str]
) -> dict[str, SelfScore]:
    """What the unit typed, per component; raises ``SheetError`` with every fault found."""
    try:
        workbook = read_sheets(data, source, FORM_LIMITS)
    except WorkbookError as error:
        # The reason (damaged, too large, a zip bomb) comes after the Vietnamese summary.
        reason = str(error).removeprefix(f"{source}: ")
        raise SheetError(
            source, [SheetFinding(None, "", f"không phải tệp Excel (.xlsx) đọc được: {reason}")]
        ) from None
    findings: list[SheetFinding] = []
    if UNIT_SHEET in workbook:
        ref = _text(_at(workbook[UNIT_SHEET], 1, 2))
        if ref != unit_ref:
            raise SheetError(
                source,
                [
                    SheetFinding(
                        None, "", f"bảng điểm của đơn vị {ref or '?'}, không phải {unit_ref}"
                    )
                ],
            )
    else:
        raise SheetError(source, [SheetFinding(None, "", f"thiếu trang “{UNIT_SHEET}”")])
    if TABLE_SHEET not in workbook:
        raise SheetError(source, [SheetFinding(None, "", f"thiếu trang “{TABLE_SHEET}”")])
    table = workbook[TABLE_SHEET]
    width = max((len(r) for r in table), default=0)
    headers = {_text(_at(table, HEADER_ROW, c)): c for c in range(1, width + 1)}
    needed = [HEADERS["stt"], SELF, *INPUT_HEADERS.values(), EXPLANATION]
    absent = [h for h in needed if h not in headers]
    if absent:
        raise SheetError(
            source, [SheetFinding(HEADER_ROW, h, "không tìm thấy cột này") for h in absent]
        )
    specs = {node.id: node for _f, _c, node in edition.scored()}
    wanted = set(scored)
    result: dict[str, SelfScore] = {}
    for row in range(HEADER_ROW + 1, len(table) + 1):
        node_id = _text(_at(table, row, headers[HEADERS["stt"]]))
        spec = specs.get(node_id)
        if spec is None:
            continue

        def cell(title: str, row: int = row) -> Any:
            return _at(table, row, headers[title])

        typed_self = _text(cell(SELF))
        explanation = _text(cell(EXPLANATION))
        inputs = {
            name: _text(cell(title)) for name, title in INPUT_HEADERS.items() if _text(cell(title))
        }
        closed = node_id not in wanted or isinstance(spec.rule, SurveyMappingRule)
        if closed:
            if typed_self not in ("", NOT_SCORED, FROM_SURVEY) or inputs or explanation:
                findings.append(
                    SheetFinding(row, SELF, f"{node_id} không được tự chấm ở đơn vị này")
                )
            continue
        if isinstance(spec.rule, ManualRule):
            try:
                points = parse_number(typed_self)
            except ValueError:
                findings.append(SheetFinding(row, SELF, f"“{typed_self}” không phải là số"))
                continue
            if points is not None and not 0 <= points <= spec.max_points:
                findings.append(
                    SheetFinding(
                        row, SELF, f"{node_id}: điểm phải từ 0 đến {_text(spec.max_points)}"
                    )
                )
                continue
            if points is not None or explanation:
                result[node_id] = SelfScore(points, {}, explanation)
            continue
        foreign = set(inputs) - set(spec.rule.inputs)
        if foreign:
            name = sorted(foreign)[0]
            findings.append(
                SheetFinding(row, INPUT_HEADERS[name], f"{node_id} không dùng số liệu này")
            )
            continue
        if inputs and set(inputs) != set(spec.rule.inputs):
            lacking = [INPUT_HEADERS[n] for n in spec.rule.inputs if n not in inputs]
            findings.append(SheetFinding(row, lacking[0], f"{node_id}: thiếu số liệu"))
            continue
        if inputs or explanation:
            result[node_id] = SelfScore(None, inputs, explanation)
    if findings:
        raise SheetError(source, findings)
    return result
