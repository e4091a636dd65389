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
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

import httptools
import msgspec

from parindex.core.onestop.rating import CLOCK_SKEW, problems
from parindex.ingest import reading
from parindex.ingest.committer import Committer, Stored, StoreRefused
from parindex.ingest.statement import SEQUENCE
from parindex.ingest.tokens import Device, Tokens, bearer

log = logging.getLogger(__name__)

SINGLE = b"/api/v1/ingest/ratings"
BATCH = b"/api/v1/ingest/ratings/batch"
HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"transfer-encoding",
    b"content-length",
    b"upgrade",
    # The front has the whole body: the site must not answer "100 Continue" first.
    b"expect",
}
FORWARD_SECONDS = 120.0
"""How long the site may take to answer a request handed to it (as gunicorn's timeout)."""
JSON = b"application/json; charset=utf-8"  # as the site's API answers
MAX_HEADERS = 64 * 1024
PIPELINE = 8
"""Requests read ahead on one connection before reading stops until they are answered."""


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


@dataclass(frozen=True)
class Settings:
    upstream: tuple[str, int]
    """The site (``parindex serve``) that answers what the front does not."""
    max_body: int
    """Bytes of a request body, as the site's ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    idle_seconds: float = 75.0
    request_seconds: float = 30.0
    """A request whose bytes take longer than this to arrive is dropped (slow clients)."""


class Request:
    __slots__ = ("body", "headers", "keep_alive", "method", "url")

    def __init__(
        self,
        method: bytes,
        url: bytes,
        headers: list[tuple[bytes, bytes]],
        body: bytes,
        keep_alive: bool,
    ) -> None:
        self.method, self.url, self.headers, self.body = method, url, headers, body
        self.keep_alive = keep_alive

    def header(self, name: bytes) -> bytes:
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return b""


Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def _json(status: int, body: Any) -> Answer:
    return status, [(b"Content-Type", JSON)], msgspec.json.encode(body)


def refusal(status: int, code: str, message: str) -> Answer:
    """The API's one error body (``server.api.errors.refusal``)."""
    return _json(status, {"error": {"code": code, "message": message}})


def item(index: int, stored: Stored) -> dict[str, Any]:
    return {
        "index": index,
        "outcome": stored.outcome,
        "id": stored.id,
        "errors": [],
        "burst": stored.burst,
    }


def _problems(rating: reading.Rating, now: datetime) -> list[str]:
    indices = {
        "index1": rating.index1,
        "index3": rating.index3,
        "index4": rating.index4,
        "index7": rating.index7,
    }
    return problems(rating.satisfaction, indices, "", rating.counter, rating.submitted_at, now)


Reply = Callable[[Answer], None]

UNAVAILABLE = (503, "unavailable", "ratings cannot be stored now; send again later")


def failure(error: Exception) -> Answer:
    """The answer when ratings were not stored: refused for good, or for now."""
    if isinstance(error, StoreRefused):
        return refusal(422, "rejected", f"the rating cannot be stored: {error}")
    return refusal(*UNAVAILABLE)


class Front:
    """What the front knows: the tokens, the store, the site behind it."""

    def __init__(self, settings: Settings, tokens: Tokens, committer: Committer) -> None:
        self.settings = settings
        self.tokens = tokens
        self.committer = committer
        self.connections: set[HttpConnection] = set()

    def take(self, request: Request, reply: Reply) -> bool:
        """Take a counter-rating request of a device whose token is kept: ``reply`` is called
        once with the answer (after the commit that stored its ratings). ``False`` when the
        request must go the long way (:meth:`answer`), nothing done. No task, no await: a
        device's request costs the parsing, the reading and its share of a statement."""
        if request.method != b"POST" or (request.url != SINGLE and request.url != BATCH):
            return False
        secret = bearer(request.header(b"authorization"))
        device = self.tokens.kept(secret) if secret is not None else None
        if device is None:
            return False
        if request.url == BATCH:
            ratings = reading.many(request.body)
            if ratings is None or any(r.dossier_code for r in ratings):
                return False
            self._batch(ratings, device, reply)
            return True
        rating = reading.one(request.body)
        if rating is None or rating.dossier_code:
            return False
        errors = _problems(rating, datetime.now(UTC))
        if errors:
            reply(refusal(422, "rejected", "; ".join(errors)))
            return True

        def stored(answers: list[Stored] | Exception) -> None:
            if isinstance(answers, Exception):
                reply(failure(answers))
                return
            (answer,) = answers
            reply(_json(201 if answer.outcome == "stored" else 200, item(0, answer)))

        self.committer.submit([(rating, device)], stored)
        return True

    async def answer(self, request: Request) -> Answer:
        """Any request: a rating request once its token is looked up, else the site's answer."""
        if request.method == b"POST" and request.url in (SINGLE, BATCH):
            secret = bearer(request.header(b"authorization"))
            if secret is not None and await self.tokens.device(secret) is not None:
                future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
                if self.take(request, future.set_result):
                    return await future
        return await self.forward(request)

    def _batch(self, ratings: list[reading.Rating], device: Device, reply: Reply) -> None:
        """As the site answers a batch (``payloads.batch_answer``): each item by its index; a
        client id given twice is the same rating (answered as the first in time was)."""
        now = datetime.now(UTC)
        latest = now + CLOCK_SKEW
        results: dict[int, dict[str, Any]] = {}
        taken: list[int] = []
        repeats: list[int] = []
        first_of: dict[Any, int] = {}
        order: Any = range(len(ratings))
        if len({r.client_id for r in ratings}) < len(ratings):
            # Only a repeated client id makes the order matter: the first in time is taken.
            order = sorted(order, key=lambda k: (ratings[k].submitted_at, ratings[k].client_id))
        for index in order:
            rating = ratings[index]
            if rating.client_id in first_of:
                repeats.append(index)
                continue
            first_of[rating.client_id] = index
            # msgspec has checked the ranges; what is left is checked once, worded by core.
            if rating.counter and rating.submitted_at <= latest:
                taken.append(index)
                continue
            results[index] = {
                "index": index,
                "outcome": "rejected",
                "id": None,
                "errors": _problems(rating, now),
                "burst": False,
            }

        def stored(answers: list[Stored] | Exception) -> None:
            if isinstance(answers, Exception):
                reply(failure(answers))
                return
            for index, answer in zip(taken, answers, strict=True):
                results[index] = item(index, answer)
            for index in repeats:
                first = results[first_of[ratings[index].client_id]]
                outcome = "rejected" if first["outcome"] == "rejected" else "duplicate"
                results[index] = {**first, "index": index, "outcome": outcome, "burst": False}
            items = [results[index] for index in range(len(ratings))]
            counts = {
                outcome: sum(a["outcome"] == outcome for a in items)
                for outcome in ("stored", "duplicate", "rejected")
            }
            reply(_json(200, {**counts, "results": items}))

        if taken:
            self.committer.submit([(ratings[i], device) for i in taken], stored)
        else:
            stored([])

    async def forward(self, request: Request) -> Answer:
        """The site's answer to ``request`` (a connection of its own, closed after)."""
        host, port = self.settings.upstream
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            return refusal(502, "unavailable", "the site cannot be reached; send again later")
        try:
            lines = [request.method + b" " + request.url + b" HTTP/1.1"]
            lines += [k + b": " + v for k, v in request.headers if k.lower() not in HOP_BY_HOP]
            lines += [b"Connection: close", b"Content-Length: %d" % len(request.body)]
            writer.write(b"\r\n".join(lines) + b"\r\n\r\n" + request.body)
            reply = _Reply()
            parser = httptools.HttpResponseParser(reply)
            async with asyncio.timeout(FORWARD_SECONDS):
                while not reply.complete and (data := await reader.read(65536)):
                    parser.feed_data(data)
            if not reply.complete:
                parser.feed_data(b"")
            headers = [(k, v) for k, v in reply.headers if k.lower() not in HOP_BY_HOP]
            return parser.get_status_code(), headers, b"".join(reply.body)
        except TimeoutError:
            return refusal(504, "timeout", "the site did not answer in time; send again later")
        except (OSError, httptools.HttpParserError):
            return refusal(502, "unavailable", "the site cannot be reached; send again later")
        finally:
            writer.close()

    def sweep(self) -> None:
        """Close connections idle too long or whose request is too slow to arrive."""
        now = time.monotonic()
        for connection in list(self.connections):
            connection.expire(now)


class _Reply:
    def __init__(self) -> None:
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.complete = False

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


def response(answer: Answer, keep_alive: bool) -> bytes:
    status, headers, body = answer
    try:
        phrase = HTTPStatus(status).phrase.encode()
    except ValueError:  # a status the site made up: relayed without its phrase
        phrase = b""
    lines = [b"HTTP/1.1 %d %s" % (status, phrase)]
    lines += [k + b": " + v for k, v in headers]
    lines.append(b"Content-Length: %d" % len(body))
    if not keep_alive:
        lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


class HttpConnection(asyncio.Protocol):
    """One client connection: requests parsed by httptools, answered in order."""

    def __init__(self, front: Front) -> None:
        self.front = front
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpRequestParser(self)
        self.pending: deque[Request] = deque()
        self.current: Request
        self.busy = False
        self.paused = False
        self.last = time.monotonic()
        self.started: float | None = None
        self._reset()

    def _reset(self) -> None:
        self.url = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.size = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]  # uvloop's is no asyncio.Transport
        self.front.connections.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self.front.connections.discard(self)
        self.transport = None

    def data_received(self, data: bytes) -> None:
        self.last = time.monotonic()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._refuse(refusal(400, "bad_request", "protocol upgrades are not served here"))
        except httptools.HttpParserError:
            self._refuse(refusal(400, "bad_request", "the request is not well-formed HTTP/1.1"))

    def _refuse(self, answer: Answer) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(response(answer, keep_alive=False))
            self.transport.close()

    # httptools' callbacks
    def on_message_begin(self) -> None:
        self._reset()
        self.started = time.monotonic()

    def on_url(self, url: bytes) -> None:
        self.url += url
        self.size += len(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self.size += len(name) + len(value)
        if self.size > MAX_HEADERS:
            raise httptools.HttpParserError("headers too large")
        limit = self.front.settings.max_body
        if name.lower() == b"content-length" and value.isdigit() and int(value) > limit:
            self._too_large()
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        # A client that asks may send its body only after this (curl, .NET): the front reads it.
        if not self.busy and self.transport is not None:
            for name, value in self.headers:
                if name.lower() == b"expect" and value.lower() == b"100-continue":
                    self.transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def on_body(self, body: bytes) -> None:
        self.size += len(body)
        if self.size > self.front.settings.max_body + MAX_HEADERS:
            self._too_large()
        self.body.append(body)

    def _too_large(self) -> None:
        limit = self.front.settings.max_body
        self._refuse(refusal(413, "too_large", f"a request body is at most {limit} bytes"))
        raise httptools.HttpParserError("body too large")

    def on_message_complete(self) -> None:
        self.started = None
        request = Request(
            self.parser.get_method(),
            self.url,
            self.headers,
            b"".join(self.body),
            self.parser.should_keep_alive(),
        )
        if self.busy:  # pipelined: answered in order, after the one in hand
            self.pending.append(request)
            if len(self.pending) >= PIPELINE and self.transport is not None:
                self.transport.pause_reading()
                self.paused = True
            return
        self._begin(request)

    def _begin(self, request: Request) -> None:
        self.busy = True
        self.current = request
        try:
            taken = self.front.take(request, self._reply)
        except Exception:
            log.exception("ingestion front failed on %r", request.url)
            self._reply(refusal(500, "server_error", "the request failed; send again later"))
            return
        if not taken:
            asyncio.get_running_loop().create_task(self._long(request))

    async def _long(self, request: Request) -> None:
        try:
            answer = await self.front.answer(request)
        except Exception:
            log.exception("ingestion front failed on %r", request.url)
            answer = refusal(500, "server_error", "the request failed; send again later")
        self._reply(answer)

    def _reply(self, answer: Answer) -> None:
        request = self.current
        self.busy = False
        self.last = time.monotonic()
        if self.transport is None or self.transport.is_closing():
            return
        self.transport.write(response(answer, request.keep_alive))
        if not request.keep_alive:
            self.transport.close()
            return
        if self.pending:
            if self.paused and len(self.pending) <= PIPELINE:
                self.transport.resume_reading()
                self.paused = False
            self._begin(self.pending.popleft())

    def expire(self, now: float) -> None:
        if self.transport is None or self.busy:
            return
        settings = self.front.settings
        if self.started is not None and now - self.started > settings.request_seconds:
            self._refuse(refusal(408, "timeout", "the request took too long to arrive"))
        elif self.started is None and now - self.last > settings.idle_seconds:
            self.transport.close()


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
