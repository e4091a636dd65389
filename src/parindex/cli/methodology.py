"""``parindex methodology``: list, show, validate, diff and move editions to and from Excel."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from parindex.core.methodology import (
    Edition,
    Report,
    diff_editions,
    load_any,
    shipped_edition_ids,
    write_edition,
)
from parindex.core.methodology.excel import import_workbook
from parindex.reports.edition_workbook import export_workbook


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="methodology editions: list, show, validate, diff, Excel")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="the shipped editions")
    listing.add_argument("--format", choices=["table", "json"], default="table")

    show = actions.add_parser("show", help="an edition's tree (an id or a folder)")
    show.add_argument("edition")
    show.add_argument("--format", choices=["table", "json"], default="table")

    validate = actions.add_parser("validate", help="check an edition folder; exit 1 on findings")
    validate.add_argument("path")

    diff = actions.add_parser("diff", help="what changed from edition A to edition B")
    diff.add_argument("old")
    diff.add_argument("new")

    importer = actions.add_parser("import-excel", help="read an appendix workbook into a folder")
    importer.add_argument("file", type=Path)
    importer.add_argument("--out", type=Path, required=True, help="folder to write the YAML into")
    importer.add_argument("--id", help="edition id, e.g. par-index-province/2026")
    importer.add_argument("--title", help="Vietnamese title of the edition")
    importer.add_argument("--unit-kind", action="append", help="unit kind assessed (repeatable)")
    importer.add_argument("--first-year", type=int, help="first year the edition applies to")
    importer.add_argument(
        "--status", choices=["official", "illustrative"], help="official or illustrative"
    )

    exporter = actions.add_parser("export-excel", help="write an edition to a workbook")
    exporter.add_argument("edition")
    exporter.add_argument("file", type=Path)


def _fail(report: Report[Edition]) -> int:
    for finding in report.findings:
        print(finding, file=sys.stderr)
    print(f"{len(report.findings)} findings", file=sys.stderr)
    return 1


def run(args: argparse.Namespace) -> int:
    console = Console(highlight=False, soft_wrap=True)
    if args.action == "list":
        ids = shipped_edition_ids()
        if args.format == "json":
            print(json.dumps(ids))
            return 0
        table = Table()
        table.add_column("edition", no_wrap=True)
        for heading in ("status", "fields", "criteria", "components"):
            table.add_column(heading, no_wrap=True)
        table.add_column("title", overflow="ellipsis", no_wrap=True, max_width=60)
        for edition_id in ids:
            edition = load_any(edition_id).value
            if edition is None:
                table.add_row(edition_id, "INVALID", "", "", "", "")
                continue
            counts = edition.counts()
            table.add_row(
                edition_id,
                edition.status.value,
                *(str(counts[k]) for k in ("fields", "criteria", "components")),
                edition.title_vi,
            )
        console.print(table)
        return 0

    if args.action == "show":
        report = load_any(args.edition)
        if report.value is None:
            return _fail(report)
        edition = report.value
        if args.format == "json":
            print(json.dumps(edition.model_dump(mode="json"), ensure_ascii=False, indent=2))
            return 0
        tree = Tree(
            f"{edition.id} — {edition.title_vi} [{edition.status.value}] ({edition.total_points:g} điểm)"
        )
        for field in edition.fields:
            branch = tree.add(f"{field.id} {field.name_vi} ({field.max_points:g})")
            for criterion in field.criteria:
                twig = branch.add(f"{criterion.id} {criterion.name_vi} ({criterion.max_points:g})")
                for component in criterion.components:
                    twig.add(
                        f"{component.id} {component.name_vi} ({component.max_points:g};"
                        f" {component.source}; {component.rule.kind})"
                    )
        console.print(tree)
        return 0

    if args.action == "validate":
        report = load_any(args.path)
        if report.value is None:
            return _fail(report)
        counts = report.value.counts()
        print(
            f"ok: {report.value.id}: {counts['fields']} fields, {counts['criteria']} criteria,"
            f" {counts['components']} components"
        )
        return 0

    if args.action == "diff":
        old, new = load_any(args.old), load_any(args.new)
        for report in (old, new):
            if report.value is None:
                return _fail(report)
        assert old.value is not None and new.value is not None
        result = diff_editions(old.value, new.value)
        for change in result.changes:
            print(change)
        print(
            f"{len(result.changes)} changes; {len(result.comparable)} nodes of {new.value.id}"
            f" comparable with {old.value.id}"
        )
        return 0

    if args.action == "import-excel":
        defaults: dict[str, object] = {}
        if args.id:
            defaults["id"] = args.id
        if args.title:
            defaults["title_vi"] = args.title
        if args.unit_kind:
            defaults["unit_kinds"] = args.unit_kind
        if args.first_year:
            defaults["valid_years"] = {"first": args.first_year}
        if args.status:
            defaults["status"] = args.status
        report = import_workbook(args.file, defaults)
        if report.value is None:
            return _fail(report)
        write_edition(report.value, args.out)
        print(f"wrote {report.value.id} to {args.out}")
        return 0

    if args.action == "export-excel":
        report = load_any(args.edition)
        if report.value is None:
            return _fail(report)
        export_workbook(report.value, args.file)
        print(f"wrote {args.file}")
        return 0
    raise AssertionError(args.action)
