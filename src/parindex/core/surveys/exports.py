"""Collection exports (KoboToolbox, ODK Central, a data-entry spreadsheet) as submissions.

One row per submission: a ballot-code column, a submission-time column in ISO 8601 with a time
zone, and one column per question. Empty cells are unanswered questions. Kobo's and ODK's
metadata columns (``start``, ``end``) are kept with the answers: the timing checks use them.
"""

from __future__ import annotations

from datetime import datetime

from parindex.core.surveys.ballot import Submission
from parindex.core.tabular import Table, TableError

KOBO_CODE = "ballot_code"
KOBO_TIME = "_submission_time"


def submissions(
    table: Table, channel: str, code_column: str = KOBO_CODE, time_column: str = KOBO_TIME
) -> list[Submission]:
    """Every row as a submission, or a ``TableError`` naming the first bad row: an export is
    taken in whole or not at all."""
    codes, times = table.column(code_column), table.column(time_column)
    answered = [name for name in table.columns if name not in (code_column, time_column)]
    result = []
    for index, (code, when) in enumerate(zip(codes, times, strict=True)):
        row = index + 2
        try:
            received = datetime.fromisoformat(when.replace("Z", "+00:00"))
        except ValueError:
            raise TableError(
                f"{table.source}, row {row}: '{when}' in '{time_column}' is not a date and time"
            ) from None
        if received.tzinfo is None:
            raise TableError(f"{table.source}, row {row}: '{when}' has no time zone (e.g. +07:00)")
        answers = {
            name: table.columns[name][index] for name in answered if table.columns[name][index]
        }
        result.append(Submission(code, received, channel, answers))
    return result
