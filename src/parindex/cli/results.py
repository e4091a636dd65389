"""``parindex results import``: results published elsewhere, stored as publications.

FILE is CSV (UTF-8, comma or semicolon; ``#`` lines before the header describe the source) or
xlsx, one row per unit (and year): ``unit`` or ``province``, ``year`` (or ``--year``), a score
(``score_pct``, ``sipas_pct``, ``papi_total_of_80``, ``pci``), ``rank`` (a number, or ``last``
with ``--ranked-of``), optionally ``change_vs_prev_pct_points``, ``group``, ``status`` (``not
assessed``), ``notes``, ``source_url``, PAPI dimensions ``d1_…``–``d8_…`` or ``field:<id>``
columns. A unit without a score is shown as not published. Any fault is reported with its line
and column and nothing is imported; a year already published needs ``--correct REASON``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

INDEXES = ("par-index-province", "par-index-ministry", "sipas", "papi", "pci")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="published results: import tables published elsewhere")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    load = actions.add_parser("import", help="import a published table (CSV or xlsx)")
    load.add_argument("file", type=Path, help="FILE.csv or FILE.xlsx")
    load.add_argument("--index", required=True, choices=INDEXES, help="which index the table is")
    load.add_argument("--year", type=int, help="the year, when the file has no year column")
    load.add_argument(
        "--ranked-of", type=int, help="units ranked (the denominator of '13/61'; needed by 'last')"
    )
    load.add_argument("--title", default="", help="title shown on the public pages")
    load.add_argument(
        "--correct", default="", metavar="REASON", help="replace a published year, with a reason"
    )


def run(args: argparse.Namespace) -> int:
    from parindex.cli.bootstrap import start_django

    start_django()
    from parindex.server.results.services.imports import import_results

    if not args.file.is_file():
        print(f"{args.file}: no such file")
        return 2
    report = import_results(
        args.file,
        args.index,
        year=args.year,
        ranked_of=args.ranked_of,
        title=args.title,
        correction=args.correct,
    )
    if report.value is None:
        for finding in report.findings:
            print(finding)
        print(f"nothing imported: {len(report.findings)} problem(s)")
        return 1
    for publication in report.value.publications:
        rows = publication.rows.filter(node="")
        published = rows.filter(status="published").count()
        print(
            f"{publication.index} {publication.year}: {rows.count()} units, {published} with a score"
        )
    print(f"imported {report.value.rows} rows")
    return 0
