"""``parindex worker``: run background jobs (draws, imports, renders: server/jobs) from the
database queue, and the housekeeping chores (``server/jobs/housekeeping.py``) at start and every
few hours; ``parindex serve`` and ``parindex demo`` start one beside the web server."""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable

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

    from parindex.server.jobs import housekeeping

    # Apologies, feedback lapses, the dashboard's monthly sums and old jobs: at start, then
    # every PARINDEX_HOUSEKEEPING_HOURS (claimed by one worker only; docs/configuration.md).
    housekeeping.start_thread()
    call_command("db_worker", interval=args.interval, no_startup_delay=True, verbosity=1)
    return 0


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with(parent: int) -> Callable[[], None]:
    """Run in the child before it starts (Linux): the kernel sends it SIGTERM when the process
    that spawned it dies, even by ``kill -9``, which leaves no ``finally`` to stop it. The
    worker then stops as on any SIGTERM (at once when idle, else after its current task)."""

    def arrange() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            return  # not allowed here: the worker then outlives a killed server, as before
        if os.getppid() != parent:  # the parent died before the request was made
            os.kill(os.getpid(), signal.SIGTERM)

    return arrange


def spawn() -> subprocess.Popen[bytes]:
    """A worker in its own process, on the same database and data folder as this one, that
    stops when this process dies (on Linux; elsewhere only a clean stop stops it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "parindex.cli.main", "worker"],
        env=dict(os.environ),
        # Spawned before the server starts its threads, so running code in the child between
        # fork and exec is safe.
        preexec_fn=_die_with(os.getpid()) if sys.platform.startswith("linux") else None,
    )
