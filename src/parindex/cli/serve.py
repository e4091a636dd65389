"""``parindex serve``: serve the site with waitress (a production-grade pure-Python server)."""

from __future__ import annotations

import argparse
import signal
import sys

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
    parser.add_argument("--threads", type=int, default=8, help="worker threads (8)")
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
    serve_forever(args.host, args.port, args.threads, worker=not args.no_worker)
    return 0


def serve_forever(host: str, port: int, threads: int, worker: bool = True) -> None:
    from waitress import create_server

    from parindex.cli.worker import spawn
    from parindex.server.wsgi import application

    # Draws and imports queued by the pages run in this child process, not in a request.
    tasks = spawn() if worker else None
    # A service manager stops with SIGTERM: leave through ``finally`` so the worker stops too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    # Bind before announcing, so whoever reads the line can connect at once.
    server = create_server(application, host=host, port=port, threads=threads, ident="parindex")
    print(f"parindex: serving on http://{host}:{port}/  (Ctrl+C stops)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if tasks is not None:
            tasks.terminate()
            tasks.wait(timeout=10)
