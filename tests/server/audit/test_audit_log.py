"""The audit log's hash chain: ``parindex audit verify`` passes an intact log and names every
event edited, removed from the middle or removed from the end directly in the database (run on
SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from parindex.cli.main import main
from parindex.core.audit import EventKind
from parindex.server.audit.history import unlocked
from parindex.server.audit.models import AuditEvent
from parindex.server.audit.services import append, verify_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def log() -> list[AuditEvent]:
    return [
        append(EventKind.SCORE, f"assessment:1/1.1.{n}", "focal-20", {"points": n / 4})
        for n in range(1, 6)
    ]


def tamper(sql: str, *params: object) -> None:
    """What someone with the database's password does, triggers lifted."""
    with unlocked(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify(capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    code = main(["audit", "verify"])
    return code, capsys.readouterr().out


def test_an_intact_log_verifies(log: list[AuditEvent], capsys) -> None:  # type: ignore[no-untyped-def]
    code, out = verify(capsys)
    assert code == 0 and f"5 events, chain intact; head {log[-1].digest}" in out


def test_an_event_edited_in_place_is_named(log: list[AuditEvent], capsys) -> None:  # type: ignore[no-untyped-def]
    edited = log[2].payload.replace('"points":0.75', '"points":1.0')
    tamper("UPDATE audit_auditevent SET payload = %s WHERE seq = 3", edited)
    code, out = verify(capsys)
    assert code == 1
    assert out.splitlines() == ["tampered: event 3: edited after it was recorded (digest differs)"]


def test_a_column_changed_without_its_payload_is_named(log: list[AuditEvent], capsys) -> None:  # type: ignore[no-untyped-def]
    tamper("UPDATE audit_auditevent SET subject = 'assessment:2/1.1.1' WHERE seq = 1")
    code, out = verify(capsys)
    assert code == 1 and "event 1: its columns differ from what was recorded" in out


def test_an_event_removed_from_the_middle_is_named(log: list[AuditEvent], capsys) -> None:  # type: ignore[no-untyped-def]
    tamper("DELETE FROM audit_auditevent WHERE seq = 2")
    code, out = verify(capsys)
    assert code == 1
    assert "event 2: missing (events 2–2 removed)" in out
    assert "event 3: does not follow the event before it" in out


def test_events_removed_from_the_end_are_named(log: list[AuditEvent], capsys) -> None:  # type: ignore[no-untyped-def]
    tamper("DELETE FROM audit_auditevent WHERE seq >= 4")
    code, out = verify(capsys)
    assert code == 1 and "event 4: missing (events 4–5 removed from the end)" in out


def test_a_rewritten_chain_is_caught_by_a_digest_noted_earlier(
    log: list[AuditEvent], capsys
) -> None:  # type: ignore[no-untyped-def]
    noted = log[-1].digest
    tamper("DELETE FROM audit_auditevent")
    tamper("DELETE FROM audit_audithead")
    append(EventKind.SCORE, "assessment:1/1.1.1", "someone", {"points": 1})
    assert verify_log()[2] == [], "a forged chain is consistent in itself"
    assert main(["audit", "verify", "--expect", noted]) == 1
    assert f"the digest {noted} noted earlier is no longer in the log" in capsys.readouterr().out


def test_the_database_refuses_to_change_an_event(log: list[AuditEvent]) -> None:
    with (
        pytest.raises(IntegrityError, match="an audit event cannot be changed"),
        transaction.atomic(),
    ):
        AuditEvent.objects.filter(seq=1).update(actor="someone else")
    with (
        pytest.raises(IntegrityError, match="an audit event cannot be deleted"),
        transaction.atomic(),
    ):
        AuditEvent.objects.all().delete()
    assert verify_log()[0] == 5
