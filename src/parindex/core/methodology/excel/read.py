"""Read an edition from a workbook: parindex's own export or an official appendix table."""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from parindex.core.findings import Finding, Report
from parindex.core.methodology.checks import check_edition
from parindex.core.methodology.edition import Edition, EditionHeader
from parindex.core.methodology.excel.appendix import INFO_SHEET, NO, TABLE_SHEET, YES, fold
from parindex.core.methodology.loader import validation_findings
from parindex.core.methodology.rules import Rule
from parindex.core.numbers import parse_number
from parindex.core.units import UnitKind
from parindex.core.workbook import FORM_LIMITS, WorkbookError, read_sheets

_RULE = TypeAdapter(Rule)


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
        return parse_number(text)
    except ValueError:
        return None


def import_workbook(
    path: Path,
    defaults: dict[str, Any] | None = None,
    resolve_previous: Callable[[str], Edition | None] | None = None,
) -> Report[Edition]:
    """Read an edition from a workbook in the appendix layout.

    ``defaults`` fills the header where the workbook has no "Thông tin" sheet (or overrides it):
    e.g. ``{"id": "par-index-province/2026", "title_vi": "…", "unit_kinds": ["province"]}``.
    """
    name = str(path)
    findings: list[Finding] = []
    try:
        workbook = read_sheets(path, path.name, FORM_LIMITS)
    except WorkbookError as error:
        return Report(None, (Finding("excel-layout", str(error), name),))
    if not workbook:
        return Report(None, (Finding("excel-layout", "the workbook has no sheet", name),))
    title = TABLE_SHEET if TABLE_SHEET in workbook else next(iter(workbook))
    table = workbook[title]

    header_row, columns = None, {}
    for number, values in enumerate(table[:30], start=1):
        classified = {k: _classify(str(v)) for k, v in enumerate(values) if v is not None}
        if "stt" in classified.values() and "max" in classified.values():
            header_row = number
            columns = {column: key for column, key in classified.items() if key is not None}
            break
    if header_row is None:
        return Report(
            None,
            (
                Finding(
                    "excel-layout",
                    "no header row with 'STT' and 'Điểm tối đa' in the first 30 rows",
                    f"{name}#{title}",
                ),
            ),
        )
    rows = [
        _Row(number, {columns[k]: v for k, v in enumerate(values) if k in columns})
        for number, values in enumerate(table[header_row:], start=header_row + 1)
    ]
    where = f"{name}#{title}"
    one_name_column = "name" in columns.values()
    # Roman field numbers (I, II …) only in an official one-column table; in parindex's own
    # layout the STT is the node id (SIPAS's contents are called I and II).
    roman_fields = one_name_column and any(_ROMAN.match(r.text("stt")) for r in rows)

    def level_of(row: _Row) -> str | None:
        if not one_name_column:
            for level in ("component", "criterion", "field"):
                if row.text(level):
                    return level
            return None
        stt = row.text("stt")
        if roman_fields and _ROMAN.match(stt):
            return "field"
        depth = len(stt.split(".")) + (1 if roman_fields else 0)
        return {1: "field", 2: "criterion", 3: "component"}.get(depth)

    tree: list[dict[str, Any]] = []
    rows_of: dict[str, int] = {}
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
            node["id"] = str(_roman(stt)) if roman_fields and _ROMAN.match(stt) else stt
            rows_of[node["id"]] = row.number
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
        # Under roman fields an official table numbers criteria 1, 2 … and components 1.1 …
        # within the field; elsewhere the STT is already the full dotted id.
        node["id"] = f"{field['id']}.{stt}" if roman_fields else stt
        rows_of[node["id"]] = row.number
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
    # An appendix states its fields' maxima; the total is their sum unless the header says otherwise.
    header.setdefault("total_points", sum(float(f["max_points"]) for f in fields))
    try:
        edition = Edition.model_validate(header | {"fields": fields})
    except ValidationError as error:
        return Report(None, tuple(validation_findings(error, None, where)))
    previous = resolve_previous(edition.previous) if edition.previous and resolve_previous else None

    def locate(node_id: str) -> tuple[str, int | None]:
        return where, rows_of.get(node_id)

    findings = check_edition(edition, locate, previous)
    return Report(None if findings else edition, tuple(findings))


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
    if INFO_SHEET not in workbook:
        return {}
    raw_keys = {
        key for key, info in EditionHeader.model_fields.items() if _is_text(info.annotation)
    }
    header: dict[str, Any] = {}
    for number, cells in enumerate(workbook[INFO_SHEET][1:], start=2):
        key = cells[0] if cells else None
        value = cells[1] if len(cells) > 1 else None
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
                    number,
                )
            )
    return header
