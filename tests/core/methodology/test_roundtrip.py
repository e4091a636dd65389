"""Random editions survive YAML → model → YAML and Excel → model → Excel exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from parindex.core.methodology import Edition, load_edition, write_edition
from parindex.core.methodology.excel import import_workbook
from parindex.reports.edition_workbook import export_workbook
from tests.core.methodology.strategies import editions

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


@SETTINGS
@given(editions())
def test_yaml_round_trip_is_exact(edition: Edition) -> None:
    with tempfile.TemporaryDirectory() as directory:
        first, second = Path(directory, "a"), Path(directory, "b")
        write_edition(edition, first)
        report = load_edition(first)
        assert report.ok, str(report)
        assert report.value == edition
        write_edition(report.value, second)
        for path in sorted(first.rglob("*.yaml")):
            assert path.read_text("utf-8") == (second / path.relative_to(first)).read_text("utf-8")


@SETTINGS
@given(editions())
def test_excel_round_trip_is_exact(edition: Edition) -> None:
    with tempfile.TemporaryDirectory() as directory:
        first, second = Path(directory, "a.xlsx"), Path(directory, "b.xlsx")
        export_workbook(edition, first)
        report = import_workbook(first)
        assert report.ok, str(report)
        assert report.value == edition
        export_workbook(report.value, second)
        assert cells(first) == cells(second)
