"""Generated files against every upload parser in core: methodology YAML and Excel, the scoring
sheet, XLSForm, frames (and their draw), collection exports and survey points. Whatever comes in,
a parser returns its value or refuses with a located message (the file's name, and a row or node
where there is one), never another exception. Sound files are mangled the ways transfers and
people mangle them: cut short, bytes overwritten, cells typed at random."""

from __future__ import annotations

import io
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.core.assessment.sheet import read_scoring_sheet
from parindex.core.methodology import Edition
from parindex.core.methodology.excel import import_workbook
from parindex.core.methodology.loader import load_edition
from parindex.core.methodology.shipped import load_shipped
from parindex.core.numbers import parse_number
from parindex.core.surveys.exports import submissions
from parindex.core.surveys.frame import StageSpec, draw
from parindex.core.surveys.questionnaire import load_questionnaire, shipped_questionnaires
from parindex.core.surveys.xlsform import export_xlsform, import_xlsform
from parindex.core.tabular import TableError, read_table
from parindex.reports.edition_workbook import export_workbook
from parindex.reports.scoring_sheet import scoring_sheet
from tests import crafted

FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def edition() -> Edition:
    value = load_shipped("par-index-province/2023").value
    assert value is not None
    return value


@cache
def sound_files() -> dict[str, bytes]:
    """One sound file of each kind an upload form takes."""
    with tempfile.TemporaryDirectory() as folder:
        form, table = Path(folder) / "form.xlsx", Path(folder) / "edition.xlsx"
        questionnaire = load_questionnaire(shipped_questionnaires()["sipas-2023-citizens"]).value
        assert questionnaire is not None
        export_xlsform(questionnaire, form)
        export_workbook(edition(), table)
        scored = [c.id for _f, _c, c in edition().scored()]
        return {
            "xlsform": form.read_bytes(),
            "edition": table.read_bytes(),
            "sheet": scoring_sheet(edition(), "province:01", "Hà Nội", "2026", scored, {}),
            "frame": crafted.workbook(
                [["tinh", "xa", "ho"]] + [["A", f"X{i % 4}", str(i)] for i in range(40)]
            ),
        }


@st.composite
def mangled(draw_: st.DrawFn, kind: str) -> bytes:
    data = sound_files()[kind]
    how = draw_(st.sampled_from(["cut", "overwrite", "random"]))
    if how == "cut":
        return data[: draw_(st.integers(0, len(data) - 1))]
    if how == "overwrite":
        at = draw_(st.integers(0, len(data) - 1))
        noise = draw_(st.binary(min_size=1, max_size=64))
        return data[:at] + noise + data[at + len(noise) :]
    return draw_(st.binary(max_size=2048))


CELL = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
)
HEADER = st.sampled_from(
    ["tinh", "xa", "ho", "unit", "component", "points", "ballot_code", "_submission_time", "", "x"]
)


@st.composite
def tables(draw_: st.DrawFn) -> tuple[str, bytes]:
    """A CSV or workbook with plausible column names and random cells."""
    header = draw_(st.lists(HEADER, min_size=1, max_size=5))
    rows = draw_(st.lists(st.lists(CELL, max_size=6), max_size=12))
    if draw_(st.booleans()):
        return "upload.xlsx", crafted.workbook([header, *rows])
    lines = io.StringIO()
    separator = draw_(st.sampled_from([",", ";"]))
    for row in [header, *rows]:
        lines.write(separator.join("" if v is None else str(v) for v in row) + "\n")
    raw = lines.getvalue().encode("utf-8")
    if draw_(st.booleans()):
        raw += draw_(st.binary(max_size=32))
    return "upload.csv", raw


def refused_with_a_location(message: str, source: str = "upload") -> None:
    assert message.startswith(source), message


@FAST
@given(st.one_of(tables(), mangled("frame").map(lambda d: ("upload.xlsx", d))))
def test_frames_exports_and_points_are_read_or_refused_with_the_file_named(
    upload: tuple[str, bytes],
) -> None:
    name, data = upload
    try:
        table = read_table(Path(name), data)
    except TableError as error:
        refused_with_a_location(str(error))
        return
    for read in (
        lambda: submissions(table, "kobo"),
        lambda: draw(table, strata="tinh", stages=[StageSpec("xa", 2)], final_take=2, seed=1),
        lambda: [parse_number(v) for v in table.column("points")],
    ):
        try:
            read()
        except TableError as error:
            refused_with_a_location(str(error))
        except ValueError:
            pass  # parse_number's refusal; the service words it with the row (tested there)


@FAST
@given(st.one_of(mangled("xlsform"), mangled("edition")))
def test_forms_and_editions_give_located_findings(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(data)
        for report in (import_xlsform(path, "citizens"), import_workbook(path)):
            if report.value is None:
                assert report.findings
                for finding in report.findings:
                    assert finding.message and "upload.xlsx" in finding.file


@FAST
@given(mangled("sheet"))
def test_a_scoring_sheet_is_read_or_refused_with_rows_named(data: bytes) -> None:
    scored = [c.id for _f, _c, c in edition().scored()]
    report = read_scoring_sheet(data, "upload.xlsx", edition(), "province:01", scored)
    if report.value is None:
        assert report.findings
        assert all(f.message and f.file == "upload.xlsx" for f in report.findings)


YAML_NOISE = st.text(
    alphabet=st.sampled_from([*"abc:-[]{}&*!|>'\"#%@`\n\t 0123456789.,?", "ư", "\x00"]),
    max_size=200,
)


@FAST
@given(st.one_of(YAML_NOISE, st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
def test_a_methodology_yaml_gives_located_findings(text: str) -> None:
    shipped = Path(str(edition_folder())) / "index.yaml"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "index.yaml").write_text(
            shipped.read_text("utf-8")[: len(text)] + text, encoding="utf-8"
        )
        report = load_edition(root)
    assert report.value is None and report.findings
    assert all(f.message and f.file for f in report.findings)


def edition_folder() -> Path:
    from importlib import resources

    return Path(str(resources.files("parindex.methodologies"))) / "par-index-province" / "2023"


@pytest.mark.parametrize("kind", ["xlsform", "edition", "sheet", "frame"])
def test_the_sound_files_are_read(kind: str) -> None:
    """The mangling above starts from files the parsers accept."""
    data = sound_files()[kind]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(data)
        if kind == "xlsform":
            assert import_xlsform(path, "citizens").value is not None
        elif kind == "edition":
            assert import_workbook(path).value is not None
        elif kind == "sheet":
            scored = [c.id for _f, _c, c in edition().scored()]
            assert read_scoring_sheet(data, "s.xlsx", edition(), "province:01", scored).value == {}
        else:
            assert read_table(path, data).rows == 40
