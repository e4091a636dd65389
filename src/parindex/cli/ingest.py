"""``parindex ingest``: the ingestion front for devices' ratings (PostgreSQL only).

Serves ``POST /api/v1/ingest/ratings`` and ``/ratings/batch`` beside the site
(``parindex.ingest``); a deployment's reverse proxy sends those two paths here and everything
else to ``parindex serve``. Whatever the front does not answer itself it hands to ``--upstream``.
"""

from __future__ import annotations

import argparse
import contextlib
from datetime import timedelta
from urllib.parse import urlsplit

from parindex.cli.bootstrap import start_django


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str) -> None:
    parser = sub.add_parser(name, help="serve devices' ratings (PostgreSQL), beside the site")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8001, help="port to listen on (8001)")
    parser.add_argument(
        "--upstream",
        default="http://127.0.0.1:8000",
        help="the site ('parindex serve') that answers the rest (http://127.0.0.1:8000)",
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=2,
        help="statements storing ratings at the same time (2)",
    )


def run(args: argparse.Namespace) -> int:
    start_django()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        print(
            "parindex ingest: the front needs PostgreSQL (DATABASE_URL); on SQLite the site's"
            " own routes serve devices"
        )
        return 1
    upstream = urlsplit(args.upstream)
    if upstream.scheme != "http" or not upstream.hostname:
        print(f"parindex ingest: --upstream must be http://host:port, not {args.upstream}")
        return 1
    from parindex.ingest import server

    options = server.Settings(
        upstream=(upstream.hostname, upstream.port or 80),
        max_body=settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440,
    )
    database = settings.CONFIG.database_url
    print(f"parindex: ingestion front on http://{args.host}:{args.port}/  (Ctrl+C stops)")
    import uvloop

    with contextlib.suppress(KeyboardInterrupt):
        uvloop.run(
            server.serve(
                args.host,
                args.port,
                database,
                options,
                burst_window=timedelta(
                    seconds=getattr(settings, "RATINGS_BURST_WINDOW_SECONDS", 60)
                ),
                burst_limit=getattr(settings, "RATINGS_BURST_LIMIT", 6),
                token_seconds=getattr(settings, "INGEST_TOKEN_CACHE_SECONDS", 5),
                connections=max(1, args.connections),
            )
        )
    return 0
