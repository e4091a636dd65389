"""A unit's scoring sheet: the edition's appendix table (as the methodology's Excel export lays
it out) with columns added on the right for the unit's self score, the indicator a computed
component is scored from, and the explanation. Units fill it offline and upload it back
(``parindex.reports.scoring_sheet`` writes it).

Reading is strict: a sheet for another unit, a value that is not a number, a score typed for a
component the unit is not scored on, each is a finding naming the row and column, and then
nothing is read at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from parindex.core.findings import Finding, Report
from parindex.core.methodology.edition import Edition
from parindex.core.methodology.excel.appendix import HEADERS, TABLE_SHEET
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


@dataclass(frozen=True)
class SelfScore:
    points: float | None = None
    inputs: Mapping[str, str] = field(default_factory=dict)
    explanation: str = ""


def _finding(source: str, row: int | None, column: str, message: str, node: str = "") -> Finding:
    where = f"cột “{column}”: " if column else ""
    return Finding("scoring-sheet", where + message, source, row, node or None)


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
) -> Report[dict[str, SelfScore]]:
    """What the unit typed, per component, or every fault found (and then nothing)."""

    def refuse(message: str) -> Report[dict[str, SelfScore]]:
        return Report(None, (_finding(source, None, "", message),))

    try:
        workbook = read_sheets(data, source, FORM_LIMITS)
    except WorkbookError as error:
        # The reason (damaged, too large, a zip bomb) comes after the Vietnamese summary.
        reason = str(error).removeprefix(f"{source}: ")
        return refuse(f"không phải tệp Excel (.xlsx) đọc được: {reason}")
    findings: list[Finding] = []
    if UNIT_SHEET not in workbook:
        return refuse(f"thiếu trang “{UNIT_SHEET}”")
    ref = _text(_at(workbook[UNIT_SHEET], 1, 2))
    if ref != unit_ref:
        return refuse(f"bảng điểm của đơn vị {ref or '?'}, không phải {unit_ref}")
    if TABLE_SHEET not in workbook:
        return refuse(f"thiếu trang “{TABLE_SHEET}”")
    table = workbook[TABLE_SHEET]
    width = max((len(r) for r in table), default=0)
    headers = {_text(_at(table, HEADER_ROW, c)): c for c in range(1, width + 1)}
    needed = [HEADERS["stt"], SELF, *INPUT_HEADERS.values(), EXPLANATION]
    absent = [h for h in needed if h not in headers]
    if absent:
        return Report(
            None, tuple(_finding(source, HEADER_ROW, h, "không tìm thấy cột này") for h in absent)
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
                    _finding(
                        source, row, SELF, f"{node_id} không được tự chấm ở đơn vị này", node_id
                    )
                )
            continue
        if isinstance(spec.rule, ManualRule):
            try:
                points = parse_number(typed_self)
            except ValueError:
                findings.append(
                    _finding(source, row, SELF, f"“{typed_self}” không phải là số", node_id)
                )
                continue
            if points is not None and not 0 <= points <= spec.max_points:
                findings.append(
                    _finding(
                        source,
                        row,
                        SELF,
                        f"{node_id}: điểm phải từ 0 đến {_text(spec.max_points)}",
                        node_id,
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
                _finding(
                    source, row, INPUT_HEADERS[name], f"{node_id} không dùng số liệu này", node_id
                )
            )
            continue
        if inputs and set(inputs) != set(spec.rule.inputs):
            lacking = [INPUT_HEADERS[n] for n in spec.rule.inputs if n not in inputs]
            findings.append(_finding(source, row, lacking[0], f"{node_id}: thiếu số liệu", node_id))
            continue
        if inputs or explanation:
            result[node_id] = SelfScore(None, inputs, explanation)
    if findings:
        return Report(None, tuple(findings))
    return Report(result, ())
