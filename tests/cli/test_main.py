"""``parindex``: the command list without importing the commands, and the same help as theirs."""

from __future__ import annotations

import argparse
import subprocess
import sys

from parindex.cli.main import _SUMMARIES, COMMANDS, build_parser


def helps(parser: argparse.ArgumentParser) -> dict[str, str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: str(choice.help) for choice in sub._choices_actions}


def test_each_commands_summary_is_the_one_it_gives_itself() -> None:
    full = helps(build_parser())
    assert full == {name: _SUMMARIES[name] for name in COMMANDS}


def test_help_imports_no_command() -> None:
    script = (
        "import sys; from parindex.cli.main import build_parser; build_parser(only='');"
        "print(sorted(m for m in sys.modules if m.startswith(('parindex.cli.', 'numpy', "
        "'django', 'scipy', 'parindex.core'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "['parindex.cli.main']"
