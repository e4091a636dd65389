"""Storing dossiers and ratings, and computing a unit's Circular 01 and Decision 766 results.

Every write here is all or nothing for dossiers (an import with one bad row stores none) and
item by item for ratings (a bad rating in a device's batch does not hold back the good ones);
either way the caller answers only after the transaction has committed.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from parindex.core import onestop
from parindex.core.findings import Finding, Report
from parindex.core.methodology.shipped import load_shipped
from parindex.core.onestop.records import parse_dossiers
from parindex.core.roles import Role
from parindex.core.tabular import TableError, read_table
from parindex.core.units import descendants
from parindex.server.accounts.models import Unit, User
from parindex.server.ratings.models import (
    Channel,
    Dossier,
    IngestToken,
    Rating,
    RatingKey,
    hash_token,
)

BURST_WINDOW = timedelta(seconds=getattr(settings, "RATINGS_BURST_WINDOW_SECONDS", 60))
BURST_LIMIT: int = getattr(settings, "RATINGS_BURST_LIMIT", 6)
"""More than this many ratings from one device within the window are flagged as a burst."""
KIOSK_IDLE_SECONDS: int = getattr(settings, "KIOSK_IDLE_SECONDS", 60)
"""A kiosk left untouched this long in the middle of a rating goes back to its first screen."""


def subtree(unit: Unit) -> set[int]:
    """``unit`` and every unit below it."""
    parent_of = dict(Unit.objects.values_list("id", "parent_id"))
    return descendants([unit.pk], parent_of)


def token_for(secret: str, purpose: IngestToken.Purpose) -> IngestToken | None:
    """The live token with this secret and purpose, or ``None``."""
    return (
        IngestToken.objects.select_related("user", "unit")
        .filter(
            digest=hash_token(secret),
            purpose=purpose,
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )


def device_unit(user: User) -> Unit:
    """The unit at which a counter device account sits (its counter_device role's unit)."""
    assignment = (
        user.role_assignments.filter(role=Role.COUNTER_DEVICE).select_related("unit").first()
    )
    if assignment is None or assignment.unit is None:
        raise PermissionDenied("not a counter device account")
    return assignment.unit


# ---- dossiers -------------------------------------------------------------------------------


def aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def store_dossiers(
    records: Sequence[onestop.Dossier], scope: Unit | None
) -> Report[dict[str, int]]:
    """Create or update ``records`` in one transaction; refuse them all if one names a unit
    outside ``scope`` (``None``: every unit) or would change a dossier of a unit outside it."""
    allowed = Unit.objects.all() if scope is None else Unit.objects.filter(pk__in=subtree(scope))
    units = dict(allowed.filter(ref__in={r.unit for r in records}).values_list("ref", "id"))
    findings = [
        Finding(
            "unit-out-of-scope",
            f"unit '{r.unit}' is not known or not in this account's scope",
            "",
            i,
            "unit",
        )
        for i, r in enumerate(records)
        if r.unit not in units
    ]
    # A code already held by a unit outside the scope is another unit's dossier: not to be
    # overwritten (nor moved into the scope) by this account.
    foreign = set(
        Dossier.objects.filter(code__in=[r.code for r in records])
        .exclude(unit__in=allowed)
        .values_list("code", flat=True)
    )
    findings += [
        Finding(
            "dossier-out-of-scope",
            f"dossier '{r.code}' belongs to a unit outside this account's scope",
            "",
            i,
            "code",
        )
        for i, r in enumerate(records)
        if r.code in foreign
    ]
    if findings:
        return Report(None, tuple(findings))
    created = updated = 0
    with transaction.atomic():
        existing = set(
            Dossier.objects.filter(code__in=[r.code for r in records]).values_list(
                "code", flat=True
            )
        )
        for record in records:
            Dossier.objects.update_or_create(
                code=record.code,
                defaults={
                    "procedure": record.procedure,
                    "unit_id": units[record.unit],
                    "counter": record.counter,
                    "officer": record.officer,
                    "received": aware(record.received),
                    "appointment": aware(record.appointment),
                    "finished": aware(record.finished) if record.finished else None,
                    "supplementations": [
                        [s.start.isoformat(), s.end.isoformat()] for s in record.supplementations
                    ],
                    "online": record.online,
                    "paid_online": record.paid_online,
                    "digitised": record.digitised,
                },
            )
            if record.code in existing:
                updated += 1
            else:
                created += 1
    return Report({"created": created, "updated": updated})


def import_dossiers(name: str, content: bytes, scope: Unit | None) -> Report[dict[str, int]]:
    """A CSV or Excel file of dossiers, stored all or nothing; faults located by row and column."""
    try:
        table = read_table(Path(name), content)
    except TableError as error:
        return Report(None, (Finding("unreadable-table", str(error), name),))
    allowed = Unit.objects.all() if scope is None else Unit.objects.filter(pk__in=subtree(scope))
    report = parse_dossiers(table, known_units=set(allowed.values_list("ref", flat=True)))
    if report.value is None:
        return Report(None, report.findings)
    return store_dossiers(report.value, scope)


def core_dossier(row: Dossier) -> onestop.Dossier:
    def local(moment: datetime) -> datetime:
        return timezone.localtime(moment).replace(tzinfo=None)

    return onestop.Dossier(
        code=row.code,
        procedure=row.procedure,
        unit=str(row.unit_id),
        received=local(row.received),
        appointment=local(row.appointment),
        finished=local(row.finished) if row.finished else None,
        counter=row.counter,
        officer=row.officer,
        supplementations=tuple(
            onestop.Supplementation(date.fromisoformat(a), date.fromisoformat(b))
            for a, b in row.supplementations
        ),
        online=row.online,
        paid_online=row.paid_online,
        digitised=row.digitised,
    )


# ---- ratings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingInput:
    """One rating as a device, the online page or an integration sends it (already typed)."""

    client_id: UUID
    satisfaction: int
    submitted_at: datetime
    dossier_code: str = ""
    counter: str = ""
    index1: int | None = None
    index3: int | None = None
    index4: int | None = None
    index7: int | None = None
    comment: str = ""


Outcome = Literal["stored", "duplicate", "rejected"]


@dataclass(frozen=True)
class RatingResult:
    index: int
    outcome: Outcome
    id: int | None = None
    errors: tuple[str, ...] = field(default=())
    burst: bool = False


def _errors(item: RatingInput, units: set[int], dossier: Dossier | None) -> list[str]:
    errors = []
    if not 1 <= item.satisfaction <= 5:
        errors.append(f"satisfaction must be 1 to 5, got {item.satisfaction}")
    for name in ("index1", "index3", "index4", "index7"):
        value = getattr(item, name)
        if value is not None and value not in (0, 1, 2):
            errors.append(f"{name} must be 2, 1 or 0, got {value}")
    if not item.dossier_code and not item.counter:
        errors.append("a rating names a dossier code or a counter")
    if dossier is not None and dossier.unit_id not in units:
        errors.append(
            f"dossier '{item.dossier_code}' belongs to a unit outside this device's scope"
        )
    if item.submitted_at > timezone.now() + timedelta(minutes=5):
        errors.append("submitted_at is in the future")
    return errors


def _device_times(device: User | None, items: Sequence[RatingInput]) -> list[datetime]:
    """When the device's stored ratings were given, around the batch's times (sorted)."""
    if device is None or not items:
        return []
    first = min(i.submitted_at for i in items) - BURST_WINDOW
    last = max(i.submitted_at for i in items) + BURST_WINDOW
    query = Rating.objects.filter(device=device, submitted_at__gte=first, submitted_at__lte=last)
    return sorted(query.values_list("submitted_at", flat=True))


def _is_burst(times: list[datetime], moment: datetime) -> bool:
    recent = bisect.bisect_right(times, moment + BURST_WINDOW) - bisect.bisect_left(
        times, moment - BURST_WINDOW
    )
    return recent >= BURST_LIMIT


def _key(rating: Rating) -> RatingKey:
    return RatingKey(
        client_id=rating.client_id,
        dossier_code=rating.dossier_code,
        channel=rating.channel,
        rating_id=rating.pk,
    )


def _insert_one(index: int, rating: Rating) -> RatingResult:
    try:
        with transaction.atomic():
            rating.save(force_insert=True)
            _key(rating).save(force_insert=True)
    except IntegrityError:
        # A concurrent retry of the same client id won the race, or the dossier was already
        # rated on this channel.
        stored = (
            RatingKey.objects.filter(client_id=rating.client_id)
            .values_list("rating_id", flat=True)
            .first()
        )
        if stored is not None:
            return RatingResult(index, "duplicate", stored)
        message = f"dossier '{rating.dossier_code}' is already rated on this channel"
        return RatingResult(index, "rejected", errors=(message,))
    return RatingResult(index, "stored", rating.pk, burst=rating.burst)


def ingest(
    items: Sequence[RatingInput], unit: Unit, channel: Channel, device: User | None = None
) -> list[RatingResult]:
    """Store each valid, new rating; a retried one (same client id) is reported as a duplicate
    with the stored id. Returns after the transaction commits, so every ``stored`` is durable.

    A batch costs a handful of statements: known ids, dossiers and the device's recent times are
    read once, the new rows inserted in one statement; only when that insert meets a conflict
    (a concurrent retry) are the rows inserted one by one to tell which.
    """
    units = subtree(unit)
    results: dict[int, RatingResult] = {}
    # Rows are written in one order (time, then client id), so two retries sending overlapping
    # batches in different orders wait on each other instead of deadlocking.
    order = sorted(range(len(items)), key=lambda k: (items[k].submitted_at, items[k].client_id))
    with transaction.atomic():
        known = dict(
            RatingKey.objects.filter(client_id__in=[i.client_id for i in items]).values_list(
                "client_id", "rating_id"
            )
        )
        codes = {i.dossier_code for i in items if i.dossier_code}
        dossiers = {d.code: d for d in Dossier.objects.filter(code__in=codes)} if codes else {}
        times = _device_times(device, items)
        pending: list[tuple[int, Rating]] = []
        first_of: dict[UUID, int] = {}
        repeats: list[int] = []
        for index in order:
            item = items[index]
            if item.client_id in known:
                results[index] = RatingResult(index, "duplicate", known[item.client_id])
                continue
            if item.client_id in first_of:
                repeats.append(index)
                continue
            first_of[item.client_id] = index
            dossier = dossiers.get(item.dossier_code)
            errors = _errors(item, units, dossier)
            if errors:
                results[index] = RatingResult(index, "rejected", errors=tuple(errors))
                continue
            burst = device is not None and _is_burst(times, item.submitted_at)
            if device is not None:
                bisect.insort(times, item.submitted_at)
            rating = Rating(
                client_id=item.client_id,
                channel=channel,
                unit_id=dossier.unit_id if dossier else unit.pk,
                dossier_code=item.dossier_code,
                counter=item.counter or (dossier.counter if dossier else ""),
                officer=dossier.officer if dossier else "",
                index1=item.index1,
                index3=item.index3,
                index4=item.index4,
                index7=item.index7,
                satisfaction=item.satisfaction,
                comment=item.comment,
                submitted_at=item.submitted_at,
                received_at=timezone.now(),
                device=device,
                burst=burst,
            )
            pending.append((index, rating))
        try:
            with transaction.atomic():
                Rating.objects.bulk_create([rating for _, rating in pending])
                RatingKey.objects.bulk_create([_key(rating) for _, rating in pending])
            for index, rating in pending:
                results[index] = RatingResult(index, "stored", rating.pk, burst=rating.burst)
        except IntegrityError:
            for index, rating in pending:
                rating.pk = None
                results[index] = _insert_one(index, rating)
        for index in repeats:
            first = results[first_of[items[index].client_id]]
            outcome: Outcome = "duplicate" if first.outcome != "rejected" else "rejected"
            results[index] = RatingResult(index, outcome, first.id, first.errors)
    return [results[index] for index in range(len(items))]


# ---- online rating links --------------------------------------------------------------------

LINK_SALT = "parindex.ratings.online"
LINK_MAX_AGE = timedelta(days=getattr(settings, "ONLINE_RATING_MAX_AGE_DAYS", 90))


def rating_token(dossier: Dossier) -> str:
    """The signed token printed (as a link and a QR code) on the dossier's receipt."""
    return signing.dumps({"d": dossier.code}, salt=LINK_SALT, compress=True)


def dossier_for_token(token: str) -> Dossier | None:
    """The dossier a receipt's token names, or ``None`` when it is forged, expired or unknown."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return Dossier.objects.select_related("unit").filter(code=payload.get("d")).first()


def online_rating_taken(dossier: Dossier) -> bool:
    return Rating.objects.filter(dossier_code=dossier.code, channel=Channel.ONLINE).exists()


# ---- indicators -----------------------------------------------------------------------------


def calendar() -> onestop.WorkingCalendar:
    """The working calendar, with the Government's yearly changes from settings."""
    return onestop.WorkingCalendar.of(
        extra_holidays=(date.fromisoformat(d) for d in getattr(settings, "EXTRA_HOLIDAYS", ())),
        working_days=(date.fromisoformat(d) for d in getattr(settings, "MAKEUP_WORKING_DAYS", ())),
    )


def _in_period(unit: Unit, period: onestop.Period) -> tuple[list[Dossier], list[Rating]]:
    units = subtree(unit)
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, datetime.min.time(), tz)
    end = datetime.combine(period.end + timedelta(days=1), datetime.min.time(), tz)
    dossiers = list(
        Dossier.objects.filter(unit_id__in=units, received__gte=start, received__lt=end)
    )
    ratings = list(
        Rating.objects.filter(
            unit_id__in=units, submitted_at__gte=start, submitted_at__lt=end, burst=False
        )
    )
    return dossiers, ratings


def _rated(rating: Rating) -> dict[int, int]:
    return {
        i: getattr(rating, f"index{i}")
        for i in onestop.DEVICE_INDICES
        if getattr(rating, f"index{i}") is not None
    }


def tt01_result(
    unit: Unit, period: onestop.Period, unit_scores: dict[int, int] | None = None
) -> onestop.Tt01Result:
    """Circular 01/2018 for ``unit`` and every unit below it over ``period``."""
    edition = load_shipped("circular-01-2018/2018").value
    assert edition is not None
    dossiers, ratings = _in_period(unit, period)
    by_code = {d.code: d for d in dossiers}
    cal = calendar()
    scored: list[dict[int, int]] = []
    rated_codes: set[str] = set()
    for rating in ratings:
        dossier = by_code.get(rating.dossier_code)
        if dossier is not None and rating.dossier_code not in rated_codes:
            rated_codes.add(rating.dossier_code)
            scored.append(onestop.dossier_scores(core_dossier(dossier), _rated(rating), cal))
        elif dossier is None:
            scored.append(_rated(rating))
    for code, dossier in by_code.items():
        if code not in rated_codes:
            scores = onestop.dossier_scores(core_dossier(dossier), {}, cal)
            if scores:
                scored.append(scores)
    return onestop.unit_result(edition, scored, unit_scores or {})


def officer_results(unit: Unit, period: onestop.Period) -> dict[str, onestop.Tt01Result]:
    """Each officer's Circular 01 score (indices 1, 2, 3, 4, 7) over the rated dossiers they
    handled in ``period``, by officer name."""
    edition = load_shipped("circular-01-2018/2018").value
    assert edition is not None
    dossiers, ratings = _in_period(unit, period)
    by_code = {d.code: d for d in dossiers}
    cal = calendar()
    scored: dict[str, list[dict[int, int]]] = {}
    for rating in ratings:
        if not rating.officer:
            continue
        dossier = by_code.get(rating.dossier_code)
        scores = (
            onestop.dossier_scores(core_dossier(dossier), _rated(rating), cal)
            if dossier
            else _rated(rating)
        )
        scored.setdefault(rating.officer, []).append(scores)
    return {
        officer: onestop.officer_result(edition, rows) for officer, rows in sorted(scored.items())
    }


DISLIKE = 2
"""Satisfaction at or below this level (of 5) counts as a "dislike" for Decision 766's 5.4."""


def d766_result(
    unit: Unit,
    period: onestop.Period,
    feedback: dict[str, int] | None = None,
    as_of: date | None = None,
) -> onestop.D766Result:
    """Decision 766 for ``unit`` and below over ``period``, as far as dossier, rating and feedback
    data go. This is the service a PAR INDEX ``computed:`` component calls for a unit's result.
    """
    edition = load_shipped("decision-766/2022").value
    assert edition is not None
    dossiers, ratings = _in_period(unit, period)
    flagged = {r.dossier_code for r in ratings if r.dossier_code and r.satisfaction <= DISLIKE}
    rates = onestop.dossier_rates(
        (core_dossier(d) for d in dossiers),
        calendar(),
        as_of or min(period.end, timezone.localdate()),
        flagged,
    )
    if feedback is None:
        # Imported here: the feedback app builds on this module (calendar, dossiers).
        from parindex.server.feedback.services import feedback_counts

        feedback = feedback_counts(
            subtree(unit), period.start, period.end, as_of or timezone.localdate()
        )
    rates.update(onestop.feedback_rates(**feedback))
    return onestop.score(edition, rates)
