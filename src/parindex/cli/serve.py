"""``parindex serve``: serve the site with gunicorn, several worker processes of several threads.

One Python process runs one thread of Python at a time (the GIL), so a single process of threads
(waitress, before) used one core however many clients waited: on the 2-core reference machine
single-rating requests queued behind each other (benchmarks/RESULTS.md, 9a). Gunicorn's master
forks ``--workers`` processes (one per core by default), each with ``--threads`` threads, and
restarts a worker that dies.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from parindex.cli.bootstrap import start_django


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="serve the web application")
    add_server_options(parser)
    parser.add_argument(
        "--migrate", action="store_true", help="apply pending database migrations first"
    )


def add_server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    parser.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (one per core)",
    )
    parser.add_argument("--threads", type=int, default=8, help="threads per worker process (8)")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="do not start a background-task worker (run 'parindex worker' yourself)",
    )


def run(args: argparse.Namespace) -> int:
    start_django()
    from django.core.management import call_command

    from parindex.server.health import unapplied_migrations

    if args.migrate:
        call_command("migrate", interactive=False, verbosity=0)
    pending = unapplied_migrations()
    if pending:
        print(
            f"parindex serve: the database lacks {len(pending)} migrations;"
            " run 'parindex serve --migrate' or 'parindex manage migrate'"
        )
        return 1
    serve_forever(args.host, args.port, args.threads, args.workers, worker=not args.no_worker)
    return 0


def serve_forever(host: str, port: int, threads: int, workers: int, worker: bool = True) -> None:
    from django.db import connections
    from django.urls import get_resolver

    from parindex.cli.worker import spawn
    from parindex.server.wsgi import application

    # Every view imported now, once, in the master: otherwise each worker's first request pays
    # for it (seconds on a loaded machine, and every client waiting behind it).
    get_resolver().url_patterns  # noqa: B018
    # The workers are forked from this process: none may inherit its database connection.
    connections.close_all()
    # Draws and imports queued by the pages run in this child process, not in a request.
    tasks = spawn() if worker else None

    def ready(_: Any) -> None:
        # Bound before announcing, so whoever reads the line can connect at once.
        print(f"parindex: serving on http://{host}:{port}/  (Ctrl+C stops)", flush=True)

    options: dict[str, Any] = {
        "bind": f"{host}:{port}",
        "workers": max(1, workers),
        "threads": max(1, threads),
        "worker_class": "gthread",
        "preload_app": True,
        "keepalive": 5,
        "timeout": 120,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "parindex",
        # No control socket in the home folder: two servers of one user would share its path.
        "control_socket_disable": True,
        "when_ready": ready,
    }
    try:
        # Stops on SIGTERM or Ctrl+C by leaving through SystemExit, so the worker stops too.
        _Gunicorn(application, options).run()
    except KeyboardInterrupt:
        pass
    finally:
        if tasks is not None:
            tasks.terminate()
            tasks.wait(timeout=10)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    """Gunicorn run from Python with the options above, not from its command line."""

    def __init__(self, app: Callable[..., Any], options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        return self.application
