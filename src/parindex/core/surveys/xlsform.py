"""XLSForm in and out: ``import_xlsform`` (via pyxform) and ``export_xlsform`` (openpyxl).

Columns used beyond the XLSForm standard: ``parindex_node`` (the methodology node a question
scores); labels in ``label::Tiếng Việt (vi)`` and ``label::English (en)``. Every problem is a
finding located by the survey sheet's row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from pydantic import ValidationError
from pyxform.errors import PyXFormError
from pyxform.xls2json import parse_file_to_json

from parindex.core.findings import Finding, Report
from parindex.core.surveys.questionnaire import (
    AnswerScale,
    Choice,
    Question,
    Questionnaire,
    Section,
)
from parindex.core.workbook import FORM_LIMITS, WorkbookError, read_sheets

VI, EN = "Tiếng Việt (vi)", "English (en)"
KINDS = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "integer": "integer",
    "decimal": "decimal",
    "text": "text",
    "date": "date",
    "note": "note",
}
ROW = re.compile(r"\[row : (\d+)\]")


def _label(value: Any, language: str) -> str:
    if isinstance(value, dict):
        for key, text in value.items():
            if language in key or (language == VI and key in ("default", "Vietnamese")):
                return str(text)
        return "" if language == EN else str(next(iter(value.values()), ""))
    return str(value or "") if language == VI else ""


Sheets = dict[str, list[tuple[object, ...]]]


def _setting(workbook: Sheets, column: str) -> str:
    """A value of the settings sheet that pyxform does not pass on (e.g. the English title)."""
    if "settings" not in workbook:
        return ""
    rows = workbook["settings"]
    if len(rows) < 2 or column not in rows[0]:
        return ""
    return str(rows[1][list(rows[0]).index(column)] or "")


def _scales(workbook: Sheets) -> dict[str, AnswerScale]:
    """Every choice list of the choices sheet, in its order (pyxform keeps only the used ones)."""
    if not workbook.get("choices"):
        return {}
    rows = workbook["choices"]
    header = [str(h or "").strip() for h in rows[0]]

    def column(*names: str) -> int | None:
        return next((header.index(n) for n in names if n in header), None)

    list_name, code = column("list_name", "list name"), column("name")
    vi, en = column(f"label::{VI}", "label"), column(f"label::{EN}")
    lists: dict[str, list[Choice]] = {}
    for row in rows[1:]:
        if list_name is None or code is None or row[list_name] is None:
            continue
        label = str(row[vi] or row[code]) if vi is not None else str(row[code])
        english = str(row[en] or "") if en is not None else ""
        lists.setdefault(str(row[list_name]), []).append(
            Choice(code=str(row[code]), label_vi=label, label_en=english)
        )
    return {name: AnswerScale(id=name, choices=tuple(choices)) for name, choices in lists.items()}


def _duplicate_names(workbook: Sheets) -> list[tuple[str, int, int]]:
    """(name, first row, repeated row) for every name the survey sheet uses twice; pyxform
    merges such questions silently."""
    rows = workbook.get("survey") or [()]
    header = [str(h or "").strip() for h in rows[0]]
    if "name" not in header:
        return []
    column, kind = header.index("name"), header.index("type") if "type" in header else None
    first: dict[str, int] = {}
    repeated = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) <= column or not row[column]:
            continue
        if kind is not None and str(row[kind] or "").startswith(("begin", "end")):
            continue  # groups live on another path; end_group repeats its group's name
        value = str(row[column])
        if value in first:
            repeated.append((value, first[value], number))
        else:
            first[value] = number
    return repeated


def _rows_by_name(workbook: Sheets) -> dict[str, int]:
    rows = workbook.get("survey") or [()]
    header = [str(h or "").strip() for h in rows[0]]
    name = header.index("name") if "name" in header else 1
    return {str(r[name]): i for i, r in enumerate(rows[1:], start=2) if len(r) > name and r[name]}


def import_xlsform(path: Path, respondent_group: str) -> Report[Questionnaire]:
    """Read an XLSForm into a :class:`Questionnaire`; a bad form gives located findings."""
    name = str(path)
    try:
        workbook = read_sheets(path, path.name, FORM_LIMITS)
    except WorkbookError as error:
        return Report(
            None, (Finding("xlsform", f"not a readable XLSForm workbook: {error}", name),)
        )
    duplicates = _duplicate_names(workbook)
    if duplicates:
        return Report(
            None,
            tuple(
                Finding(
                    "xlsform",
                    f"question name '{n}' is used again (first on row {first})",
                    name,
                    row,
                    n,
                )
                for n, first, row in duplicates
            ),
        )
    try:
        form = parse_file_to_json(str(path))
    except PyXFormError as error:
        match = ROW.search(str(error))
        message = ROW.sub("", str(error)).strip()
        return Report(
            None, (Finding("xlsform", message, name, int(match.group(1)) if match else None),)
        )
    except (
        Exception
    ) as error:  # openpyxl and zipfile raise many kinds for a file that is not a form
        return Report(
            None, (Finding("xlsform", f"not a readable XLSForm workbook: {error}", name),)
        )
    rows = _rows_by_name(workbook)
    findings: list[Finding] = []
    scales: dict[str, AnswerScale] = _scales(workbook)
    sections: list[Section] = []
    loose: list[Question] = []

    def question(item: dict[str, Any]) -> Question | None:
        kind = KINDS.get(item["type"])
        if kind is None:
            findings.append(
                Finding(
                    "xlsform",
                    f"question type '{item['type']}' is not supported by parindex",
                    name,
                    rows.get(item["name"]),
                    item["name"],
                )
            )
            return None
        scale = item.get("list_name")
        if scale and scale not in scales:
            scales[scale] = AnswerScale(
                id=scale,
                choices=tuple(
                    Choice(
                        code=str(c["name"]),
                        label_vi=_label(c.get("label"), VI) or str(c["name"]),
                        label_en=_label(c.get("label"), EN),
                    )
                    for c in item.get("choices", ())
                ),
            )
        bind = item.get("bind", {})
        return Question(
            id=item["name"],
            kind=kind,
            label_vi=_label(item.get("label"), VI) or item["name"],
            label_en=_label(item.get("label"), EN),
            scale=scale,
            required=bind.get("required") in ("yes", "true()"),
            relevant=bind.get("relevant", ""),
            node=(item.get("parindex_node") or item.get("instance", {}).get("parindex_node")),
        )

    def collect(children: list[dict[str, Any]]) -> list[Question]:
        found = []
        for child in children:
            if child["type"] in ("group", "repeat"):
                found += collect(child.get("children", []))
            elif child["type"] in KINDS or child.get("bind") or child.get("label"):
                made = question(child)
                if made is not None:
                    found.append(made)
        return found

    for child in form.get("children", []):
        if child.get("name") == "meta":
            continue  # pyxform's own instanceID, not a question of the form
        if child["type"] == "group":
            questions = collect(child.get("children", []))
            if questions:
                sections.append(
                    Section(
                        id=child["name"],
                        label_vi=_label(child.get("label"), VI) or child["name"],
                        label_en=_label(child.get("label"), EN),
                        questions=tuple(questions),
                    )
                )
        else:
            made = question(child)
            if made is not None:
                loose.append(made)
    if loose:
        sections.insert(
            0,
            Section(
                id="main", label_vi="Thông tin chung", label_en="General", questions=tuple(loose)
            ),
        )
    if findings:
        return Report(None, tuple(findings))
    try:
        questionnaire = Questionnaire(
            id=form.get("id_string", "form"),
            title_vi=form.get("title", "") or "Phiếu",
            title_en=_setting(workbook, "parindex_title_en"),
            respondent_group=respondent_group,
            scales=tuple(scales.values()),
            sections=tuple(sections),
        )
    except ValidationError as error:
        return Report(
            None,
            tuple(
                Finding("xlsform", e["msg"].removeprefix("Value error, "), name)
                for e in error.errors()
            ),
        )
    return Report(questionnaire, ())


def export_xlsform(questionnaire: Questionnaire, path: Path) -> None:
    """Write ``questionnaire`` as an XLSForm that ODK Collect and KoboToolbox accept."""
    workbook = Workbook()
    survey = workbook.active
    assert survey is not None
    survey.title = "survey"
    survey.append(
        ["type", "name", f"label::{VI}", f"label::{EN}", "required", "relevant", "parindex_node"]
    )
    reverse = {v: k for k, v in KINDS.items()}
    for section in questionnaire.sections:
        survey.append(["begin_group", section.id, section.label_vi, section.label_en])
        for q in section.questions:
            kind = reverse[q.kind] + (f" {q.scale}" if q.kind.startswith("select") else "")
            survey.append(
                [
                    kind.replace("select one", "select_one").replace(
                        "select all that apply", "select_multiple"
                    ),
                    q.id,
                    q.label_vi,
                    q.label_en,
                    "yes" if q.required else "",
                    q.relevant,
                    q.node or "",
                ]
            )
        survey.append(["end_group", section.id])
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", f"label::{VI}", f"label::{EN}"])
    for scale in questionnaire.scales:
        for choice in scale.choices:
            choices.append([scale.id, choice.code, choice.label_vi, choice.label_en])
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "default_language", "parindex_title_en"])
    settings.append([questionnaire.title_vi, questionnaire.id, VI, questionnaire.title_en])
    workbook.save(path)
