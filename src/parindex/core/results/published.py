"""A table of published results as it comes from an announcement: one row per unit (and year),
the score, the rank, perhaps the change and the dimensions, often partial.

Columns are recognised by the names the sources use (``unit``/``province``, ``score_pct``/
``sipas_pct``/``papi_total_of_80``/``pci``, ``rank``/``rank_of_63``, ``d1_participation`` … for
PAPI dimensions, ``field:<id>`` for component indices). Lines starting with ``#`` before the
header are the source's description: kept, and a stated national average is read from them.
Rows naming an aggregate in capitals (``NATIONAL_AVERAGE``) are stated figures, not units.
A unit without a figure is *not published*; ``status`` = ``not assessed`` marks units left out.
Every fault names the file's line and the column; nothing is returned when there is one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from parindex.core.findings import Finding, Report, sorted_findings
from parindex.core.numbers import parse_number
from parindex.core.tabular import Table, TableError, read_table

Resolver = Callable[[str, int], str | None]
"""A unit's name or code as printed, and the year → the unit's ref (``None``: unknown)."""

INDEX_SCALES: dict[str, tuple[float, float]] = {
    "par-index-province": (100.0, 100.0),
    "par-index-ministry": (100.0, 100.0),
    "sipas": (100.0, 100.0),
    "papi": (80.0, 10.0),
    "pci": (100.0, 100.0),
}
"""Per index: the maximum of the total and of each dimension or field."""

YEAR = ("year", "survey_year")
UNIT = ("unit", "province", "ministry", "unit_ascii", "unit_en")
SCORE = ("score_pct", "sipas_pct", "papi_total_of_80", "pci", "score", "points", "value_pct")
RANK = ("rank", "rank_of_63", "rank_of_34")
CHANGE = ("change_vs_prev_pct_points", "change")
GROUP = ("group", "group_or_band")
NOTE = ("notes", "note")
SOURCE = ("source_url", "source")
NODE = re.compile(r"^(?:field:(?P<field>.+)|(?P<dim>d\d+)_(?P<name>.+))$")
AGGREGATE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")
NOT_ASSESSED = {"not assessed", "not_assessed", "không đánh giá", "khong danh gia", "excluded"}
STATED_AVERAGE = re.compile(r"national average\s+(\d+(?:[.,]\d+)?)\s*%", re.IGNORECASE)
GROUP_COUNT = re.compile(r"group\s+([A-D])\b[^;.]*?\)?\s+(\d+)\b", re.IGNORECASE)


@dataclass(frozen=True)
class PublishedEntry:
    unit: str
    """The unit's ref."""
    node: str
    """``""`` for the index itself."""
    pct: float | None
    rank: int | None = None
    ranked_of: int | None = None
    group: str = ""
    change: float | None = None
    not_assessed: bool = False
    note: str = ""
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class PublishedYear:
    year: int
    entries: tuple[PublishedEntry, ...]
    nodes: tuple[tuple[str, str], ...] = ()
    """Dimensions or fields: (id, name as the column gives it)."""
    stated: dict[str, str] = field(default_factory=dict)


def fold_name(text: str) -> str:
    """A unit's name reduced for matching: no accents, no "Tỉnh"/"Thành phố"/"City"/"Province".

    >>> fold_name("Thành phố Hồ Chí Minh"), fold_name("Ho Chi Minh City"), fold_name("Bà Rịa - Vũng Tàu")
    ('ho chi minh', 'ho chi minh', 'ba ria vung tau')
    """
    text = text.replace("Đ", "D").replace("đ", "d")
    text = unicodedata.normalize("NFD", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Mn").lower()
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    for prefix in ("tinh ", "thanh pho ", "tp "):
        text = text.removeprefix(prefix)
    for suffix in (" city", " province"):
        text = text.removesuffix(suffix)
    return text


def _pick(columns: dict[str, list[str]], names: tuple[str, ...]) -> str | None:
    return next((name for name in names if name in columns), None)


def _strip_comments(data: bytes) -> tuple[bytes, list[str], int]:
    text = data.decode("utf-8-sig", errors="replace")
    lines = text.splitlines(keepends=True)
    comments = []
    while lines and lines[0].startswith("#"):
        comments.append(lines.pop(0)[1:].strip())
    return "".join(lines).encode(), comments, len(comments)


def read_published(
    path: Path,
    index: str,
    resolve: Resolver,
    *,
    year: int | None = None,
    ranked_of: int | None = None,
    content: bytes | None = None,
) -> Report[list[PublishedYear]]:
    """The years of published results in ``path`` (CSV or xlsx), or every fault found."""
    source = path.name
    data = path.read_bytes() if content is None else content
    comments: list[str] = []
    offset = 0
    if path.suffix.lower() == ".csv":
        data, comments, offset = _strip_comments(data)
    try:
        table = read_table(path, data)
    except TableError as error:
        return Report(None, (Finding("table", str(error), source),))
    return _read(table, index, resolve, year, ranked_of, comments, offset)


def _read(
    table: Table,
    index: str,
    resolve: Resolver,
    year: int | None,
    ranked_of: int | None,
    comments: list[str],
    offset: int,
) -> Report[list[PublishedYear]]:
    source = table.source
    columns = table.columns
    findings: list[Finding] = []

    def fault(line: int, column: str, message: str) -> None:
        findings.append(Finding("published", f"column '{column}': {message}", source, line))

    if index not in INDEX_SCALES:
        known = ", ".join(INDEX_SCALES)
        return Report(None, (Finding("published", f"unknown index '{index}' ({known})", source),))
    total_max, node_max = INDEX_SCALES[index]
    year_column = _pick(columns, YEAR)
    unit_column = _pick(columns, UNIT)
    score_column = _pick(columns, SCORE)
    rank_column = _pick(columns, RANK)
    node_columns = {name: NODE.match(name) for name in columns}
    nodes = [
        (m["field"] or m["dim"], (m["name"] or m["field"]).replace("_", " "), name)
        for name, m in node_columns.items()
        if m is not None
    ]
    if unit_column is None:
        return Report(None, (Finding("published", f"no unit column ({', '.join(UNIT)})", source),))
    if score_column is None and not nodes:
        names = ", ".join(SCORE)
        return Report(None, (Finding("published", f"no score column ({names})", source),))
    if year_column is None and year is None:
        return Report(None, (Finding("published", "no year column: give the year", source),))
    if rank_column and rank_column.startswith("rank_of_") and ranked_of is None:
        ranked_of = int(rank_column.removeprefix("rank_of_"))
    if score_column and (m := re.search(r"_of_(\d+)$", score_column)):
        total_max = float(m[1])

    def number(line: int, column: str | None, row: int, top: float) -> float | None:
        if column is None:
            return None
        text = columns[column][row]
        try:
            value = parse_number(text.replace("+", ""))
        except ValueError:
            fault(line, column, f"'{text}' is not a number")
            return None
        if value is not None and not 0 <= value <= top:
            fault(line, column, f"{text} is outside 0…{top:g}")
            return None
        return value

    def optional(names: tuple[str, ...], row: int) -> str:
        column = _pick(columns, names)
        return columns[column][row].strip() if column else ""

    years: dict[int, list[PublishedEntry]] = {}
    stated: dict[int, dict[str, str]] = {}
    seen: dict[tuple[int, str, str], int] = {}
    for row in range(table.rows):
        line = row + 2 + offset
        name = columns[unit_column][row].strip()
        row_year = year
        if year_column is not None:
            text = columns[year_column][row].strip()
            if not text.isdigit() or not 1990 <= int(text) <= 2100:
                fault(line, year_column, f"'{text}' is not a year")
                continue
            row_year = int(text)
        assert row_year is not None
        if AGGREGATE.match(name):
            value = columns[score_column][row].strip() if score_column else ""
            stated.setdefault(row_year, {})[name.lower()] = value
            continue
        ref = resolve(name, row_year)
        if ref is None:
            fault(line, unit_column, f"unknown unit '{name}' in {row_year}")
            continue
        rank_text = columns[rank_column][row].strip().lower() if rank_column else ""
        rank: int | None = None
        if rank_text == "last":
            if ranked_of is None:
                fault(line, rank_column or "rank", "'last' needs the number of units ranked")
            rank = ranked_of
        elif rank_text:
            if not rank_text.isdigit() or int(rank_text) < 1:
                fault(line, rank_column or "rank", f"'{rank_text}' is not a rank")
            elif ranked_of is not None and int(rank_text) > ranked_of:
                fault(line, rank_column or "rank", f"rank {rank_text} is beyond {ranked_of}")
            else:
                rank = int(rank_text)
        status = optional(("status",), row).lower()
        if status and status not in NOT_ASSESSED and status != "published":
            fault(line, "status", f"'{status}' is not 'published' or 'not assessed'")
        change_column = _pick(columns, CHANGE)
        change = None
        if change_column and columns[change_column][row].strip():
            try:
                change = parse_number(columns[change_column][row].replace("+", ""))
            except ValueError:
                fault(line, change_column, f"'{columns[change_column][row]}' is not a number")
        common = {
            "not_assessed": status in NOT_ASSESSED,
            "note": optional(NOTE, row),
            "source": optional(SOURCE, row),
            "line": line,
        }
        entries = years.setdefault(row_year, [])
        key = (row_year, ref, "")
        if key in seen:
            fault(line, unit_column, f"'{name}' appears twice for {row_year} (line {seen[key]})")
            continue
        seen[key] = line
        entries.append(
            PublishedEntry(
                ref,
                "",
                number(line, score_column, row, total_max),
                rank,
                ranked_of if rank is not None else None,
                optional(GROUP, row),
                change,
                **common,  # type: ignore[arg-type]
            )
        )
        for node, _label, column in nodes:
            entries.append(
                PublishedEntry(ref, node, number(line, column, row, node_max), **common)  # type: ignore[arg-type]
            )
    if findings:
        return Report(None, sorted_findings(findings))
    description = " ".join(comments)
    result = []
    for row_year in sorted(years.keys() | stated.keys()):
        told = dict(stated.get(row_year, {}))
        if year_column is None and (m := STATED_AVERAGE.search(description)):
            told.setdefault("national_average", m[1].replace(",", "."))
        if year_column is None:
            for letter, count in GROUP_COUNT.findall(description):
                told.setdefault(f"group_{letter.upper()}", count)
        result.append(
            PublishedYear(
                row_year,
                tuple(years.get(row_year, [])),
                tuple((node, label) for node, label, _c in nodes),
                told,
            )
        )
    return Report(result, ())
