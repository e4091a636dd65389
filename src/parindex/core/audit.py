"""The audit log as a hash chain: every change of scores, evidence, state, methodology, survey
design and publication is an event whose digest covers the previous event's digest. An event
edited in place no longer matches its digest; an event removed breaks the chain (or, at the end,
leaves its number used but missing). Pure: the server stores the events, this module hashes and
checks them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

GENESIS = "0" * 64


class EventKind(StrEnum):
    SCORE = "score"
    EVIDENCE = "evidence"
    STATE = "state"
    METHODOLOGY = "methodology"
    SURVEY = "survey"
    PUBLICATION = "publication"


def payload(
    seq: int, at: str, actor: str, kind: EventKind, subject: str, data: Mapping[str, Any]
) -> str:
    """The event as canonical JSON text (sorted keys, no spaces): what is stored and hashed.

    >>> payload(1, "2026-01-01T00:00:00+00:00", "admin", EventKind.STATE, "a:1", {"to": "x"})
    '{"actor":"admin","at":"2026-01-01T00:00:00+00:00","data":{"to":"x"},"kind":"state","seq":1,"subject":"a:1"}'
    """
    document = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "kind": str(kind),
        "subject": subject,
        "data": dict(data),
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(previous: str, text: str) -> str:
    return hashlib.sha256(f"{previous}\n{text}".encode()).hexdigest()


@dataclass(frozen=True)
class StoredEvent:
    """An event as read back from storage: its columns and the text that was hashed."""

    seq: int
    kind: str
    subject: str
    payload: str
    previous: str
    digest: str


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"event {self.seq}: {self.reason}"


def verify(events: Iterable[StoredEvent], highest_issued: int | None = None) -> list[Break]:
    """Every place the chain does not hold, in order; empty when the log is intact.

    ``events`` come in ``seq`` order. ``highest_issued`` is the largest number the store ever
    handed out (a database sequence): events removed from the end leave it above the last seq.
    """
    breaks: list[Break] = []
    previous, expected = GENESIS, 1
    for event in events:
        if event.seq != expected:
            breaks.append(Break(expected, f"missing (events {expected}–{event.seq - 1} removed)"))
        if event.previous != previous:
            breaks.append(Break(event.seq, "does not follow the event before it"))
        try:
            document = json.loads(event.payload)
        except ValueError:
            document = {}
        if (
            document.get("seq") != event.seq
            or document.get("kind") != event.kind
            or document.get("subject") != event.subject
        ):
            breaks.append(Break(event.seq, "its columns differ from what was recorded"))
        if digest(event.previous, event.payload) != event.digest:
            breaks.append(Break(event.seq, "edited after it was recorded (digest differs)"))
        previous, expected = event.digest, event.seq + 1
    if highest_issued is not None and highest_issued >= expected:
        breaks.append(
            Break(expected, f"missing (events {expected}–{highest_issued} removed from the end)")
        )
    return breaks
