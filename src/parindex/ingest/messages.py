"""The ingestion front's HTTP messages: a request as read, an answer as written, and the API's
one error body."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import msgspec

JSON = b"application/json; charset=utf-8"  # as the site's API answers


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


def json_answer(status: int, body: Any) -> Answer:
    return status, [(b"Content-Type", JSON)], msgspec.json.encode(body)


def refusal(status: int, code: str, message: str) -> Answer:
    """The API's one error body (``server.api.errors.refusal``)."""
    return json_answer(status, {"error": {"code": code, "message": message}})


Reply = Callable[[Answer], None]
"""Called once with the answer to a request."""


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
