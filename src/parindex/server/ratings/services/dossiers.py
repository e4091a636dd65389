"""Dossiers from one-stop systems: pushed or imported all or nothing, read back for core."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from parindex.core import onestop
from parindex.core.findings import Finding, Report
from parindex.core.onestop.records import parse_dossiers
from parindex.core.tabular import TableError, read_table
from parindex.server.accounts.models import Unit
from parindex.server.ratings.models import Dossier
from parindex.server.ratings.services.units import subtree


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
