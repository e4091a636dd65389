"""What the front answers itself (counter ratings of a kept token, from the committer's
callback), and how it hands the rest to the site and relays its answer."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httptools

from parindex.core.onestop.rating import CLOCK_SKEW, problems
from parindex.ingest import reading
from parindex.ingest.committer import Committer, Stored, StoreRefused
from parindex.ingest.messages import Answer, Reply, Request, json_answer, refusal
from parindex.ingest.tokens import Device, Tokens, bearer

if TYPE_CHECKING:
    from parindex.ingest.connection import HttpConnection

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


@dataclass(frozen=True)
class Settings:
    upstream: tuple[str, int]
    """The site (``parindex serve``) that answers what the front does not."""
    max_body: int
    """Bytes of a request body, as the site's ``DATA_UPLOAD_MAX_MEMORY_SIZE``."""
    idle_seconds: float = 75.0
    request_seconds: float = 30.0
    """A request whose bytes take longer than this to arrive is dropped (slow clients)."""


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
            reply(json_answer(201 if answer.outcome == "stored" else 200, item(0, answer)))

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
            reply(json_answer(200, {**counts, "results": items}))

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
