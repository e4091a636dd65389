"""Dossier records as a one-stop system exports them: one row per dossier, read all or nothing.

Columns (Vietnamese one-stop exports use these names once mapped): ``code``, ``procedure``,
``unit`` (the unit's reference), ``counter``, ``officer``, ``received``, ``appointment``,
``finished`` (blank while open), ``supplementations`` (``start/end`` pairs separated by ``;``),
``online``, ``paid_online`` (blank when the procedure has no fee), ``digitised``. Times are ISO
(``2024-05-06 08:30``) or Vietnamese (``06/05/2024 08:30``); yes/no as có/không, yes/no, 1/0.
"""

from __future__ import annotations

from datetime import datetime

from parindex.core.errors import ParindexError
from parindex.core.findings import Finding, Report
from parindex.core.onestop.dossier import Dossier, Supplementation
from parindex.core.tabular import Table

REQUIRED = ("code", "procedure", "unit", "received", "appointment")
OPTIONAL = (
    "counter",
    "officer",
    "finished",
    "supplementations",
    "online",
    "paid_online",
    "digitised",
)
YES = {"1", "yes", "y", "true", "có", "co", "x"}
NO = {"0", "no", "n", "false", "không", "khong", ""}
MESSAGES: dict[str, str] = {
    "dossier-columns-missing": "missing column(s) %(missing)s; columns: %(columns)s",
    "dossier-cell-empty": "column '%(column)s' is empty",
    "dossier-code-repeated": "dossier '%(code)s' already on row %(first_row)s",
    "dossier-unit-unknown": "unit '%(unit)s' is not known",
    "not-a-time": "'%(text)s' is not a date and time (expected 2024-05-06 08:30 or 06/05/2024 08:30)",
    "not-yes-no": "'%(text)s' is not yes or no (có/không, yes/no, 1/0)",
    "not-a-period": "'%(text)s' is not a period 'start/end'",
    "period-reversed": "'%(text)s' ends before it starts",
    "appointment-before-received": "appointment %(day)s is before the dossier was received",
    "finished-before-received": "finished %(day)s is before the dossier was received",
}
"""Every finding code of this reader and its sentence, with the parameters by name; the server
holds the same sentences for translation (``server/ratings/labels.py``)."""


class CellError(ParindexError, ValueError):
    """A cell that is not what its column takes; ``code`` and ``params`` as in ``MESSAGES``."""

    def __init__(self, code: str, /, **params: str) -> None:
        super().__init__(MESSAGES[code] % params)
        self.code = code
        self.params = params


def finding(code: str, file: str, row: int | None, column: str | None, /, **params: str) -> Finding:
    """A located finding whose message is the code's sentence with ``params`` filled in."""
    return Finding(code, MESSAGES[code] % params, file, row, column, tuple(sorted(params.items())))


FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d",
           "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y")  # fmt: skip


def parse_time(text: str) -> datetime:
    """A time in one of the accepted forms; ``ValueError`` naming the text otherwise.

    >>> parse_time("06/05/2024 08:30"), parse_time("2024-05-06")
    (datetime.datetime(2024, 5, 6, 8, 30), datetime.datetime(2024, 5, 6, 0, 0))
    """
    value = text.strip()
    for form in FORMATS:
        try:
            return datetime.strptime(value, form)
        except ValueError:
            continue
    raise CellError("not-a-time", text=text)


def parse_flag(text: str) -> bool:
    value = text.strip().lower()
    if value in YES:
        return True
    if value in NO:
        return False
    raise CellError("not-yes-no", text=text)


def parse_supplementations(text: str) -> tuple[Supplementation, ...]:
    """``2024-05-07/2024-05-09; 2024-05-20/2024-05-21`` → two periods."""
    periods = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        start, sep, end = part.partition("/") if part.count("/") == 1 else _split_vn(part)
        if not sep:
            raise CellError("not-a-period", text=part)
        first, last = parse_time(start).date(), parse_time(end).date()
        if last < first:
            raise CellError("period-reversed", text=part)
        periods.append(Supplementation(first, last))
    return tuple(periods)


def _split_vn(part: str) -> tuple[str, str, str]:
    # Vietnamese dates contain slashes themselves: 07/05/2024-09/05/2024.
    start, sep, end = part.partition("-")
    return start, sep, end


def parse_dossiers(table: Table, known_units: set[str] | None = None) -> Report[list[Dossier]]:
    """Every dossier in ``table``, or every fault located by row and column (and no dossiers)."""
    findings: list[Finding] = []
    missing = [name for name in REQUIRED if name not in table.columns]
    if missing:
        problem = finding(
            "dossier-columns-missing",
            table.source,
            1,
            None,
            missing=", ".join(missing),
            columns=", ".join(table.columns),
        )
        return Report(None, (problem,))
    dossiers: list[Dossier] = []
    seen: dict[str, int] = {}

    def cell(name: str, index: int) -> str:
        return table.columns[name][index].strip() if name in table.columns else ""

    for index in range(table.rows):
        row = index + 2

        def fault(column: str, code: str, /, at: int = row, **params: str) -> None:
            findings.append(finding(code, table.source, at, column, **params))

        def refused(column: str, error: CellError, at: int = row) -> None:
            fault(column, error.code, at, **error.params)

        for name in REQUIRED:
            if not cell(name, index):
                fault(name, "dossier-cell-empty", column=name)
        code, unit = cell("code", index), cell("unit", index)
        if code and code in seen:
            fault("code", "dossier-code-repeated", code=code, first_row=str(seen[code]))
        seen.setdefault(code, row)
        if unit and known_units is not None and unit not in known_units:
            fault("unit", "dossier-unit-unknown", unit=unit)
        values: dict[str, object] = {}
        for name in ("received", "appointment", "finished"):
            text = cell(name, index)
            if text:
                try:
                    values[name] = parse_time(text)
                except CellError as error:
                    refused(name, error)
        for name in ("online", "digitised"):
            try:
                values[name] = parse_flag(cell(name, index))
            except CellError as error:
                refused(name, error)
        paid = cell("paid_online", index)
        try:
            values["paid_online"] = parse_flag(paid) if paid else None
        except CellError as error:
            refused("paid_online", error)
        try:
            values["supplementations"] = parse_supplementations(cell("supplementations", index))
        except CellError as error:
            refused("supplementations", error)
        received, appointment = values.get("received"), values.get("appointment")
        finished = values.get("finished")
        if (
            isinstance(received, datetime)
            and isinstance(appointment, datetime)
            and appointment < received
        ):
            fault("appointment", "appointment-before-received", day=f"{appointment:%d/%m/%Y}")
        if (
            isinstance(received, datetime)
            and isinstance(finished, datetime)
            and finished < received
        ):
            fault("finished", "finished-before-received", day=f"{finished:%d/%m/%Y}")
        if findings:
            continue
        dossiers.append(
            Dossier(
                code=code,
                procedure=cell("procedure", index),
                unit=unit,
                counter=cell("counter", index),
                officer=cell("officer", index),
                **values,  # type: ignore[arg-type]
            )
        )
    if findings:
        return Report(None, tuple(findings))
    return Report(dossiers)


__all__ = [
    "MESSAGES",
    "CellError",
    "finding",
    "parse_dossiers",
    "parse_flag",
    "parse_supplementations",
    "parse_time",
]
