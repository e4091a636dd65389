"""``parindex survey``: design-based estimates from a CSV (``estimate``), and exports of
collected ballots taken into a survey (``import``).

    parindex survey estimate --data FILE.csv [--strata COL] [--cluster COL[,COL...]]
        [--weight COL] [--fpc COL[,COL...]] (--mean VAR | --proportion VAR=VALUE) [--by COL]
        [--ci wald|logit|wilson|beta] --out OUT.csv

Clusters and fpc columns are given outermost first, as in R. The output has the columns
``domain,variable,estimate,se,ci_low,ci_high,n`` (domain ``all`` without ``--by``), numbers at
full precision. Empty cells and ``NA`` are missing: such rows leave that estimate's domain.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

from parindex.core.errors import ParindexError
from parindex.core.surveys import DesignError, SurveyDesign, estimate, interval
from parindex.core.surveys.exports import KOBO_CODE, KOBO_TIME, submissions
from parindex.core.tabular import TableError, read_table

MISSING = {"", "NA", "NaN", "nan"}


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="survey estimates with design-based standard errors")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    est = actions.add_parser("estimate", help="a mean or a proportion, overall or by domain")
    est.add_argument("--data", type=Path, required=True, help="CSV with one row per respondent")
    est.add_argument("--strata", help="stratum column")
    est.add_argument("--cluster", help="cluster columns by stage, outermost first: COL[,COL...]")
    est.add_argument("--weight", help="weight column (default: from --fpc, else equal weights)")
    est.add_argument("--fpc", help="fpc columns by stage: population counts or sampling fractions")
    what = est.add_mutually_exclusive_group(required=True)
    what.add_argument("--mean", metavar="VAR", help="numeric column to average")
    what.add_argument(
        "--proportion", metavar="VAR=VALUE", help="share of respondents answering VALUE"
    )
    est.add_argument("--by", help="domain column (e.g. province)")
    est.add_argument(
        "--ci",
        choices=["wald", "logit", "wilson", "beta"],
        help="interval: wald (default for means), logit (default for proportions), wilson, beta",
    )
    est.add_argument("--level", type=float, default=0.95, help="confidence level (0.95)")
    est.add_argument(
        "--lonely-psu",
        choices=["fail", "remove", "certainty", "adjust"],
        default="fail",
        help="a stratum with one PSU: fail (R's default), remove, certainty or adjust",
    )
    est.add_argument("--out", type=Path, required=True, help="CSV to write")

    take = actions.add_parser(
        "import", help="take in a CSV or Excel export (Kobo, ODK, data entry) for a survey"
    )
    take.add_argument("--survey", required=True, help="survey identifier (slug)")
    take.add_argument(
        "--file", type=Path, required=True, help="CSV or .xlsx with one row per submission"
    )
    take.add_argument(
        "--code-column", default=KOBO_CODE, help=f"column of the ballot code ({KOBO_CODE})"
    )
    take.add_argument(
        "--time-column",
        default=KOBO_TIME,
        help=f"column of the submission time, ISO 8601 ({KOBO_TIME})",
    )
    take.add_argument(
        "--channel", default="csv", help="channel recorded with each submission (csv)"
    )


class InputError(ParindexError):
    """An option or input file the command cannot use; the message says which and why."""


def _columns(spec: str | None) -> list[str]:
    return [c.strip() for c in spec.split(",") if c.strip()] if spec else []


def _numbers(data: dict[str, list[str]], column: str, allow_missing: bool) -> np.ndarray:
    values = np.empty(len(data[column]))
    for row, text in enumerate(data[column], start=2):
        if text.strip() in MISSING:
            if not allow_missing:
                raise InputError(f"row {row}: column '{column}' is empty")
            values[row - 2] = np.nan
            continue
        try:
            values[row - 2] = float(text)
        except ValueError:
            raise InputError(f"row {row}: column '{column}' has '{text}', not a number") from None
    return values


def run(args: argparse.Namespace) -> int:
    if args.action == "import":
        return _import(args)
    try:
        return _estimate(args)
    except (InputError, TableError, DesignError, OSError) as error:
        print(f"parindex survey estimate: {error}; nothing written", file=sys.stderr)
        return 1


def _estimate(args: argparse.Namespace) -> int:
    table = read_table(args.data)
    data, rows = table.columns, table.rows
    variable = args.mean or args.proportion
    name, _, value = variable.partition("=")
    if args.proportion and not value:
        raise InputError("--proportion takes VAR=VALUE, e.g. q9_15=5")
    needed = [name, args.strata, args.weight, args.by, *_columns(args.cluster), *_columns(args.fpc)]
    missing = [c for c in needed if c and c not in data]
    if missing:
        raise InputError(f"{args.data} has no column {missing[0]!r} (columns: {', '.join(data)})")
    design = SurveyDesign.from_columns(
        rows,
        weights=_numbers(data, args.weight, False) if args.weight else None,
        strata=data[args.strata] if args.strata else None,
        clusters=[data[c] for c in _columns(args.cluster)],
        fpc=[_numbers(data, c, False) for c in _columns(args.fpc)],
        lonely_psu=args.lonely_psu,
    )
    if args.mean:
        y = _numbers(data, name, True)
    else:
        y = np.array(
            [np.nan if t.strip() in MISSING else float(t.strip() == value) for t in data[name]]
        )
    if args.by:
        labels = sorted(set(data[args.by]))
        position = {label: i for i, label in enumerate(labels)}
        domains = np.array([position[v] for v in data[args.by]], dtype=np.int64)
    else:
        labels, domains = ["all"], None
    result = estimate(
        design, y, domains=domains, domain_labels=tuple(labels), variables=(variable,)
    )
    method = args.ci or ("wald" if args.mean else "logit")
    low, high = interval(
        method,
        result.estimate[:, 0],
        result.se[:, 0],
        n=result.n[:, 0],
        df=result.df[:, 0],
        level=args.level,
    )
    partial = args.out.with_name(args.out.name + ".partial")
    with partial.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["domain", "variable", "estimate", "se", "ci_low", "ci_high", "n"])
        for d, label in enumerate(labels):
            numbers = (result.estimate[d, 0], result.se[d, 0], low[d], high[d])
            writer.writerow([label, variable, *(_full(x) for x in numbers), int(result.n[d, 0])])
    partial.replace(args.out)
    print(f"wrote {args.out}: {len(labels)} domains, {rows} rows, interval {method}")
    return 0


def _full(value: float) -> str:
    return "" if np.isnan(value) else repr(float(value))


def _import(args: argparse.Namespace) -> int:
    """Everything in the file is taken in or nothing is: a bad row stops the import before it starts."""
    from parindex.cli.bootstrap import start_django

    start_django()
    from parindex.server.surveys.models import Survey
    from parindex.server.surveys.services import take_in

    survey = Survey.objects.filter(slug=args.survey).first()
    if survey is None:
        print(
            f"parindex survey import: no survey '{args.survey}'; nothing imported", file=sys.stderr
        )
        return 1
    try:
        table = read_table(args.file)
        batch = submissions(table, args.channel, args.code_column, args.time_column)
    except (TableError, OSError) as error:
        print(f"parindex survey import: {error}; nothing imported", file=sys.stderr)
        return 1
    report = take_in(survey, batch)
    aside = ", ".join(f"{k} {n}" for k, n in sorted(report.kept_aside.items())) or "none"
    print(f"{args.file}: {report.counted} counted; kept aside: {aside}")
    return 0
