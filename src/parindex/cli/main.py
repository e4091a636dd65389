"""``parindex``: determine, publish and improve public-administration indices.

Only the command asked for is imported: ``parindex --help`` and a trivial command must start in
well under half a second, and each command imports its heavy libraries (scipy, Django, the
methodology package) inside ``run``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

COMMANDS = {
    "serve": "serve",
    "demo": "demo",
    "check": "check",
    "methodology": "methodology",
    "compute": "compute",
    "survey": "survey",
    "assessments": "assessments",
    "uncertainty": "uncertainty",
    "plan": "plan",
    "results": "results",
    "report": "report",
    "audit": "audit",
    "backup": "backup",
    "restore": "restore",
    "worker": "worker",
    "ingest": "ingest",
    "manage": "manage",
}
"""Command name → module of ``parindex.cli``."""


def command(name: str) -> ModuleType:
    return importlib.import_module(f"parindex.cli.{COMMANDS[name]}")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (``only``) the one command's arguments with the others listed by
    name, which is all ``parindex COMMAND ...`` needs."""
    parser = argparse.ArgumentParser(
        prog="parindex",
        description="Determine, publish and improve public-administration indices "
        "(PAR INDEX, SIPAS).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        if only is None or name == only:
            command(name).add_parser(sub, name)
        else:
            sub.add_parser(name, help=_SUMMARIES[name])
    return parser


_SUMMARIES = {
    "serve": "serve the web application",
    "demo": "build the demo database (SQLite) and serve it",
    "check": "run system checks and report missing or unapplied migrations",
    "methodology": "methodology editions: list, show, validate, diff, Excel",
    "compute": "compute index %%, ranks and groups from a points table",
    "survey": "survey estimates with design-based standard errors",
    "assessments": "assessment cycles: deadline reminders",
    "uncertainty": "rank intervals and group probabilities from survey replicates and choices",
    "plan": "the cheapest improvements for a unit to reach a target",
    "results": "published results: import tables published elsewhere",
    "report": "published results as a PDF report or an Excel workbook",
    "audit": "check the audit log (hash chain of every change)",
    "backup": "write a backup archive (database, evidence files, editions in use)",
    "restore": "restore a backup archive into an empty database",
    "worker": "run background jobs (draws, imports, renders) until stopped",
    "ingest": "serve devices' ratings (PostgreSQL), beside the site",
    "manage": "run a Django management command, e.g. 'parindex manage migrate'",
}
"""Each command's one-line help without importing it (tests/cli check they match)."""


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["manage"]:
        return int(command("manage").run_django(args_list[1:]))
    chosen = next((a for a in args_list if not a.startswith("-")), None)
    parser = build_parser(only=chosen if chosen in COMMANDS else "")
    args = parser.parse_args(args_list)
    return int(command(args.command).run(args))


if __name__ == "__main__":
    sys.exit(main())
