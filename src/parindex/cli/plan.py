"""``parindex plan``: the least-effort improvements that take a unit to a target.

``--target groupA`` (any group code of the edition), ``rank:K`` or ``score:S`` (index %).
EFFORT.csv (optional): ``component,weight``, the effort of one point of each component (1 where
not named). Prints the plan (``--format table|json``); ``--out PLAN.csv`` also writes it as
``action,component,current,target,gain,effort`` rows (``raise``, then ``keep``). Bad input is
reported with its row and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from parindex.cli.uncertainty import InputError, check_size, positive, read_inputs

if TYPE_CHECKING:
    from parindex.core.methodology import Edition
    from parindex.core.scoring.planner import Plan


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="the cheapest improvements for a unit to reach a target")
    parser.add_argument("--edition", required=True, help="edition id or folder")
    parser.add_argument("--points", type=Path, required=True, help="POINTS.csv (or .xlsx)")
    parser.add_argument("--unit", required=True, help="the unit's code as in POINTS.csv")
    parser.add_argument("--target", required=True, help="groupA, rank:K or score:S")
    parser.add_argument("--effort", type=Path, help="EFFORT.csv: component,weight")
    parser.add_argument("--not-ranked", default="", help="units scored but not ranked: CODE,CODE")
    parser.add_argument(
        "--survey-replicates", type=Path, help="survey replicate points, for the rank interval"
    )
    parser.add_argument(
        "--replicates",
        type=int,
        default=0,
        help="replicates for the plan's rank interval (0: none)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (0)")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--out", type=Path, help="PLAN.csv to write")


def read_effort(path: Path, edition: Edition) -> dict[str, float]:
    from parindex.core.numbers import parse_number
    from parindex.core.tabular import TableError, read_table

    try:
        table = read_table(path)
        components, weights = table.column("component"), table.column("weight")
    except (OSError, TableError) as error:
        raise InputError(str(error)) from None
    known = {node.id for _f, _c, node in edition.scored()}
    effort: dict[str, float] = {}
    for line, (component, text) in enumerate(zip(components, weights, strict=True), start=2):
        where = f"{table.source}: row {line}"
        if component not in known:
            raise InputError(f"{where}: component '{component}' is not in edition {edition.id}")
        if component in effort:
            raise InputError(f"{where}: component '{component}' is given twice")
        try:
            weight = parse_number(text)
        except ValueError:
            weight = None
        if weight is None or not weight >= 0:
            raise InputError(f"{where}: weight '{text}' must be a number ≥ 0")
        effort[component] = weight
    return effort


def _show(result: Plan, names: dict[str, str]) -> str:
    lines = [
        f"{result.unit}: {result.index_pct:.2f} %, rank {result.rank or '—'}, group "
        f"{result.group or '—'}; target {result.target} (needs {result.needed_pct:.2f} %)",
    ]
    if not result.raises and result.reachable:
        lines.append("already there: nothing to raise")
    if not result.reachable:
        lines.append("out of reach: even with every component raised to its maximum")
    for r in result.raises:
        lines.append(
            f"  raise {r.component:<10} {r.current:g} → {r.target:g} (+{r.gain:.2f}, effort "
            f"{r.effort:.2f})  {names.get(r.component, '')}"
        )
    lines.append(f"keep at maximum: {', '.join(result.keep_at_maximum) or 'none'}")
    interval = ""
    if result.interval is not None:
        low, median, high = result.interval
        interval = f", rank interval {low}–{high} (median {median})"
    lines.append(
        f"with the plan: {result.new_index_pct:.2f} %, rank {result.new_rank or '—'}, "
        f"group {result.new_group or '—'}{interval}; effort {result.effort:.2f}"
    )
    return "\n".join(lines)


def _write(result: Plan, path: Path) -> None:
    import csv

    partial = path.with_name(path.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["action", "component", "current", "target", "gain", "effort"])
        for r in result.raises:
            writer.writerow(["raise", r.component, r.current, r.target, round(r.gain, 6), r.effort])
        for component in result.keep_at_maximum:
            writer.writerow(["keep", component, "", "", "", ""])
    partial.replace(path)


def run(args: argparse.Namespace) -> int:
    from parindex.core.scoring.planner import PlanError, parse_target, plan

    try:
        edition, table, draws, not_ranked = read_inputs(args)
        if args.unit not in table.units:
            raise InputError(f"unit '{args.unit}' is not in {args.points.name}")
        target = parse_target(args.target, edition)
        effort = read_effort(args.effort, edition) if args.effort else None
        if args.replicates:
            check_size(positive(str(args.replicates)), table)
        result = plan(
            table,
            args.unit,
            target,
            effort=effort,
            not_ranked=not_ranked,
            draws=draws,
            replicates=args.replicates,
            seed=args.seed,
        )
    except (InputError, PlanError, argparse.ArgumentTypeError) as error:
        print(f"parindex plan: {error}\nnothing written", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(asdict(result), ensure_ascii=False, indent=2, default=str))
    else:
        print(_show(result, edition.names()))
    if args.out:
        _write(result, args.out)
    return 0 if result.reachable else 2
