"""``parindex worker``: run background jobs (draws, imports, renders: server/jobs) from the
database queue; ``parindex serve`` and ``parindex demo`` start one beside the web server."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

from parindex.cli.bootstrap import start_django


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(
        name, help="run background jobs (draws, imports, renders) until stopped"
    )
    parser.add_argument(
        "--interval", type=float, default=1.0, help="seconds between looks at the queue (1)"
    )


def run(args: argparse.Namespace) -> int:
    start_django()
    from django.core.management import call_command

    call_command("db_worker", interval=args.interval, no_startup_delay=True, verbosity=1)
    return 0


def spawn() -> subprocess.Popen[bytes]:
    """A worker in its own process, on the same database and data folder as this one."""
    return subprocess.Popen(
        [sys.executable, "-m", "parindex.cli.main", "worker"], env=dict(os.environ)
    )
