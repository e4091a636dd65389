"""Ingestion API for counter devices and one-stop systems: ``/api/v1/ingest/…``.

Bearer tokens (``IngestToken``) are scoped to a unit and its descendants. Ratings are idempotent
by their client id; a batch answers item by item (by index), storing the good items and
rejecting the bad ones. Dossier pushes are all or nothing. Every answer comes after commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from ninja import NinjaAPI, Router, Schema, Status
from ninja.security import HttpBearer, django_auth
from pydantic import Field, ValidationError

from parindex.core import onestop
from parindex.core.onestop.records import parse_supplementations
from parindex.server.accounts.models import Unit, User
from parindex.server.accounts.permissions import allows
from parindex.server.ratings import services
from parindex.server.ratings.models import Channel, Dossier, IngestToken

MAX_BATCH = 500


class TokenAuth(HttpBearer):
    def __init__(self, purpose: IngestToken.Purpose) -> None:
        super().__init__()
        self.purpose = purpose

    def authenticate(self, request: HttpRequest, token: str) -> IngestToken | None:
        return services.token_for(token, self.purpose)


class RatingIn(Schema):
    client_id: UUID
    satisfaction: int = Field(ge=1, le=5)
    submitted_at: datetime
    dossier_code: str = Field(default="", max_length=64)
    counter: str = Field(default="", max_length=64)
    index1: int | None = Field(default=None, ge=0, le=2)
    index3: int | None = Field(default=None, ge=0, le=2)
    index4: int | None = Field(default=None, ge=0, le=2)
    index7: int | None = Field(default=None, ge=0, le=2)
    comment: str = Field(default="", max_length=2000)


class ItemOut(Schema):
    index: int
    outcome: str
    id: int | None = None
    errors: list[str] = []
    burst: bool = False


class BatchIn(Schema):
    items: list[dict[str, Any]] = Field(max_length=MAX_BATCH)


class BatchOut(Schema):
    stored: int
    duplicate: int
    rejected: int
    results: list[ItemOut]


class ErrorBody(Schema):
    detail: Any


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


def _typed(item: RatingIn) -> services.RatingInput:
    return services.RatingInput(**item.model_dump())


def _out(result: services.RatingResult) -> ItemOut:
    return ItemOut(
        index=result.index,
        outcome=result.outcome,
        id=result.id,
        errors=list(result.errors),
        burst=result.burst,
    )


@router.post(
    "/ratings",
    auth=TokenAuth(IngestToken.Purpose.RATINGS),
    response={200: ItemOut, 201: ItemOut, 401: ErrorBody, 422: ItemOut},
    summary="Store one rating (idempotent by client_id)",
)
def post_rating(request: HttpRequest, payload: RatingIn) -> Status[ItemOut]:
    token: IngestToken = request.auth  # type: ignore[attr-defined]
    (result,) = services.ingest([_typed(payload)], token.unit, Channel.DEVICE, token.user)
    status = {"stored": 201, "duplicate": 200, "rejected": 422}[result.outcome]
    return Status(status, _out(result))


@router.post(
    "/ratings/batch",
    auth=TokenAuth(IngestToken.Purpose.RATINGS),
    response={200: BatchOut, 401: ErrorBody, 422: ErrorBody},
    summary="Store a device's queued ratings; each item answered by its index",
)
def post_batch(request: HttpRequest, payload: BatchIn) -> BatchOut:
    token: IngestToken = request.auth  # type: ignore[attr-defined]
    return _batch(payload.items, token.unit, token.user)


@router.post(
    "/kiosk/batch",
    auth=django_auth,
    response={200: BatchOut, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody},
    summary="The kiosk page's queued ratings (session of a counter device account, CSRF checked)",
)
def post_kiosk_batch(request: HttpRequest, payload: BatchIn) -> BatchOut:
    if not allows(request.user, "ratings.use_kiosk"):
        raise PermissionDenied("not a counter device account")
    user: User = request.user  # type: ignore[assignment]
    return _batch(payload.items, services.device_unit(user), user)


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
    response={200: KioskFeedbackOut, 401: ErrorBody, 403: ErrorBody, 422: ErrorBody},
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


def _batch(items: list[dict[str, Any]], unit: Unit, device: User) -> BatchOut:
    valid: list[tuple[int, services.RatingInput]] = []
    invalid: list[services.RatingResult] = []
    for index, raw in enumerate(items):
        try:
            valid.append((index, _typed(RatingIn.model_validate(raw))))
        except ValidationError as error:
            messages = tuple(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
            )
            invalid.append(services.RatingResult(index, "rejected", errors=messages))
    stored = services.ingest([item for _, item in valid], unit, Channel.DEVICE, device)
    results = [
        services.RatingResult(valid[r.index][0], r.outcome, r.id, r.errors, r.burst) for r in stored
    ]
    results = sorted(results + invalid, key=lambda r: r.index)
    counts = {
        outcome: sum(r.outcome == outcome for r in results)
        for outcome in ("stored", "duplicate", "rejected")
    }
    return BatchOut(**counts, results=[_out(r) for r in results])


@router.post(
    "/dossiers",
    auth=TokenAuth(IngestToken.Purpose.DOSSIERS),
    response={200: DossiersOut, 401: ErrorBody, 422: ErrorBody},
    summary="Create or update dossiers from a one-stop system, all or nothing",
)
def post_dossiers(request: HttpRequest, payload: DossiersIn) -> Status[Any]:
    token: IngestToken = request.auth  # type: ignore[attr-defined]
    records = []
    faults = []
    for index, item in enumerate(payload.dossiers):
        try:
            supplementations = parse_supplementations(
                ";".join(f"{a}/{b}" for a, b in item.supplementations)
            )
        except ValueError as error:
            faults.append({"index": index, "field": "supplementations", "message": str(error)})
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
    if faults:
        return Status(422, {"detail": faults})
    report = services.store_dossiers(records, token.unit)
    if report.value is None:
        detail = [{"index": f.line, "field": f.node, "message": f.message} for f in report.findings]
        return Status(422, {"detail": detail})
    return Status(200, report.value)


class LinkOut(Schema):
    url: str
    qr_svg: str


@router.get(
    "/dossiers/{code}/rating-link",
    auth=TokenAuth(IngestToken.Purpose.DOSSIERS),
    response={200: LinkOut, 401: ErrorBody, 404: ErrorBody},
    summary="The online rating link and QR code to print on a dossier's receipt",
)
def get_rating_link(request: HttpRequest, code: str) -> Status[Any]:
    token: IngestToken = request.auth  # type: ignore[attr-defined]
    dossier = Dossier.objects.filter(code=code, unit_id__in=services.subtree(token.unit)).first()
    if dossier is None:
        return Status(404, {"detail": f"no dossier '{code}' in this token's scope"})
    signed = services.rating_token(dossier)
    return Status(
        200,
        {
            "url": request.build_absolute_uri(reverse("online-rating", args=[signed])),
            "qr_svg": request.build_absolute_uri(reverse("online-rating-qr", args=[signed])),
        },
    )


api = NinjaAPI(urls_namespace="ingest", title="parindex ingestion", version="1", docs_url="/docs")
"""Mounted at ``/api/v1/ingest/`` until the /api/v1 API adds ``router`` at ``/ingest/``."""
api.add_router("", router)
