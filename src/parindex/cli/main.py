"""``parindex``: determine, publish and improve public-administration indices."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from parindex.cli import (
    assessments,
    audit,
    check,
    compute,
    demo,
    manage,
    methodology,
    serve,
    survey,
    worker,
)

COMMANDS = {
    "serve": serve,
    "demo": demo,
    "check": check,
    "methodology": methodology,
    "compute": compute,
    "survey": survey,
    "assessments": assessments,
    "audit": audit,
    "manage": manage,
    "worker": worker,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parindex",
        description="Determine, publish and improve public-administration indices "
        "(PAR INDEX, SIPAS).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in COMMANDS.items():
        module.add_parser(sub, name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list[:1] == ["manage"]:
        return manage.run_django(args_list[1:])
    args = build_parser().parse_args(args_list)
    return int(COMMANDS[args.command].run(args))


if __name__ == "__main__":
    sys.exit(main())
