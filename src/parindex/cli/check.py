"""``parindex check``: Django's system checks and the state of migrations; exit 1 on a problem."""

from __future__ import annotations

import argparse

from parindex.cli.bootstrap import start_django


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    sub.add_parser(name, help="run system checks and report missing or unapplied migrations")


def run(args: argparse.Namespace) -> int:
    start_django()
    from parindex.server.health import installation_problems

    problems = installation_problems()
    for problem in problems:
        print(f"problem: {problem}")
    if not problems:
        print("parindex check: no problems found")
    return 1 if problems else 0
