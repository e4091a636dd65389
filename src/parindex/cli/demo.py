"""``parindex demo``: build the synthetic demonstration world on SQLite and serve it."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from parindex.cli.bootstrap import start_django
from parindex.cli.serve import add_server_options, serve_forever


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="build the demo database (SQLite) and serve it")
    add_server_options(parser)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path("var/demo"),
        help="folder of the demo database; rebuilt from scratch on every run (var/demo)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of the synthetic data (2026)")
    parser.add_argument(
        "--no-serve", action="store_true", help="build the database and stop without serving"
    )


STORE_SURVEY_COMPUTATIONS = (
    "from parindex.cli.bootstrap import start_django; start_django(); "
    "from parindex.server.demo import store_survey_computations; store_survey_computations()"
)


def run(args: argparse.Namespace) -> int:
    data_dir: Path = args.data_dir
    database = data_dir / "parindex.sqlite3"
    # The demo always runs on its own embedded SQLite file, whatever DATABASE_URL says, and
    # starts from nothing: leftover rows would make its figures irreproducible.
    for stale in (
        database,
        database.with_name(database.name + "-wal"),
        database.with_name(database.name + "-shm"),
    ):
        stale.unlink(missing_ok=True)
    start_django(PARINDEX_DATA_DIR=str(data_dir), PARINDEX_DEMO="1", DATABASE_URL="")
    from parindex.server.demo import (
        BUILD_STEPS,
        build_demo,
        render_accounts,
    )

    print(f"parindex demo: building the demonstration database in {database} …", flush=True)
    with Progress(
        TextColumn("{task.description:<36}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
    ) as bar:
        task = bar.add_task("parindex demo", total=len(BUILD_STEPS))

        def step(name: str) -> None:
            bar.update(task, completed=BUILD_STEPS.index(name), description=name)
            if not bar.console.is_terminal:  # a log (or a test) still sees each step
                print(f"parindex demo: {name} …", flush=True)

        world = build_demo(data_dir, seed=args.seed, on_step=step)
        bar.update(task, completed=len(BUILD_STEPS), description="ready")
    print(render_accounts(world), flush=True)
    if not args.no_serve:
        # Survey estimates are stored while the site already serves its first pages, by a
        # process of their own: not a thread of this one, which forks the web workers, and a
        # process must not fork while it holds an SQLite database open (the children's
        # connections then fail with "disk I/O error").
        computations = subprocess.Popen(
            [sys.executable, "-c", STORE_SURVEY_COMPUTATIONS], env=dict(os.environ)
        )
        try:
            serve_forever(
                args.host, args.port, args.threads, args.workers, worker=not args.no_worker
            )
        finally:
            if computations.poll() is None:
                computations.terminate()
                computations.wait(timeout=10)
    return 0
