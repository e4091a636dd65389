"""Ingestion routes for counter devices and one-stop systems: ``/api/v1/ingest/…``, a router of
the one /api/v1 NinjaAPI (``server/api/v1.py``), refusals in its one error body.

Only these routes authenticate: bearer tokens (``IngestToken``) are scoped to a unit and its
descendants; the kiosk's routes take the session of a counter device account (CSRF checked).
Ratings are idempotent by their client id; a batch answers item by item (by index), storing the
good items and rejecting the bad ones. Dossier pushes are all or nothing. Every answer comes
after commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.security import HttpBearer, django_auth
from pydantic import Field

from parindex.core import onestop
from parindex.core.onestop.records import parse_supplementations
from parindex.server.accounts.models import User
from parindex.server.accounts.permissions import allows
from parindex.server.api.errors import ErrorOut, refusal
from parindex.server.ratings import services
from parindex.server.ratings.models import Channel, Dossier, IngestToken
from parindex.server.ratings.payloads import (
    MAX_BATCH,
    BatchIn,
    BatchOut,
    ItemOut,
    RatingIn,
    batch_answer,
    item_answer,
)


class TokenAuth(HttpBearer):
    def __init__(self, purpose: IngestToken.Purpose) -> None:
        super().__init__()
        self.purpose = purpose

    def authenticate(self, request: HttpRequest, token: str) -> IngestToken | None:
        return services.token_for(token, self.purpose)


class SupplementationIn(Schema):
    start: str
    end: str


class DossierIn(Schema):
    code: str = Field(min_length=1, max_length=64)
    procedure: str = Field(min_length=1, max_length=64)
    unit: str = Field(min_length=1, max_length=64)
    counter: str = ""
    officer: str = ""
    received: datetime
    appointment: datetime
    finished: datetime | None = None
    supplementations: list[tuple[str, str]] = []
    online: bool = False
    paid_online: bool | None = None
    digitised: bool = False


class DossiersIn(Schema):
    dossiers: list[DossierIn] = Field(min_length=1, max_length=5000)


class DossiersOut(Schema):
    created: int
    updated: int


router = Router(tags=["ingest"])


@router.post(
    "/ratings",
    auth=TokenAuth(IngestToken.Purpose.RATINGS),
    response={200: ItemOut, 201: ItemOut, 401: ErrorOut, 422: ErrorOut},
    summary="Store one rating (idempotent by client_id); a refused one answers 422 with why",
)
def post_rating(request: HttpRequest, payload: RatingIn) -> Status[Any]:
    token: IngestToken = request.auth  # type: ignore[attr-defined]
    item = services.RatingInput(**payload.model_dump())
    (result,) = services.ingest([item], token.unit, Channel.DEVICE, token.user)
    if result.outcome == "rejected":
        return Status(422, refusal("rejected", "; ".join(result.errors)))
    return Status(201 if result.outcome == "stored" else 200, item_answer(result))


@router.post(
    "/ratings/batch",
    auth=TokenAuth(IngestToken.Purpose.RATINGS),
    response={200: BatchOut, 401: ErrorOut, 422: ErrorOut},
    summary="Store a device's queued ratings; each item answered by its index",
)
def post_batch(request: HttpRequest, payload: BatchIn) -> dict[str, Any]:
    token: IngestToken = request.auth  # type: ignore[attr-defined]
    return batch_answer(payload.items, token.unit, token.user)


@router.post(
    "/kiosk/batch",
    auth=django_auth,
    response={200: BatchOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="The kiosk page's queued ratings (session of a counter device account, CSRF checked)",
)
def post_kiosk_batch(request: HttpRequest, payload: BatchIn) -> dict[str, Any]:
    if not allows(request.user, "ratings.use_kiosk"):
        raise PermissionDenied("not a counter device account")
    user: User = request.user  # type: ignore[assignment]
    return batch_answer(payload.items, services.device_unit(user), user)


class KioskFeedbackIn(Schema):
    client_id: UUID
    content: str = Field(min_length=1, max_length=5000)
    dossier_code: str = Field(default="", max_length=64)
    contact: str = Field(default="", max_length=200)


class KioskFeedbackBatch(Schema):
    items: list[KioskFeedbackIn] = Field(max_length=MAX_BATCH)


class KioskFeedbackOut(Schema):
    references: list[str]


@router.post(
    "/kiosk/feedback",
    auth=django_auth,
    response={200: KioskFeedbackOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Feedback (PAKN) queued at a kiosk; a resent item is kept once",
)
def post_kiosk_feedback(request: HttpRequest, payload: KioskFeedbackBatch) -> KioskFeedbackOut:
    if not request.user.has_perm("ratings.use_kiosk"):
        raise PermissionDenied("not a counter device account")
    from parindex.server.feedback import services as feedback
    from parindex.server.feedback.models import Feedback

    unit = services.device_unit(request.user)  # type: ignore[arg-type]
    with transaction.atomic():
        references = [
            feedback.receive(
                feedback.Intake(
                    item.content,
                    unit,
                    item.dossier_code,
                    contact=item.contact,
                    client_id=item.client_id,
                ),
                Feedback.Source.KIOSK,
            ).reference
            for item in payload.items
        ]
    return KioskFeedbackOut(references=references)


@router.post(
    "/dossiers",
    auth=TokenAuth(IngestToken.Purpose.DOSSIERS),
    response={200: DossiersOut, 401: ErrorOut, 422: ErrorOut},
    summary="Create or update dossiers from a one-stop system, all or nothing",
)
def post_dossiers(request: HttpRequest, payload: DossiersIn) -> Status[Any]:
    token: IngestToken = request.auth  # type: ignore[attr-defined]
    records = []
    faults: list[tuple[int | None, str, str]] = []
    for index, item in enumerate(payload.dossiers):
        try:
            supplementations = parse_supplementations(
                ";".join(f"{a}/{b}" for a, b in item.supplementations)
            )
        except ValueError as error:
            faults.append((index, "supplementations", str(error)))
            continue
        records.append(
            onestop.Dossier(
                code=item.code,
                procedure=item.procedure,
                unit=item.unit,
                received=item.received,
                appointment=item.appointment,
                finished=item.finished,
                counter=item.counter,
                officer=item.officer,
                supplementations=supplementations,
                online=item.online,
                paid_online=item.paid_online,
                digitised=item.digitised,
            )
        )
    if not faults:
        report = services.store_dossiers(records, token.unit)
        if report.value is not None:
            return Status(200, report.value)
        faults = [(f.line, f.node or "", f.message) for f in report.findings]
    located = "; ".join(f"dossiers[{index}].{name}: {message}" for index, name, message in faults)
    return Status(422, refusal("invalid", f"nothing stored: {located}"))


class LinkOut(Schema):
    url: str
    qr_svg: str


@router.get(
    "/dossiers/{code}/rating-link",
    auth=TokenAuth(IngestToken.Purpose.DOSSIERS),
    response={200: LinkOut, 401: ErrorOut, 404: ErrorOut},
    summary="The online rating link and QR code to print on a dossier's receipt",
)
def get_rating_link(request: HttpRequest, code: str) -> Status[Any]:
    token: IngestToken = request.auth  # type: ignore[attr-defined]
    dossier = Dossier.objects.filter(code=code, unit_id__in=services.subtree(token.unit)).first()
    if dossier is None:
        return Status(404, refusal("not_found", f"no dossier '{code}' in this token's scope"))
    signed = services.rating_token(dossier)
    return Status(
        200,
        {
            "url": request.build_absolute_uri(reverse("online-rating", args=[signed])),
            "qr_svg": request.build_absolute_uri(reverse("online-rating-qr", args=[signed])),
        },
    )
