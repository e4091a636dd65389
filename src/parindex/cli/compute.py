"""``parindex compute``: a points table in, the published table out (CSV).

POINTS.csv: ``unit,component,points[,not_applicable][,unit_kind]``; bonus and penalty rows use
the components ``_bonus`` and ``_penalty``; ``unit_kind`` (department, commune …) puts units in
the edition's peer groups and leaves out what does not apply to their kind.

RESULTS.csv: ``unit,points,max_points,index_pct,rank,group``, then ``field:<id>_pct`` per field
and, with ``--previous``, ``delta_pct,delta_rank`` (a climb from 33rd to 12th is +21).

Any problem in the input is reported with its row, and no output file is written.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from pathlib import Path

from parindex.core.methodology import EditionDiff, diff_editions, load_any
from parindex.core.scoring import (
    PointsRow,
    PreviousResult,
    ScoreTable,
    compute,
    points_from_rows,
    year_on_year,
)
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


def read_points(path: Path) -> Iterator[PointsRow]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"unit", "component", "points"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(
                f"{path}: columns {sorted(missing)} are missing (need unit,component,points)"
            )
        for line, row in enumerate(reader, start=2):
            yield PointsRow(
                line=line,
                unit=(row.get("unit") or "").strip(),
                component=(row.get("component") or "").strip(),
                points=row.get("points") or "",
                not_applicable=(row.get("not_applicable") or "").strip().lower() in TRUE,
            )


def read_unit_kinds(path: Path) -> dict[str, UnitKind]:
    """The optional ``unit_kind`` column: each unit's kind, from its first row that gives one."""
    kinds: dict[str, UnitKind] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            text = (row.get("unit_kind") or "").strip()
            unit = (row.get("unit") or "").strip()
            if not text or unit in kinds:
                continue
            try:
                kinds[unit] = UnitKind(text)
            except ValueError:
                known = ", ".join(k.value for k in UnitKind)
                raise ValueError(
                    f"{path}: row {line}: unknown unit_kind '{text}' (one of {known})"
                ) from None
    return kinds


def _float(text: str | None) -> float | None:
    return float(text) if text not in (None, "") else None


def _int(text: str | None) -> int | None:
    return int(float(text)) if text not in (None, "") else None


def read_previous(path: Path) -> dict[str, PreviousResult]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        previous = {}
        for row in csv.DictReader(handle):
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
    report = load_any(args.edition)
    if report.value is None:
        for finding in report.findings:
            print(finding, file=sys.stderr)
        return 1
    edition = report.value
    try:
        kinds = read_unit_kinds(args.points)
        points = points_from_rows(
            edition, read_points(args.points), source=str(args.points), unit_kinds=kinds
        )
    except (OSError, ValueError) as error:
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
