"""What makes a rating unusable, whichever way it came in (the site's API, the kiosk, the
ingestion front): one wording, because a device is told the reason and a retry must read the
same."""

from __future__ import annotations

from datetime import datetime, timedelta

INDICES = ("index1", "index3", "index4", "index7")
"""The Circular 01/2018 indices a citizen answers on a device: 2, 1 or 0 points."""

CLOCK_SKEW = timedelta(minutes=5)
"""How far ahead of the server's clock a device's clock may run before its rating is refused."""


def storable(text: str) -> bool:
    r"""Whether a text can be stored as it is: no NUL character (PostgreSQL refuses it) and no
    lone surrogate (no UTF-8 for it), both of which a JSON escape can carry.

    >>> storable("Cán bộ nhiệt tình"), storable("a\x00b"), storable("\ud800")
    (True, False, False)
    """
    if "\x00" in text:
        return False
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def problems(
    satisfaction: int,
    indices: dict[str, int | None],
    dossier_code: str,
    counter: str,
    submitted_at: datetime,
    now: datetime,
) -> list[str]:
    """The reasons a rating cannot be stored (empty when it can), in the API's words.

    >>> from datetime import UTC
    >>> now = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
    >>> problems(6, {"index1": 3}, "", "", now + timedelta(hours=1), now)  # doctest: +NORMALIZE_WHITESPACE
    ['satisfaction must be 1 to 5, got 6', 'index1 must be 2, 1 or 0, got 3',
     'a rating names a dossier code or a counter', 'submitted_at is in the future']
    >>> problems(5, {}, "", "Q1", now, now)
    []
    """
    errors = []
    if not 1 <= satisfaction <= 5:
        errors.append(f"satisfaction must be 1 to 5, got {satisfaction}")
    for name in INDICES:
        value = indices.get(name)
        if value is not None and value not in (0, 1, 2):
            errors.append(f"{name} must be 2, 1 or 0, got {value}")
    if not dossier_code and not counter:
        errors.append("a rating names a dossier code or a counter")
    if submitted_at > now + CLOCK_SKEW:
        errors.append("submitted_at is in the future")
    return errors
