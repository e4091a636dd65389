"""A dossier (hồ sơ): one application for one administrative procedure, as a one-stop system
records it — received, promised for an appointment date, perhaps sent back to the applicant for
supplementation (time that does not count against the unit), finished.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from parindex.core.onestop.calendar import WorkingCalendar


@dataclass(frozen=True, slots=True)
class Supplementation:
    """A period when the dossier waited on the applicant for more documents."""

    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Dossier:
    """A dossier's facts from the one-stop system.

    ``paid_online`` is ``None`` when the procedure has no fee, else whether the fee was paid online.
    """

    code: str
    procedure: str
    unit: str
    received: datetime
    appointment: datetime
    finished: datetime | None = None
    counter: str = ""
    officer: str = ""
    supplementations: tuple[Supplementation, ...] = ()
    online: bool = False
    paid_online: bool | None = None
    digitised: bool = False

    def due(self, calendar: WorkingCalendar) -> date:
        """The appointment date moved later by the working days spent on supplementation.

        >>> d = Dossier("HS1", "P", "U", datetime(2024, 5, 6, 9), datetime(2024, 5, 10, 16),
        ...             supplementations=(Supplementation(date(2024, 5, 7), date(2024, 5, 9)),))
        >>> d.due(WorkingCalendar())
        datetime.date(2024, 5, 14)
        """
        extra = sum(calendar.working_days_between(s.start, s.end) for s in self.supplementations)
        return calendar.add_working_days(self.appointment.date(), extra)

    def overdue(self, calendar: WorkingCalendar, as_of: date) -> bool:
        """Finished after its due date, or still open after it as of ``as_of``."""
        due = self.due(calendar)
        if self.finished is not None:
            return self.finished.date() > due
        return as_of > due
