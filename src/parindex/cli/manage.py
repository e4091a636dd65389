"""``parindex manage …``: Django's management commands (migrate, makemigrations, shell …)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from parindex.cli.bootstrap import start_django


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    sub.add_parser(name, help="run a Django management command, e.g. 'parindex manage migrate'")


def run(args: argparse.Namespace) -> int:
    return run_django([])


def run_django(argv: Sequence[str]) -> int:
    start_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["parindex manage", *argv])
    return 0
