"""The /api/v1 NinjaAPI: one instance, routers from the apps, one error body shape
(``{"error": {"code", "message"}}``) for every refusal."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from parindex.server.results.api import router as results_router

api = NinjaAPI(
    title="parindex open data",
    version="1",
    description="Published PAR INDEX, SIPAS, PAPI and PCI results with their provenance.",
    urls_namespace="api-v1",
)
api.add_router("/", results_router)


def error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message}}, status=status
    )


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


@api.exception_handler(HttpError)
def refused(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "refused", str(exc))
