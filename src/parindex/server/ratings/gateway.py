"""The ingestion gateway: device ratings answered near the top of the middleware stack.

``POST /api/v1/ingest/ratings`` and ``/ratings/batch`` with a bearer token are the site's most
frequent requests by far, and the sessions, CSRF, locale, messages, lockout (axes) middleware,
Ninja's routing and pydantic cost more CPU than storing a rating (benchmarks/RESULTS.md). None of
them serves a token request: it carries no cookie, no form, no language. This middleware answers
those requests itself when they are well formed, with the same parts as the Ninja operations in
``api.py``: the token (``services.token_for``), the rating read (``payloads``), the intake
(``services.ingest``: scope, one rating per client id and per dossier and channel, bursts,
answered after commit) and the same bodies. Everything else, a missing or unknown token, a body
that is not JSON, a single rating not in the canonical form, a batch over the limit, goes on
down the stack to the Ninja operation, which answers it as before: the refusals are worded in
one place. ``INGEST_GATEWAY = False`` turns it off.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from parindex.server.api.errors import refusal
from parindex.server.ratings import services
from parindex.server.ratings.models import Channel, IngestToken
from parindex.server.ratings.payloads import (
    MAX_BATCH,
    batch_answer,
    canonical_rating,
    item_answer,
)

JSON = "application/json; charset=utf-8"  # as Ninja's renderer answers


def _token(request: HttpRequest) -> IngestToken | None:
    """The live ratings token of a ``Bearer`` header (as Ninja's ``HttpBearer`` reads it)."""
    parts = request.META.get("HTTP_AUTHORIZATION", "").split(" ")
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    return services.token_for(parts[1], IngestToken.Purpose.RATINGS)


def _body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body)
    except ValueError:
        return None


def _answer(body: dict[str, Any], status: int) -> HttpResponse:
    response = HttpResponse(json.dumps(body), content_type=JSON, status=status)
    # As CommonMiddleware would (it is below): without it gunicorn sends the body chunked.
    response.headers["Content-Length"] = str(len(response.content))
    return response


def rating(request: HttpRequest) -> HttpResponse | None:
    """One rating, or ``None`` to leave the request to the Ninja operation."""
    token = _token(request)
    item = canonical_rating(_body(request)) if token is not None else None
    if token is None or item is None:
        return None
    (result,) = services.ingest([item], token.unit, Channel.DEVICE, token.user)
    if result.outcome == "rejected":
        return _answer(refusal("rejected", "; ".join(result.errors)), 422)
    return _answer(item_answer(result), 201 if result.outcome == "stored" else 200)


def batch(request: HttpRequest) -> HttpResponse | None:
    """A device's queue, or ``None`` to leave the request to the Ninja operation."""
    token = _token(request)
    body = _body(request) if token is not None else None
    items = body.get("items") if type(body) is dict else None
    if token is None or type(items) is not list or len(items) > MAX_BATCH:
        return None
    if any(type(item) is not dict for item in items):
        return None
    return _answer(batch_answer(items, token.unit, token.user), 200)


ROUTES: dict[str, Callable[[HttpRequest], HttpResponse | None]] = {
    "/api/v1/ingest/ratings": rating,
    "/api/v1/ingest/ratings/batch": batch,
}


class IngestGatewayMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        route = ROUTES.get(request.path_info) if request.method == "POST" else None
        if route is not None and getattr(settings, "INGEST_GATEWAY", True):
            answer = route(request)
            if answer is not None:
                return answer
        return self.get_response(request)
