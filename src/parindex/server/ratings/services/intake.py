"""Ratings taken in from devices, the online page and integrations: validated, stored once (by
client id; once per dossier and channel), answered item by item after commit."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from parindex.core.onestop.rating import INDICES, problems
from parindex.server.accounts.models import Unit, User
from parindex.server.ratings.models import Channel, Dossier, RatingKey
from parindex.server.ratings.services.bursts import Bursts
from parindex.server.ratings.services.counter_ratings import store_counter_ratings
from parindex.server.ratings.services.storage import (
    Outcome,
    RatingResult,
    RatingRow,
    Writer,
    insert_all,
    insert_each,
)
from parindex.server.ratings.services.units import subtree


class RatingInput(NamedTuple):
    """One rating as a device, the online page or an integration sends it (already typed; a
    named tuple: a frozen dataclass took longer to build than reading the rating)."""

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


def _errors(item: RatingInput, units: set[int], dossier: Dossier | None) -> list[str]:
    indices = {name: getattr(item, name) for name in INDICES}
    errors = problems(
        item.satisfaction,
        indices,
        item.dossier_code,
        item.counter,
        item.submitted_at,
        timezone.now(),
    )
    if dossier is not None and dossier.unit_id not in units:
        errors.append(
            f"dossier '{item.dossier_code}' belongs to a unit outside this device's scope"
        )
    return errors


def ingest(
    items: Sequence[RatingInput], unit: Unit, channel: Channel, device: User | None = None
) -> list[RatingResult]:
    """Store each valid, new rating; a retried one (same client id) is reported as a duplicate
    with the stored id. Returns after the transaction commits, so every ``stored`` is durable.

    A batch costs a handful of statements: known ids, dossiers and the device's recent
    ratings (counted up to the burst limit) are read once, the new rows and their keys
    inserted by one statement each (one for both on PostgreSQL, ``storage``). Only when that
    meets a conflict (a concurrent retry committed between the reads and the insert) is the
    whole transaction undone and the batch taken in again with every row in a savepoint of its
    own, to tell which.
    """
    counter_only = not any(item.dossier_code for item in items)
    postgresql = connection.vendor == "postgresql"
    if device is not None and channel == Channel.DEVICE and counter_only and postgresql:
        return _counter_ratings(items, unit, channel, device)
    try:
        with transaction.atomic():
            return _take_in(items, unit, channel, device, insert_all)
    except IntegrityError:
        with transaction.atomic():
            return _take_in(items, unit, channel, device, insert_each)


def _take_in(
    items: Sequence[RatingInput],
    unit: Unit,
    channel: Channel,
    device: User | None,
    write: Writer,
) -> list[RatingResult]:
    known = dict(
        RatingKey.objects.filter(client_id__in=[i.client_id for i in items]).values_list(
            "client_id", "rating_id"
        )
    )
    codes = {i.dossier_code for i in items if i.dossier_code}
    dossiers = {d.code: d for d in Dossier.objects.filter(code__in=codes)} if codes else {}
    bursts = Bursts(device, (i.submitted_at for i in items if i.client_id not in known))
    # Read only when a dossier is named: reading the unit tree costs more than the rest.
    units = subtree(unit) if dossiers else set()
    return _answered(items, unit, channel, device, write, known, dossiers, units, bursts.flag)


def _counter_ratings(
    items: Sequence[RatingInput], unit: Unit, channel: Channel, device: User
) -> list[RatingResult]:
    """A device's ratings of its counter (no dossier named), on PostgreSQL: checked here, then
    stored by one statement in autocommit (``counter_ratings``: it finds the ids already
    stored and counts the bursts itself), answered after its commit."""

    def write(pending: list[tuple[int, RatingRow]]) -> dict[int, RatingResult]:
        return store_counter_ratings(pending, device.pk, pending[0][1].received_at)

    return _answered(items, unit, channel, device, write, {}, {}, set(), lambda _: False)


def _answered(
    items: Sequence[RatingInput],
    unit: Unit,
    channel: Channel,
    device: User | None,
    write: Writer,
    known: dict[UUID, int],
    dossiers: dict[str, Dossier],
    units: set[int],
    burst: Callable[[datetime], bool],
) -> list[RatingResult]:
    """Each item answered by its index: ``known`` client ids as duplicates, the invalid
    rejected, the rest written by ``write``; a client id given twice is the same rating."""
    results: dict[int, RatingResult] = {}
    # Rows are written in one order (time, then client id), so two retries sending overlapping
    # batches in different orders wait on each other instead of deadlocking.
    order = sorted(range(len(items)), key=lambda k: (items[k].submitted_at, items[k].client_id))
    received = timezone.now()
    pending: list[tuple[int, RatingRow]] = []
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
        row = RatingRow(
            client_id=item.client_id,
            channel=str(channel),  # the value: a driver may write an enum member by its name
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
            received_at=received,
            device_id=device.pk if device is not None else None,
            burst=burst(item.submitted_at),
        )
        pending.append((index, row))
    if pending:
        results.update(write(pending))
    for index in repeats:
        first = results[first_of[items[index].client_id]]
        outcome: Outcome = "duplicate" if first.outcome != "rejected" else "rejected"
        results[index] = RatingResult(index, outcome, first.id, first.errors)
    return [results[index] for index in range(len(items))]
