"""An edition as a workbook in the appendix layout (plus parindex's own columns), the layout
``core.methodology.excel`` reads back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from parindex.core.methodology.edition import Edition
from parindex.core.methodology.excel.appendix import HEADERS, INFO_SHEET, TABLE_SHEET
from parindex.core.methodology.nodes import ScoringSpec


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
    edition_workbook(edition).save(path)


def edition_workbook(edition: Edition) -> Workbook:
    """``edition`` in the appendix layout: the table on the first sheet (headers on row 4,
    one row per field, criterion and component from row 5), the header on the second."""
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
    return workbook
