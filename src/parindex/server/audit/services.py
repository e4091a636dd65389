"""Appending to the audit log and checking it. Services call ``record`` inside their transaction;
the event is appended when that transaction commits (``transaction.on_commit``), so a refused
change leaves no event, and each append is its own short transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from parindex.core.audit import GENESIS, Break, EventKind, StoredEvent, digest, payload, verify
from parindex.server.audit.models import AuditEvent, AuditHead


def record(kind: EventKind, subject: str, actor: Any, data: Mapping[str, Any]) -> None:
    """Append an event once the current transaction commits. ``actor`` is a user or a name."""
    name = getattr(actor, "username", None) or str(actor or "system")
    when = timezone.now()
    event = dict(data)
    transaction.on_commit(lambda: append(kind, subject, name, event, when))


def append(
    kind: EventKind, subject: str, actor: str, data: Mapping[str, Any], when: Any = None
) -> AuditEvent:
    with transaction.atomic():
        # The head row serialises appenders (a row lock on PostgreSQL; SQLite has one writer).
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1, seq=0, digest=GENESIS)
        at = when or timezone.now()
        seq = head.seq + 1
        text = payload(seq, at.isoformat(), actor, kind, subject, data)
        event = AuditEvent.objects.create(
            seq=seq,
            at=at,
            actor=actor[:150],
            kind=kind,
            subject=subject[:255],
            payload=text,
            previous=head.digest,
            digest=digest(head.digest, text),
        )
        head.seq, head.digest = seq, event.digest
        head.save(update_fields=["seq", "digest"])
    return event


def verify_log() -> tuple[int, str, list[Break]]:
    """(events checked, the head digest, every break found)."""
    rows = AuditEvent.objects.order_by("seq").values_list(
        "seq", "kind", "subject", "payload", "previous", "digest"
    )
    events = [StoredEvent(*row) for row in rows.iterator(chunk_size=2000)]
    head = AuditHead.objects.filter(pk=1).first()
    highest = head.seq if head else None
    breaks = verify(events, highest)
    last = events[-1].digest if events else GENESIS
    if head is not None and head.digest != last and head.seq == (events[-1].seq if events else 0):
        breaks.append(Break(head.seq, "the head digest differs from the last event"))
    return len(events), last, breaks
