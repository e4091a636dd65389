"""``parindex uncertainty``: each unit's rank interval and group probabilities (CSV).

POINTS.csv as for ``parindex compute`` (``unit,component,points[,not_applicable][,unit_kind]``).
REPLICATES (.csv or .parquet): ``replicate,unit,component,points[,variant]``, the survey
components' points in each survey replicate. OUT.csv: ``unit,index_pct,rank,rank_median,
rank_lo,rank_hi`` and ``p_group_<code>`` per group of the edition.

Any problem in the input is reported with its row, and no output file is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from parindex.core.errors import ParindexError

if TYPE_CHECKING:
    from parindex.core.findings import Finding
    from parindex.core.methodology import Edition
    from parindex.core.scoring import PointsTable
    from parindex.core.scoring.uncertainty import RankIntervals, SurveyDraws

TRUE = {"1", "true", "yes", "x", "có", "co"}
MAX_CELLS = 50_000_000
"""Replicates × units × components held at once (8 bytes each: 400 MB)."""


class InputError(ParindexError):
    """Input refused; the message names the file and row."""


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1, got {text}")
    return value


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(
        name, help="rank intervals and group probabilities from survey replicates and choices"
    )
    parser.add_argument("--edition", required=True, help="edition id or folder")
    parser.add_argument("--points", type=Path, required=True, help="POINTS.csv (or .xlsx)")
    parser.add_argument(
        "--survey-replicates", type=Path, help="REPLICATES.csv or .parquet: survey replicate points"
    )
    parser.add_argument("--replicates", type=positive, default=1000, help="replicates (1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument("--not-ranked", default="", help="units scored but not ranked: CODE,CODE")
    parser.add_argument(
        "--previous-points", type=Path, help="last year's POINTS.csv: adds the year-on-year columns"
    )
    parser.add_argument("--previous-survey-replicates", type=Path, help="last year's REPLICATES")
    parser.add_argument("--previous-edition", help="last year's edition when it differs")
    parser.add_argument("--out", type=Path, required=True, help="OUT.csv to write")


def read_inputs(
    args: argparse.Namespace,
    *,
    edition_ref: str | None = None,
    points_path: Path | None = None,
    replicates_path: Path | None = None,
) -> tuple[Edition, PointsTable, SurveyDraws | None, list[str]]:
    """The edition, points, survey draws and units not ranked; InputError naming the row.
    ``edition_ref``, ``points_path`` and ``replicates_path`` replace the arguments' (last
    year's inputs)."""
    from parindex.core.methodology import load_any
    from parindex.core.scoring import PointsRow, points_from_rows
    from parindex.core.tabular import TableError, read_table
    from parindex.core.units import UnitKind

    reference = edition_ref or args.edition
    report = load_any(reference)
    if report.value is None:
        raise InputError(_joined(report.findings, f"edition {reference} does not load"))
    edition = report.value
    try:
        table = read_table(points_path or args.points)
        table.column("unit"), table.column("component")  # present and never empty
        if "points" not in table.columns:  # empty where a component is not applicable
            raise TableError(
                f"{table.source}: no column 'points' (columns: {', '.join(table.columns)})"
            )
    except (OSError, TableError) as error:
        raise InputError(str(error)) from None
    columns = table.columns
    flags = columns.get("not_applicable", [""] * table.rows)
    kinds: dict[str, UnitKind] = {}
    for line, (unit, text) in enumerate(
        zip(columns["unit"], columns.get("unit_kind", [""] * table.rows), strict=True), start=2
    ):
        if text and unit not in kinds:
            try:
                kinds[unit] = UnitKind(text)
            except ValueError:
                known = ", ".join(k.value for k in UnitKind)
                raise InputError(
                    f"{table.source}: row {line}: unknown unit_kind '{text}' (one of {known})"
                ) from None
    rows = [
        PointsRow(line, unit, component, points, flag.lower() in TRUE)
        for line, (unit, component, points, flag) in enumerate(
            zip(columns["unit"], columns["component"], columns["points"], flags, strict=True),
            start=2,
        )
    ]
    points = points_from_rows(edition, rows, source=table.source, unit_kinds=kinds)
    if points.value is None:
        raise InputError(_joined(points.findings, f"problems in {table.source}"))
    not_ranked = [code.strip() for code in args.not_ranked.split(",") if code.strip()]
    if points_path is None:
        unknown = sorted(set(not_ranked) - set(points.value.units))
        if unknown:
            raise InputError(f"--not-ranked names units not in {table.source}: {unknown}")
    draws = None
    replicates = replicates_path if points_path is not None else args.survey_replicates
    if replicates:
        draws = read_draws(replicates, points.value)
    return edition, points.value, draws, not_ranked


def read_draws(path: Path, table: PointsTable) -> SurveyDraws:
    from parindex.core.scoring.draws import DrawRow, draws_from_rows
    from parindex.core.tabular import TableError, read_table

    needed = ("replicate", "unit", "component", "points")
    if path.suffix.lower() == ".parquet":
        import polars as pl

        try:
            frame = pl.read_parquet(path)
        except Exception as error:  # polars raises several kinds for a bad file
            raise InputError(f"{path.name}: not a Parquet file ({type(error).__name__})") from None
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise InputError(
                f"{path.name}: no column '{missing[0]}' (columns: {', '.join(frame.columns)})"
            )
        frame = frame.with_columns(pl.all().cast(pl.String).fill_null(""))
        columns = {name: frame[name].to_list() for name in frame.columns}
        first_line = 1  # Parquet has no header row: data rows count from 1
    else:
        try:
            read = read_table(path)
            for column in needed:
                if column not in read.columns:
                    raise TableError(
                        f"{read.source}: no column '{column}' (columns: {', '.join(read.columns)})"
                    )
        except (OSError, TableError) as error:
            raise InputError(str(error)) from None
        columns, first_line = read.columns, 2
    count = len(columns["unit"])
    variants = columns.get("variant", [""] * count)
    rows = (
        DrawRow(line, replicate, unit, component, points, variant)
        for line, (replicate, unit, component, points, variant) in enumerate(
            zip(
                columns["replicate"],
                columns["unit"],
                columns["component"],
                columns["points"],
                variants,
                strict=True,
            ),
            start=first_line,
        )
    )
    report = draws_from_rows(table, rows, source=path.name)
    if report.value is None:
        raise InputError(_joined(report.findings, f"problems in {path.name}"))
    declared = table.edition.uncertainty
    absent = [
        v for v in (declared.survey_aggregation if declared else ()) if v not in report.value.points
    ]
    if absent:
        raise InputError(
            f"{path.name}: edition {table.edition.id} declares the survey scoring "
            f"'{absent[0]}' as uncertain, but no row has that variant"
        )
    return report.value


def _joined(findings: tuple[Finding, ...], summary: str) -> str:
    count = len(findings)
    lines = [str(f) for f in findings]
    return "\n".join([*lines, f"{summary}: {count} problem{'s' if count != 1 else ''}"])


def check_size(replicates: int, table: PointsTable) -> None:
    cells = replicates * len(table.units) * len(table.layout.node_ids)
    if cells > MAX_CELLS:
        most = MAX_CELLS // (len(table.units) * len(table.layout.node_ids))
        raise InputError(f"--replicates {replicates} is too many for this table: at most {most}")


def write_intervals(
    result: RankIntervals, path: Path, decimals: int, previous: RankIntervals | None = None
) -> None:
    import csv

    from parindex.core.scoring.uncertainty import movements

    moved = {m.unit: m for m in movements(result, previous)} if previous is not None else {}

    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["unit", "index_pct", "rank", "rank_median", "rank_lo", "rank_hi"]
            + [f"p_group_{code}" for code in result.group_codes]
            + (
                ["delta_rank", "p_rank_change_real", "delta_pct", "p_pct_change_real"]
                if previous
                else []
            )
        )
        for i, unit in enumerate(result.units):
            ranked = result.rank[i] > 0
            rank_cells = (
                [
                    str(result.rank[i]),
                    str(result.median[i]),
                    str(result.low[i]),
                    str(result.high[i]),
                ]
                if ranked
                else ["", "", "", ""]
            )
            pct = result.index_pct[i]
            change: list[str] = []
            if previous is not None:
                m = moved.get(unit)
                if m is not None:
                    change = [
                        _cell(m.delta_rank),
                        _cell(m.p_real, "{:.4f}"),
                        _cell(m.delta_pct, "{:.2f}"),
                        _cell(m.p_pct_real, "{:.4f}"),
                    ]
                else:
                    change = ["", "", "", ""]
            writer.writerow(
                [unit, "" if pct != pct else f"{pct:.{decimals}f}", *rank_cells]
                + [f"{p:.4f}" for p in result.p_group[i]]
                + change
            )
    partial.replace(path)


def _cell(value: float | int | None, form: str = "{}") -> str:
    return "" if value is None else form.format(value)


def run(args: argparse.Namespace) -> int:
    from parindex.core.scoring.uncertainty import rank_intervals

    try:
        edition, table, draws, not_ranked = read_inputs(args)
        check_size(args.replicates, table)
        last = None
        if args.previous_points:
            last = read_inputs(
                args,
                edition_ref=args.previous_edition or args.edition,
                points_path=args.previous_points,
                replicates_path=args.previous_survey_replicates,
            )
            check_size(args.replicates, last[1])
        elif args.previous_survey_replicates or args.previous_edition:
            raise InputError(
                "--previous-survey-replicates and --previous-edition need --previous-points"
            )
    except InputError as error:
        print(f"parindex uncertainty: {error}\nnothing written", file=sys.stderr)
        return 1
    result = rank_intervals(
        table, not_ranked=not_ranked, draws=draws, replicates=args.replicates, seed=args.seed
    )
    previous = None
    if last is not None:
        _edition, last_table, last_draws, _ranked = last
        excluded = [u for u in not_ranked if u in last_table.units]
        previous = rank_intervals(
            last_table,
            not_ranked=excluded,
            draws=last_draws,
            replicates=args.replicates,
            seed=args.seed + 1,  # the years' replicates are independent draws
        )
    write_intervals(result, args.out, edition.rounding.decimals, previous)
    chosen = ", ".join(c.name for c in result.choices) or "none"
    print(
        f"wrote {args.out}: {len(result.units)} units, {args.replicates} replicates, "
        f"seed {args.seed}, uncertain: {chosen}"
    )
    return 0
