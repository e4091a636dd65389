"""Editions in the appendix layout officials keep in Excel, read and written with openpyxl.

The table: STT | Lĩnh vực | Tiêu chí | Tiêu chí thành phần | Điểm tối đa | Tài liệu kiểm chứng |
Hướng dẫn chấm điểm, then the columns parindex adds so that nothing is lost (English name,
source, rule, applies to, replaces, English guidance). A second sheet, "Thông tin", holds the
edition's header. Reading also accepts an official appendix without the added columns or the
second sheet (one name column, STT like I / 1 / 1.1, merged cells, "14,5"), with defaults given
by the caller.
"""

from __future__ import annotations

import json
import re
import typing
import unicodedata
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import TypeAdapter, ValidationError

from parindex.core.methodology.edition import Edition, EditionHeader
from parindex.core.methodology.findings import Finding, Report
from parindex.core.methodology.loader import validation_findings
from parindex.core.methodology.nodes import ComponentNode, CriterionNode, FieldNode, ScoringSpec
from parindex.core.methodology.rules import Rule
from parindex.core.units import UnitKind

TABLE_SHEET = "Bộ chỉ số"
INFO_SHEET = "Thông tin"
HEADERS = {
    "stt": "STT",
    "field": "Lĩnh vực",
    "criterion": "Tiêu chí",
    "component": "Tiêu chí thành phần",
    "max": "Điểm tối đa",
    "evidence": "Tài liệu kiểm chứng",
    "guidance": "Hướng dẫn chấm điểm",
    "name_en": "Tên tiếng Anh",
    "source": "Nguồn điểm",
    "rule": "Cách chấm",
    "applies_to": "Áp dụng cho",
    "replaces": "Thay thế",
    "guidance_en": "Hướng dẫn (tiếng Anh)",
}
YES = {"co", "x", "yes", "true", "1", "bat buoc", "✓"}
NO = {"", "khong", "no", "false", "0"}
_RULE = TypeAdapter(Rule)


def fold(text: str) -> str:
    """Lower-case ASCII folding for matching Vietnamese headers: 'Điểm tối đa' → 'diem toi da'."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


# ---------------------------------------------------------------- writing


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text


def _rule_text(spec: ScoringSpec) -> str:
    params = spec.rule.model_dump(mode="json", exclude={"kind"}, exclude_defaults=True)
    return spec.rule.kind + (
        f" {json.dumps(params, ensure_ascii=False, sort_keys=True)}" if params else ""
    )


def _evidence_text(spec: ScoringSpec) -> str:
    if not spec.evidence_required:
        return ""
    return spec.evidence_vi or "Có"


def export_workbook(edition: Edition, path: Path) -> None:
    """Write ``edition`` to ``path`` in the appendix layout."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = TABLE_SHEET
    columns = list(HEADERS)
    _put(sheet, 1, 1, edition.title_vi)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    _put(sheet, 2, 1, f"{edition.id} · {edition.status.value}")
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(columns))
    for column, key in enumerate(columns, start=1):
        sheet.cell(row=4, column=column, value=HEADERS[key]).font = Font(bold=True)
    row = 5

    def write(values: dict[str, Any], merge: tuple[str, str] | None = None) -> None:
        nonlocal row
        for key, value in values.items():
            _put(sheet, row, columns.index(key) + 1, value)
        if merge is not None:
            sheet.merge_cells(
                start_row=row,
                start_column=columns.index(merge[0]) + 1,
                end_row=row,
                end_column=columns.index(merge[1]) + 1,
            )
        row += 1

    def scored(spec: ScoringSpec) -> dict[str, Any]:
        return {
            "evidence": _evidence_text(spec),
            "guidance": spec.guidance_vi,
            "source": spec.source,
            "rule": _rule_text(spec),
            "applies_to": ", ".join(k.value for k in spec.applies_to),
            "guidance_en": spec.guidance_en,
        }

    for field in edition.fields:
        write(
            {
                "stt": field.id,
                "field": field.name_vi,
                "max": field.max_points,
                "name_en": field.name_en,
                "replaces": field.replaces or "",
            },
            merge=("field", "component"),
        )
        for criterion in field.criteria:
            values = {
                "stt": criterion.id,
                "criterion": criterion.name_vi,
                "max": criterion.max_points,
                "name_en": criterion.name_en,
                "replaces": criterion.replaces or "",
            }
            if criterion.scoring is not None:
                values |= scored(criterion.scoring)
            write(values, merge=("criterion", "component"))
            for component in criterion.components:
                write(
                    {
                        "stt": component.id,
                        "component": component.name_vi,
                        "max": component.max_points,
                        "name_en": component.name_en,
                        "replaces": component.replaces or "",
                    }
                    | scored(component)
                )
    for key, width in {
        "stt": 9,
        "field": 4,
        "criterion": 4,
        "component": 60,
        "guidance": 40,
    }.items():
        sheet.column_dimensions[chr(ord("A") + columns.index(key))].width = width
    for cells in sheet.iter_rows(min_row=5):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    info = workbook.create_sheet(INFO_SHEET)
    info.append(["Khoá (key)", "Giá trị (value)"])
    for key, value in edition.header().model_dump(mode="json").items():
        if value is None:
            continue
        info.append(
            [key, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)]
        )
        if isinstance(value, str) and value.startswith("="):
            info.cell(row=info.max_row, column=2).data_type = "s"
    workbook.save(path)


# ---------------------------------------------------------------- reading


@dataclass
class _Row:
    number: int
    values: dict[str, Any]

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()


def _classify(header: str) -> str | None:
    h = fold(header)
    rules = [
        ("guidance_en", ("huong dan (tieng anh)", "guidance (english)", "guidance_en")),
        ("name_en", ("tieng anh", "english")),
        ("stt", ("stt", "so thu tu")),
        ("component", ("thanh phan", "component")),
        ("max", ("diem toi da", "diem chuan", "max")),
        ("evidence", ("kiem chung", "evidence")),
        ("guidance", ("huong dan", "guidance")),
        ("source", ("nguon", "source")),
        ("rule", ("cach cham", "rule")),
        ("applies_to", ("ap dung", "applies")),
        ("replaces", ("thay the", "replaces")),
        ("criterion", ("tieu chi", "criterion")),
        ("field", ("linh vuc", "field")),
        ("name", ("noi dung", "ten", "name")),
    ]
    if "/" in h and "tieu chi" in h:
        return "name"  # one column "Lĩnh vực/Tiêu chí/Tiêu chí thành phần"
    for key, needles in rules:
        if any(h == n or h.startswith(n) or f" {n}" in f" {h}" for n in needles):
            return key
    return None


_ROMAN = re.compile(r"^[IVXLC]+$")


def _roman(text: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for char, following in zip(text, [*text[1:], ""], strict=True):
        value = values[char]
        total += -value if following and values[following] > value else value
    return total


def _number(text: str) -> float | None:
    try:
        return float(text.replace(" ", "").replace(",", "."))
    except ValueError:
        return None


def import_workbook(path: Path, defaults: dict[str, Any] | None = None) -> Report[Edition]:
    """Read an edition from a workbook in the appendix layout.

    ``defaults`` fills the header where the workbook has no "Thông tin" sheet (or overrides it):
    e.g. ``{"id": "par-index-province/2026", "title_vi": "…", "unit_kinds": ["province"]}``.
    """
    name = str(path)
    findings: list[Finding] = []
    try:
        workbook = load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        return Report(
            None, (Finding("excel-layout", f"not a readable .xlsx workbook: {error}", name),)
        )
    sheet = workbook[TABLE_SHEET] if TABLE_SHEET in workbook.sheetnames else workbook.worksheets[0]

    header_row, columns = None, {}
    for cells in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 30)):
        classified = {c.column: _classify(str(c.value)) for c in cells if c.value is not None}
        if "stt" in classified.values() and "max" in classified.values():
            header_row = cells[0].row
            columns = {column: key for column, key in classified.items() if key is not None}
            break
    if header_row is None:
        return Report(
            None,
            (
                Finding(
                    "excel-layout",
                    "no header row with 'STT' and 'Điểm tối đa' in the first 30 rows",
                    f"{name}#{sheet.title}",
                ),
            ),
        )
    rows = [
        _Row(
            int(cells[0].row or 0),
            {columns[c.column]: c.value for c in cells if c.column in columns},
        )
        for cells in sheet.iter_rows(min_row=header_row + 1)
    ]
    where = f"{name}#{sheet.title}"
    one_name_column = "name" in columns.values()
    roman_fields = any(_ROMAN.match(r.text("stt")) for r in rows)

    def level_of(row: _Row) -> str | None:
        if not one_name_column:
            for level in ("component", "criterion", "field"):
                if row.text(level):
                    return level
            return None
        stt = row.text("stt")
        if _ROMAN.match(stt):
            return "field"
        depth = len(stt.split(".")) + (1 if roman_fields else 0)
        return {1: "field", 2: "criterion", 3: "component"}.get(depth)

    tree: list[dict[str, Any]] = []
    for row in rows:
        stt = row.text("stt")
        level = level_of(row)
        label = row.text("name") if one_name_column else row.text(level or "")
        if not stt and not label:
            continue
        if level is None or not stt:
            findings.append(
                Finding(
                    "excel-layout",
                    f"row {row.number}: cannot tell whether this is a field, "
                    "a criterion or a component (STT and name columns)",
                    where,
                    row.number,
                )
            )
            continue
        max_points = _number(row.text("max"))
        if max_points is None:
            findings.append(
                Finding(
                    "invalid-value",
                    f"row {row.number}: max points '{row.text('max')}' is not a number",
                    where,
                    row.number,
                    stt,
                )
            )
            continue
        node: dict[str, Any] = {"name_vi": label, "max_points": max_points, "_row": row}
        if row.text("name_en"):
            node["name_en"] = row.text("name_en")
        if row.text("replaces"):
            node["replaces"] = row.text("replaces")
        if level == "field":
            node["id"] = str(_roman(stt)) if _ROMAN.match(stt) else stt
            node["criteria"] = []
            tree.append(node)
            continue
        if not tree:
            findings.append(
                Finding(
                    "excel-layout",
                    f"row {row.number}: a {level} before any field",
                    where,
                    row.number,
                )
            )
            continue
        field = tree[-1]
        node["id"] = stt if stt.startswith(f"{field['id']}.") else f"{field['id']}.{stt}"
        if level == "criterion":
            node["components"] = []
            field["criteria"].append(node)
        elif not field["criteria"]:
            findings.append(
                Finding(
                    "excel-layout",
                    f"row {row.number}: a component before any criterion",
                    where,
                    row.number,
                )
            )
        else:
            field["criteria"][-1]["components"].append(node)

    header = _read_info(workbook, name, findings) | (defaults or {})
    fields = []
    for field in tree:
        criteria = []
        for criterion in field["criteria"]:
            components = [
                _scored(c, c.pop("_row"), where, findings) for c in criterion["components"]
            ]
            criterion_row = criterion.pop("_row")
            if components:
                criterion["components"] = components
            else:
                del criterion["components"]
                criterion["scoring"] = _spec(criterion_row, where, findings, criterion["id"])
            criteria.append(criterion)
        field.pop("_row")
        field["criteria"] = criteria
        fields.append(field)
    if findings:
        return Report(None, tuple(findings))
    try:
        edition = Edition.model_validate(header | {"fields": fields})
    except ValidationError as error:
        return Report(None, tuple(validation_findings(error, None, where)))
    return Report(edition, ())


def _spec(row: _Row, where: str, findings: list[Finding], node_id: str) -> dict[str, Any]:
    evidence = row.text("evidence")
    required = fold(evidence) not in NO
    spec: dict[str, Any] = {"evidence_required": required}
    if required and fold(evidence) not in YES:
        spec["evidence_vi"] = evidence
    for key, target in (
        ("guidance", "guidance_vi"),
        ("guidance_en", "guidance_en"),
        ("source", "source"),
    ):
        if row.text(key):
            spec[target] = row.text(key)
    if row.text("applies_to"):
        spec["applies_to"] = [kind.strip() for kind in row.text("applies_to").split(",")]
        unknown = [k for k in spec["applies_to"] if k not in {u.value for u in UnitKind}]
        if unknown:
            findings.append(
                Finding(
                    "invalid-value",
                    f"row {row.number}: unknown unit kinds {unknown}",
                    where,
                    row.number,
                    node_id,
                )
            )
    text = row.text("rule")
    if text:
        kind, _, params = text.partition(" ")
        try:
            spec["rule"] = _RULE.validate_python(
                {"kind": kind, **(json.loads(params) if params else {})}
            )
        except (ValueError, ValidationError) as error:
            message = (
                str(error).splitlines()[0]
                if not isinstance(error, ValidationError)
                else "; ".join(
                    f"{'.'.join(str(s) for s in e['loc'])}: {e['msg']}" for e in error.errors()
                )
            )
            findings.append(
                Finding(
                    "rule-parameters",
                    f"row {row.number}: rule '{text}': {message}",
                    where,
                    row.number,
                    node_id,
                )
            )
    return spec


def _scored(node: dict[str, Any], row: _Row, where: str, findings: list[Finding]) -> dict[str, Any]:
    return node | _spec(row, where, findings, node["id"])


def _is_text(annotation: Any) -> bool:
    """Whether a header field holds text (written raw), not a structure (written as JSON)."""
    options = typing.get_args(annotation) or (annotation,)
    return all(
        option is str
        or option is type(None)
        or (isinstance(option, type) and issubclass(option, Enum))
        for option in options
    )


def _read_info(workbook: Any, name: str, findings: list[Finding]) -> dict[str, Any]:
    if INFO_SHEET not in workbook.sheetnames:
        return {}
    raw_keys = {
        key for key, info in EditionHeader.model_fields.items() if _is_text(info.annotation)
    }
    header: dict[str, Any] = {}
    for cells in workbook[INFO_SHEET].iter_rows(min_row=2):
        key, value = cells[0].value, cells[1].value if len(cells) > 1 else None
        if key is None or value is None:
            continue  # Excel keeps no empty text: the model's default ("" or none) applies
        if key in raw_keys or not isinstance(value, str):
            header[str(key)] = value
            continue
        try:
            header[str(key)] = json.loads(value)
        except json.JSONDecodeError:
            findings.append(
                Finding(
                    "invalid-value",
                    f"{key}: '{value}' is not valid JSON",
                    f"{name}#{INFO_SHEET}",
                    cells[0].row,
                )
            )
    return header


__all__ = ["ComponentNode", "CriterionNode", "FieldNode", "export_workbook", "import_workbook"]
