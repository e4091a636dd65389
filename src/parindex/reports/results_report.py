"""Reports of published results: PDF (Typst, with charts turned into SVG from the same Vega-Lite
specs as the pages through vl-convert) and Excel workbooks of the full tables (openpyxl).

The caller (the server) gathers the content, already worded in the reader's language, as
:class:`ReportContent`; this module only lays it out."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import typst
import vl_convert
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

VEGA_LITE = "6.4"
Cell = str | float | int | None


@dataclass(frozen=True)
class Section:
    title: str
    kind: str
    """``table``, ``chart`` or ``facts`` (label, value pairs)."""
    columns: Sequence[str] = ()
    rows: Sequence[Sequence[Cell]] = ()
    numeric: Sequence[bool] = ()
    spec: dict[str, Any] | None = None
    note: str = ""
    width: str = "80%"
    """A chart's width on the page (Typst length)."""
    height: str = ""
    """A chart's height instead (a tall map), e.g. ``15cm``."""
    sheet: str = ""
    """A table's sheet name in the workbook when the title is too long for one (31 characters)."""


@dataclass(frozen=True)
class ReportContent:
    title: str
    subtitle: str
    issuer: str
    footer: str
    lang: str
    synthetic: bool
    synthetic_note: str
    sections: Sequence[Section] = field(default_factory=tuple)


def chart_svg(spec: dict[str, Any]) -> str:
    """The SVG of a Vega-Lite spec, as the browser would draw it."""
    return str(vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE))


def _cell(value: Cell, lang: str) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        text = f"{value:.2f}"
        return text.replace(".", ",") if lang == "vi" else text
    return str(value)


def pdf(content: ReportContent, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The report as PDF; ``progress(done, total)`` is told as each chart is drawn."""
    sections = []
    charts = [s for s in content.sections if s.kind == "chart"]
    drawn = 0
    for section in content.sections:
        item: dict[str, Any] = {"title": section.title, "kind": section.kind, "note": section.note}
        if section.kind == "chart" and section.spec is not None:
            item["svg"] = chart_svg(section.spec)
            item["width"] = section.width
            item["height"] = section.height
            drawn += 1
            if progress:
                progress(drawn, len(charts) + 1)
        else:
            item["columns"] = list(section.columns)
            item["numeric"] = list(section.numeric) or [False] * len(section.columns)
            item["rows"] = [[_cell(v, content.lang) for v in row] for row in section.rows]
        sections.append(item)
    data = {
        "lang": content.lang,
        "title": content.title,
        "subtitle": content.subtitle,
        "issuer": content.issuer,
        "footer": content.footer,
        "synthetic": content.synthetic,
        "labels": {"synthetic": content.synthetic_note},
        "sections": sections,
    }
    template = Path(str(resources.files("parindex.reports") / "templates" / "results.typ"))
    result = typst.compile(
        template, ignore_system_fonts=True, sys_inputs={"data": json.dumps(data)}
    )
    if progress:
        progress(len(charts) + 1, len(charts) + 1)
    assert isinstance(result, bytes)
    return result


def workbook(content: ReportContent) -> bytes:
    """Every table section as a sheet (numbers as numbers), and a sheet naming the source."""
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = "Nguồn" if content.lang == "vi" else "Source"
    for row in ([content.title], [content.subtitle], [content.issuer], [content.footer]):
        about.append(row)
    if content.synthetic:
        about.append([content.synthetic_note])
    about["A1"].font = Font(bold=True, size=13)
    used: set[str] = set()
    for section in content.sections:
        if section.kind != "table":
            continue
        name = (section.sheet or section.title)[:31].replace("/", "-").replace(":", "")
        while name in used:
            name = name[:28] + f"{len(used)}"
        used.add(name)
        sheet = book.create_sheet(name)
        sheet.append(list(section.columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6F0")
        for values in section.rows:
            sheet.append(list(values))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, float):
                    cell.number_format = "0.00"
        for k, column in enumerate(section.columns, start=1):
            sheet.column_dimensions[get_column_letter(k)].width = max(10, min(45, len(column) + 2))
        sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
