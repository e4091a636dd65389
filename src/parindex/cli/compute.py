"""``parindex compute``: a points table in, the published table out (CSV).

POINTS.csv: ``unit,component,points[,not_applicable][,unit_kind]``; bonus and penalty rows use
the components ``_bonus`` and ``_penalty``; ``unit_kind`` (department, commune …) puts units in
the edition's peer groups and leaves out what does not apply to their kind.

RESULTS.csv: ``unit,points,max_points,index_pct,rank,group``, then ``field:<id>_pct`` per field
and, with ``--previous``, ``delta_pct,delta_rank`` (a climb from 33rd to 12th is +21).

Any problem in the input is reported with its row, and no output file is written. Files are
read by ``core.tabular`` like every CSV the project takes: comma or semicolon, decimal point or
comma, UTF-8 with or without BOM (another encoding is refused with the file's name).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parindex.core.methodology import EditionDiff
    from parindex.core.scoring import PointsRow, PreviousResult, ScoreTable
    from parindex.core.tabular import Table
    from parindex.core.units import UnitKind

TRUE = {"1", "true", "yes", "x", "có", "co"}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="compute index %%, ranks and groups from a points table")
    parser.add_argument("--edition", required=True, help="edition id or folder")
    parser.add_argument("--points", type=Path, required=True, help="POINTS.csv")
    parser.add_argument(
        "--previous", type=Path, help="last year's RESULTS.csv, for year-on-year change"
    )
    parser.add_argument(
        "--previous-edition",
        help="edition of --previous when it differs; fields are then compared only where comparable",
    )
    parser.add_argument("--not-ranked", default="", help="units scored but not ranked: CODE,CODE")
    parser.add_argument("--out", type=Path, required=True, help="RESULTS.csv to write")


def _rows(table: Table) -> Iterator[dict[str, str]]:
    names = list(table.columns)
    for k in range(table.rows):
        yield {name: table.columns[name][k] for name in names}


def read_points(table: Table) -> Iterator[PointsRow]:
    from parindex.core.scoring import PointsRow

    missing = {"unit", "component", "points"} - set(table.columns)
    if missing:
        raise ValueError(
            f"{table.source}: columns {sorted(missing)} are missing (need unit,component,points;"
            f" found {','.join(table.columns)})"
        )
    for line, row in enumerate(_rows(table), start=2):
        yield PointsRow(
            line=line,
            unit=row["unit"].strip(),
            component=row["component"].strip(),
            points=row["points"],
            not_applicable=row.get("not_applicable", "").strip().lower() in TRUE,
        )


def read_unit_kinds(table: Table) -> dict[str, UnitKind]:
    """The optional ``unit_kind`` column: each unit's kind, from its first row that gives one."""
    from parindex.core.units import UnitKind

    kinds: dict[str, UnitKind] = {}
    for line, row in enumerate(_rows(table), start=2):
        text = row.get("unit_kind", "").strip()
        unit = row.get("unit", "").strip()
        if not text or unit in kinds:
            continue
        try:
            kinds[unit] = UnitKind(text)
        except ValueError:
            known = ", ".join(k.value for k in UnitKind)
            raise ValueError(
                f"{table.source}: row {line}: unknown unit_kind '{text}' (one of {known})"
            ) from None
    return kinds


def _float(text: str | None) -> float | None:
    from parindex.core.numbers import parse_number

    return parse_number(text) if text not in (None, "") else None


def _int(text: str | None) -> int | None:
    number = _float(text)
    return None if number is None else int(number)


def read_previous(path: Path) -> dict[str, PreviousResult]:
    from parindex.core.scoring import PreviousResult
    from parindex.core.tabular import read_table

    previous = {}
    for row in _rows(read_table(path)):
        fields = {
            k.removeprefix("field:").removesuffix("_pct"): _float(v)
            for k, v in row.items()
            if k.startswith("field:")
        }
        previous[row["unit"]] = PreviousResult(
            row["unit"],
            _float(row.get("index_pct")),
            _int(row.get("rank")),
            row.get("group") or "",
            fields,
        )
    return previous


def _fmt(value: float | None, decimals: int) -> str:
    return "" if value is None else f"{value:.{decimals}f}"


def write_results(
    table: ScoreTable,
    path: Path,
    previous: dict[str, PreviousResult] | None,
    diff: EditionDiff | None,
) -> None:
    import csv

    from parindex.core.scoring import year_on_year

    decimals = table.points_table.edition.rounding.decimals
    header = ["unit", "points", "max_points", "index_pct", "rank", "group"]
    header += [f"field:{f}_pct" for f in table.field_ids]
    changes = {}
    if previous is not None:
        header += ["delta_pct", "delta_rank"]
        changes = {c.unit: c for c in year_on_year(table, previous, diff)}
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for result in table.results:
            row = [
                result.unit,
                _fmt(result.points, decimals),
                _fmt(result.max_points, decimals),
                _fmt(result.index_pct, decimals),
                "" if result.rank is None else str(result.rank),
                result.group,
            ]
            row += [_fmt(result.field_pct[f], decimals) for f in table.field_ids]
            if previous is not None:
                index = changes[result.unit].index
                row += [
                    _fmt(index.delta_pct, 2),
                    "" if index.delta_rank is None else str(index.delta_rank),
                ]
            writer.writerow(row)
    partial.replace(path)


def run(args: argparse.Namespace) -> int:
    from parindex.core.methodology import diff_editions, load_any
    from parindex.core.scoring import compute, points_from_rows
    from parindex.core.tabular import TableError, read_table

    report = load_any(args.edition)
    if report.value is None:
        for finding in report.findings:
            print(finding, file=sys.stderr)
        return 1
    edition = report.value
    try:
        points_file = read_table(args.points)
        kinds = read_unit_kinds(points_file)
        points = points_from_rows(
            edition, read_points(points_file), source=str(args.points), unit_kinds=kinds
        )
    except (OSError, ValueError, TableError) as error:
        print(f"parindex compute: {error}", file=sys.stderr)
        return 1
    if points.value is None:
        for finding in points.findings:
            print(finding, file=sys.stderr)
        count = len(points.findings)
        print(
            f"{count} problem{'s' if count != 1 else ''} in {args.points}; nothing written",
            file=sys.stderr,
        )
        return 1
    not_ranked = [code.strip() for code in args.not_ranked.split(",") if code.strip()]
    unknown = sorted(set(not_ranked) - set(points.value.units))
    if unknown:
        print(
            f"parindex compute: --not-ranked names units not in {args.points}: {unknown}",
            file=sys.stderr,
        )
        return 1
    table = compute(points.value, not_ranked)
    previous = read_previous(args.previous) if args.previous else None
    diff = None
    if args.previous_edition:
        old = load_any(args.previous_edition).value
        if old is None:
            print(
                f"parindex compute: previous edition {args.previous_edition} does not load",
                file=sys.stderr,
            )
            return 1
        diff = diff_editions(old, edition)
    write_results(table, args.out, previous, diff)
    print(
        f"wrote {args.out}: {len(table.units)} units, edition {edition.id},"
        f" inputs {table.provenance.inputs_sha256[:12]}"
    )
    return 0
