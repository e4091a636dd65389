"""``parindex report``: the national report or a unit's report card of a published year, as PDF
(Typst, charts through vl-convert) or as an Excel workbook of the full tables.

    parindex report --index par-index-province --year 2024 [--unit province:20] --lang vi|en
                    --out FILE.pdf|FILE.xlsx
    parindex report --cycle 3 ...      (the index and year of an assessment cycle)
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="published results as a PDF report or an Excel workbook")
    parser.add_argument("--index", help="index (par-index-province, sipas, papi …)")
    parser.add_argument("--year", type=int, help="published year")
    parser.add_argument(
        "--cycle", type=int, help="an assessment cycle's id, instead of index and year"
    )
    parser.add_argument(
        "--unit", help="a unit's ref: its report card instead of the national report"
    )
    parser.add_argument("--lang", choices=("vi", "en"), default="vi", help="language (vi)")
    parser.add_argument("--out", type=Path, required=True, help="FILE.pdf or FILE.xlsx")


def run(args: argparse.Namespace) -> int:
    from parindex.cli.bootstrap import start_django

    start_django()
    from rich.progress import Progress

    from parindex.reports.results_report import pdf, workbook
    from parindex.server.results.services.publication import index_of_edition
    from parindex.server.results.services.report import ReportError, national_report, unit_report

    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        print(f"{args.out}: the report is written as .pdf or .xlsx")
        return 2
    index, year = args.index, args.year
    if args.cycle is not None:
        from parindex.server.assessments.models import Cycle

        cycle = Cycle.objects.filter(pk=args.cycle).first()
        if cycle is None:
            print(f"no cycle {args.cycle}")
            return 2
        index, year = index_of_edition(cycle.edition), cycle.year
    if not index or (year is None and not args.unit):
        print("give --index and --year, or --cycle")
        return 2
    try:
        content = (
            unit_report(index, args.unit, args.lang)
            if args.unit
            else national_report(index, year, args.lang)
        )
    except ReportError as error:
        print(error)
        return 1
    with Progress() as bar:
        task = bar.add_task(f"{args.out.name}", total=1)
        if suffix == ".pdf":
            data = pdf(content, lambda done, total: bar.update(task, completed=done, total=total))
        else:
            data = workbook(content)
        bar.update(task, completed=1, total=1)
    partial = args.out.with_name(args.out.name + ".partial")
    partial.write_bytes(data)
    partial.replace(args.out)
    print(f"wrote {args.out} ({len(data) // 1024} KB)")
    return 0
