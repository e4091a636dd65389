"""One client connection of the front: requests parsed by httptools, answered in order."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque

import httptools

from parindex.ingest.front import Front
from parindex.ingest.messages import Answer, Request, refusal, response

log = logging.getLogger(__name__)

MAX_HEADERS = 64 * 1024
PIPELINE = 8
"""Requests read ahead on one connection before reading stops until they are answered."""


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
