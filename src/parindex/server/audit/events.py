"""What each audited change records. Services call these with the row they just wrote (each
returns it, so a call wraps the ``create`` in one line); the event is appended after commit."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from parindex.core.audit import EventKind
from parindex.server.audit.services import record

T = TypeVar("T")


def _entry(entry: Any) -> dict[str, Any]:
    return {
        "component": entry.component,
        "round": str(entry.round),
        "points": entry.points,
        "previous": entry.previous,
        "inputs": entry.inputs,
        "explanation": entry.explanation,
        "reason": entry.reason,
    }


def score(entry: T) -> T:
    """A score entry appended (self, appraisal, council)."""
    item: Any = entry
    record(
        EventKind.SCORE,
        f"assessment:{item.assessment_id}/{item.component}",
        item.author,
        _entry(item),
    )
    return entry


def scores(entries: list[T]) -> list[T]:
    """Score entries appended in one import (survey points): one event for the batch."""
    rows: list[Any] = list(entries)
    if rows:
        record(
            EventKind.SCORE,
            f"cycle:{rows[0].assessment.cycle_id}/survey-points",
            rows[0].author,
            {"entries": [{"assessment": e.assessment_id, **_entry(e)} for e in rows]},
        )
    return entries


def evidence(item: Any) -> None:
    record(
        EventKind.EVIDENCE,
        f"assessment:{item.assessment_id}/{item.component}",
        item.uploaded_by,
        {"name": item.name, "sha256": item.sha256, "size": item.size, "round": str(item.round)},
    )


def move(change: T) -> T:
    item: Any = change
    record(
        EventKind.STATE,
        f"assessment:{item.assessment_id}",
        item.by,
        {
            "action": str(item.action),
            "from": str(item.source),
            "to": str(item.target),
            "reason": item.reason,
        },
    )
    return change


def publication(cycle: Any, user: Any) -> None:
    """The frozen table's own digest is recorded: the published figures are in the chain."""
    table = json.dumps(cycle.published_table, sort_keys=True, ensure_ascii=False)
    record(
        EventKind.PUBLICATION,
        f"cycle:{cycle.pk}",
        user,
        {
            "edition": cycle.edition,
            "published_at": cycle.published_at.isoformat(),
            "table_sha256": hashlib.sha256(table.encode()).hexdigest(),
        },
    )


def cycle_saved(cycle: Any, user: Any, changed: Iterable[str], created: bool) -> None:
    """A cycle created or changed by an administrator; its edition is its methodology."""
    fields = sorted(changed)
    values = {name: str(getattr(cycle, name)) for name in fields}
    kind = EventKind.METHODOLOGY if created or "edition" in fields else EventKind.STATE
    record(kind, f"cycle:{cycle.pk}", user, {"created": created, "fields": values})


def survey_design(survey: Any, user: Any, what: str, details: Mapping[str, Any]) -> None:
    """A survey's design changed: created or edited, or its sample drawn."""
    record(EventKind.SURVEY, f"survey:{survey.slug}", user, {"what": what, **details})
