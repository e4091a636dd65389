"""Feedback intake, routing, handling steps with their deadlines, publication, and the public
apologies overdue dossiers call for. Views and imports call these; the rules live here and in
``parindex.core.onestop.feedback``."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from parindex.core.errors import ParindexError
from parindex.core.findings import Finding, Report
from parindex.core.onestop.feedback import (
    Deadlines,
    FeedbackKind,
    Step,
    check_window,
    handle_due_after_information,
    publish_deadline,
    suggest_kind,
)
from parindex.core.onestop.records import parse_time
from parindex.core.tabular import TableError, read_table
from parindex.server.accounts.models import Unit
from parindex.server.feedback.deadlines import info_clock, overdue_items
from parindex.server.feedback.models import Apology, Feedback
from parindex.server.ratings.models import Dossier
from parindex.server.ratings.services import calendar, core_dossier, subtree


class FeedbackError(ParindexError):
    """A handling step that the item's state does not allow."""


@dataclass(frozen=True)
class Intake:
    content: str
    unit: Unit | None = None
    dossier_code: str = ""
    sender: str = ""
    contact: str = ""
    received_on: date | None = None
    client_id: UUID | None = None


def route(intake: Intake) -> Unit | None:
    """The responsible unit: the dossier's unit when the feedback names a known dossier, else the
    unit the sender chose."""
    if intake.dossier_code:
        dossier = Dossier.objects.select_related("unit").filter(code=intake.dossier_code).first()
        if dossier is not None:
            return dossier.unit
    return intake.unit


def _reference(received: date) -> str:
    return f"PAKN-{received:%Y%m%d}-{secrets.token_hex(3).upper()}"


def receive(intake: Intake, source: Feedback.Source) -> Feedback:
    """Record a feedback item with its deadlines; one resent by a kiosk (same client id) is the
    item already recorded."""
    if intake.client_id is not None:
        known = Feedback.objects.filter(client_id=intake.client_id).first()
        if known is not None:
            return known
    unit = route(intake)
    if unit is None:
        raise FeedbackError("no responsible unit: name a known dossier or choose a unit")
    received = intake.received_on or timezone.localdate()
    deadlines = Deadlines.from_received(received, calendar())
    suggestion = suggest_kind(intake.content)
    return Feedback.objects.create(
        reference=_reference(received),
        client_id=intake.client_id,
        unit=unit,
        source=source,
        kind=suggestion.value if suggestion else "",
        dossier_code=intake.dossier_code,
        sender=intake.sender,
        contact=intake.contact,
        content=intake.content,
        received_on=received,
        handle_due=deadlines.handle,
        refuse_due=deadlines.refuse,
        info_due=deadlines.request_info,
    )


def import_feedback(name: str, content: bytes, scope: Unit | None) -> Report[int]:
    """A CSV/Excel file of feedback (columns ``received``, ``unit``, ``content``, optional
    ``dossier_code``, ``sender``), all or nothing, faults located by row and column."""
    try:
        table = read_table(Path(name), content)
    except TableError as error:
        return Report(None, (Finding("unreadable-table", str(error), name),))
    missing = [c for c in ("received", "unit", "content") if c not in table.columns]
    if missing:
        return Report(
            None, (Finding("missing-column", f"missing column(s) {', '.join(missing)}", name, 1),)
        )
    allowed = Unit.objects.all() if scope is None else Unit.objects.filter(pk__in=subtree(scope))
    units = {u.ref: u for u in allowed}
    findings: list[Finding] = []
    intakes: list[Intake] = []
    for index in range(table.rows):
        row = index + 2

        def cell(column: str, index: int = index) -> str:
            return table.columns[column][index].strip() if column in table.columns else ""

        received: date | None = None
        try:
            received = parse_time(cell("received")).date()
        except ValueError as error:
            findings.append(Finding("invalid-value", str(error), name, row, "received"))
        unit = units.get(cell("unit"))
        if unit is None:
            message = f"unit '{cell('unit')}' is not known or not in your scope"
            findings.append(Finding("invalid-value", message, name, row, "unit"))
        if not cell("content"):
            findings.append(
                Finding("invalid-value", "column 'content' is empty", name, row, "content")
            )
        intakes.append(
            Intake(
                cell("content"), unit, cell("dossier_code"), cell("sender"), received_on=received
            )
        )
    if findings:
        return Report(None, tuple(findings))
    with transaction.atomic():
        for intake in intakes:
            receive(intake, Feedback.Source.IMPORT)
    return Report(len(intakes))


def classify(item: Feedback, kind: FeedbackKind) -> None:
    item.kind = kind.value
    item.save(update_fields=["kind"])


def _open(item: Feedback) -> None:
    if item.state not in (Feedback.State.RECEIVED, Feedback.State.INFO_REQUESTED):
        raise FeedbackError(f"feedback {item.reference} is {item.state}: it is no longer open")


def answer(item: Feedback, text: str, on: date | None = None) -> None:
    _open(item)
    if not text.strip():
        raise FeedbackError("an answer needs text")
    item.answer = text
    item.answered_on = on or timezone.localdate()
    item.publish_due = publish_deadline(item.answered_on, calendar())
    item.state = Feedback.State.ANSWERED
    item.save()


def _deadlines(item: Feedback) -> Deadlines:
    return Deadlines(item.handle_due, item.refuse_due, item.info_due)


def refuse(item: Feedback, reason: str, on: date | None = None) -> None:
    """Refuse the item, within 2 working days of its receipt (``DeadlinePassed`` after: the item
    then stands accepted and must be handled)."""
    _open(item)
    day = on or timezone.localdate()
    check_window(Step.REFUSE, _deadlines(item), day)
    item.answer = reason
    item.answered_on = day
    item.state = Feedback.State.REFUSED
    item.save()


def request_information(item: Feedback, on: date | None = None) -> None:
    """Ask the sender for more information, within 5 working days of receipt."""
    _open(item)
    day = on or timezone.localdate()
    check_window(Step.REQUEST_INFO, _deadlines(item), day)
    item.state = Feedback.State.INFO_REQUESTED
    item.info_requested_on = day
    item.save(update_fields=["state", "info_requested_on"])


def information_supplied(item: Feedback, on: date | None = None) -> None:
    """The sender has supplied the information asked for: the item is open again and its
    handling deadline is what the configured rule makes it (``PARINDEX_FEEDBACK_INFO_CLOCK``:
    unchanged, moved by the working days waited, or 15 working days afresh)."""
    if item.state != Feedback.State.INFO_REQUESTED or item.info_requested_on is None:
        raise FeedbackError(f"feedback {item.reference} is not waiting for information")
    day = on or timezone.localdate()
    item.handle_due = handle_due_after_information(
        info_clock(), item.handle_due, item.info_requested_on, day, calendar()
    )
    item.info_supplied_on = day
    item.state = Feedback.State.RECEIVED
    item.save(update_fields=["state", "info_supplied_on", "handle_due"])


def publish(item: Feedback, on: date | None = None) -> None:
    if item.state != Feedback.State.ANSWERED:
        raise FeedbackError(f"feedback {item.reference} has no answer to publish")
    item.published_on = on or timezone.localdate()
    item.state = Feedback.State.PUBLISHED
    item.save()


def overdue(units: set[int], as_of: date) -> list[Feedback]:
    """Open items past their handling deadline, and answers not published in time."""
    return [o.item for o in overdue_items(units, as_of)]


def record_apologies(as_of: date | None = None) -> int:
    """Create an apology record for every overdue dossier that has none yet; returns how many."""
    today = as_of or timezone.localdate()
    cal = calendar()
    have = set(Apology.objects.values_list("dossier_code", flat=True))
    created = 0
    for dossier in Dossier.objects.exclude(code__in=have).iterator():
        facts = core_dossier(dossier)
        if facts.overdue(cal, today):
            Apology.objects.create(
                dossier_code=dossier.code,
                unit_id=dossier.unit_id,
                due_on=facts.due(cal),
                created_on=today,
            )
            created += 1
    return created


def complete_apology(apology: Apology, text: str, new_appointment: date | None) -> None:
    if not text.strip():
        raise FeedbackError("an apology needs its text")
    apology.text = text
    apology.new_appointment = new_appointment
    apology.completed_on = timezone.localdate()
    apology.save()


def feedback_counts(units: set[int], start: date, end: date, as_of: date) -> dict[str, int]:
    """Decision 766's 5.1–5.3 inputs over items received in ``[start, end]``; an item answered
    late, or still open past its deadline on ``as_of``, counts as not satisfied."""
    items = list(
        Feedback.objects.filter(unit_id__in=units, received_on__gte=start, received_on__lte=end)
    )
    on_time = sum(1 for f in items if f.answered_on is not None and f.answered_on <= f.handle_due)
    late = sum(1 for f in items if (f.answered_on or as_of) > f.handle_due)
    return {
        "total": len(items),
        "classified": sum(1 for f in items if f.kind and f.kind != FeedbackKind.OTHER),
        "on_time": on_time,
        "unsatisfied": late,
    }
