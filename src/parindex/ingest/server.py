"""The ingestion front: an asyncio HTTP server for devices' ratings, beside the site.

It answers ``POST /api/v1/ingest/ratings`` and ``/ratings/batch`` for counter ratings sent with a
live ratings token, with the site's bodies, and hands every other request (another path, a
missing or unknown token, a body the site must read or refuse, a rating naming a dossier) to the
site unchanged, relaying its answer: the refusals are worded in one place, and the front holds no
rule of its own but the shared ones (``reading``, ``core.onestop.rating``, ``statement``).

Why not the site itself: a Django request costs some 0.6 ms of CPU before a rating is read, and a
thread per waiting request commits one rating at a time; here a request costs tens of
microseconds (httptools parses, msgspec reads) and the ratings of every request waiting at a
moment are committed together (``committer``). Measured in benchmarks/RESULTS.md (9a).
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from parindex.ingest.committer import Committer
from parindex.ingest.connection import HttpConnection
from parindex.ingest.front import Front, Settings
from parindex.ingest.statement import SEQUENCE
from parindex.ingest.tokens import Tokens

__all__ = ["SESSION", "Settings", "serve"]

SESSION = {
    # One plan of the statement kept: planning it costs more than running it.
    "plan_cache_mode": "force_generic_plan",
    # That plan is made once, maybe on a nearly empty table, and must stay right when a device
    # floods: the burst count walks the index and stops at the limit; a bitmap or sequential
    # scan would read a whole window of the device's ratings for every rating. The front's
    # sessions run nothing else (its three statements read by key).
    "enable_bitmapscan": "off",
    "enable_seqscan": "off",
}


async def serve(
    host: str,
    port: int,
    database_url: str,
    settings: Settings,
    *,
    burst_window: timedelta,
    burst_limit: int,
    token_seconds: float,
    connections: int,
    ready: asyncio.Event | None = None,
) -> None:
    """Serve until cancelled."""
    import asyncpg

    pool = await asyncpg.create_pool(
        database_url, min_size=1, max_size=connections + 2, server_settings=SESSION
    )
    sequence = await pool.fetchval(SEQUENCE)
    committer = Committer(pool, sequence, burst_window, burst_limit, connections)
    front = Front(settings, Tokens(pool, token_seconds), committer)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: HttpConnection(front), host, port, reuse_address=True, backlog=1024
    )
    if ready is not None:
        ready.set()
    try:
        while True:
            await asyncio.sleep(1.0)
            front.sweep()
    finally:
        server.close()
        await committer.close()
        await pool.close()
