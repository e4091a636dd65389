"""The one error body of /api/v1: ``{"error": {"code": ..., "message": ...}}``, for the open
data and the ingestion routes alike. (No ``from __future__ import annotations``: Ninja reads the
annotations at run time.)"""

from typing import Any

from ninja import Schema


class ErrorBody(Schema):
    code: str
    message: str


class ErrorOut(Schema):
    error: ErrorBody


def refusal(code: str, message: str) -> dict[str, Any]:
    """The body of a refusal, as an operation returns it with its status."""
    return {"error": {"code": code, "message": message}}
