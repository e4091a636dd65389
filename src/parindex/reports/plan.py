"""An improvement plan as a PDF (Typst, its embedded fonts): the target, each action with who
carries it out by when, its status and evidence, and the components to keep at maximum."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import typst


@dataclass(frozen=True)
class PlanDocument:
    lang: str
    title: str
    summary: Sequence[str]
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    """Every cell as text, already formatted for the reader (decimal commas in Vietnamese)."""
    keep_title: str
    keep: str
    footer: str


def plan_pdf(document: PlanDocument) -> bytes:
    if any(len(row) != len(document.header) for row in document.rows):
        raise ValueError("every row needs one cell per column of the header")
    data = {
        "lang": document.lang,
        "title": document.title,
        "summary": list(document.summary),
        "header": list(document.header),
        "rows": [list(row) for row in document.rows],
        "keep_title": document.keep_title,
        "keep": document.keep,
        "footer": document.footer,
    }
    template = Path(str(resources.files("parindex.reports") / "templates" / "plan.typ"))
    result = typst.compile(
        template, ignore_system_fonts=True, sys_inputs={"data": json.dumps(data)}
    )
    assert isinstance(result, bytes)
    return result
