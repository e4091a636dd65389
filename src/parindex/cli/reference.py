"""The CLI reference in ``docs/cli.md``, generated from the parser so it cannot drift.

``python -m parindex.cli.reference > docs/cli.md`` rewrites it; a test fails when it is stale.
"""

from __future__ import annotations

import argparse
import os

from parindex.cli.main import build_parser

HEADER = """# `parindex` command reference

Generated from the command's own help by `uv run python -m parindex.cli.reference > docs/cli.md`;
a test fails when this file and the command disagree.
"""


def cli_reference() -> str:
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        parser = build_parser()
        sections = [HEADER, "## parindex\n", "```text\n" + parser.format_help() + "```\n"]
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        for name, command in sub.choices.items():
            sections.append(f"## parindex {name}\n")
            sections.append("```text\n" + command.format_help() + "```\n")
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    return "\n".join(sections)


if __name__ == "__main__":
    print(cli_reference(), end="")
