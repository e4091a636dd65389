"""The /api/v1 NinjaAPI: one instance, routers from the apps, one error body shape
(``{"error": {"code", "message"}}``, :mod:`parindex.server.api.errors`) for every refusal.

The open data (``results/api.py``) is public; the ingestion routes under ``/api/v1/ingest/``
(``ratings/api.py``) each name their own authentication: a bearer token for devices and
one-stop systems, the session (CSRF checked) for the kiosk page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from parindex.server.api.errors import refusal
from parindex.server.ratings.api import router as ingest_router
from parindex.server.results.api import router as results_router

api = NinjaAPI(
    title="parindex open data",
    version="1",
    description=(
        "Published PAR INDEX, SIPAS, PAPI and PCI results with their provenance; ingestion of"
        " one-stop dossiers and citizens' ratings (token or kiosk session) under /ingest/."
    ),
    urls_namespace="api-v1",
)
api.add_router("/", results_router)
api.add_router("/ingest/", ingest_router)


def error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(request, refusal(code, message), status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error(request, 404, "not_found", "no such object")


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details: list[Any] = list(exc.errors)
    where = ", ".join(
        ".".join(str(p) for p in item.get("loc", ())) for item in details if isinstance(item, dict)
    )
    return error(request, 422, "invalid", f"invalid parameters: {where}")


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, 401, "unauthorized", "a valid token or session is required")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error(request, 403, "forbidden", str(exc) or "not allowed")


@api.exception_handler(HttpError)
def refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "refused", str(exc))
