"""Ballots: the code each selected household receives, and what happens to what comes back.

A code is 10 characters of Crockford base32 (no I, L, O, U: nothing to misread on paper) plus a
check character, derived with HMAC from a secret key and the household's place in the sample:
reproducible by whoever holds the key, unguessable by anyone else, and a mistyped character is
caught before anything is counted. Each code counts once; late, duplicate and out-of-sample
submissions are kept aside with the reason, never counted.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK = ALPHABET + "*~$=U"  # Crockford's 37 check symbols


def _check_symbol(body: str) -> str:
    value = 0
    for char in body:
        value = value * 32 + ALPHABET.index(char)
    return CHECK[value % 37]


def grouped(code: str) -> str:
    """A code as printed, in groups of four.

    >>> grouped("PWPGW9V1P1A")
    'PWPG-W9V1-P1A'
    """
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def ballot_code(key: bytes, survey: str, position: int) -> str:
    """The code of the ``position``-th selected unit of ``survey``, shown in groups of four.

    >>> ballot_code(b"secret", "sipas-2026", 1)
    'PWPG-W9V1-P1A'
    """
    digest = hmac.new(key, f"{survey}:{position}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:7], "big")
    body = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(10))[::-1]
    return grouped(body + _check_symbol(body))


def normalise(typed: str) -> str | None:
    """The code as typed, cleaned (case, dashes, spaces, O→0, I/L→1), or ``None`` if its check
    character does not match.

    >>> normalise("pwpg w9v1 p1a"), normalise("PWPG-W9V1-P1B")
    ('PWPGW9V1P1A', None)
    """
    text = (
        typed.upper()
        .replace("-", "")
        .replace(" ", "")
        .replace("O", "0")
        .replace("I", "1")
        .replace("L", "1")
    )
    if len(text) != 11 or any(c not in ALPHABET for c in text[:10]) or text[10] not in CHECK:
        return None
    return text if _check_symbol(text[:10]) == text[10] else None


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    LATE = "late"
    OUT_OF_SAMPLE = "out_of_sample"
    INVALID_CODE = "invalid_code"


REASONS: Mapping[Verdict, str] = {
    Verdict.INVALID_CODE: "'{code}' is not a ballot code (check character)",
    Verdict.OUT_OF_SAMPLE: "code {code} was not issued in this survey",
    Verdict.LATE: "received {received}, after the close",
    Verdict.DUPLICATE: "code {code} has already been counted",
}
"""Why a submission is kept aside, in English with its parameters (``Triaged.params``); the
server shows the same sentence from its translated catalogue."""


@dataclass(frozen=True)
class Submission:
    code: str
    received_at: datetime
    channel: str
    """``web``, ``paper``, ``odk``, ``kobo``, ``csv`` …"""
    answers: Mapping[str, str]


@dataclass(frozen=True)
class Triaged:
    submission: Submission
    verdict: Verdict
    reason: str
    unit: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    """The values the reason names (``code``, ``received``)."""


def _aside(
    submission: Submission, verdict: Verdict, unit: str | None = None, **params: str
) -> Triaged:
    return Triaged(submission, verdict, REASONS[verdict].format(**params), unit, params)


def triage(
    submissions: Iterable[Submission],
    issued: Mapping[str, str],
    closes_at: datetime,
    already_used: Sequence[str] = (),
) -> tuple[Triaged, ...]:
    """Sort submissions (oldest first) into the one counted per code and the ones kept aside.

    ``issued`` maps each normalised code to its sampled unit; ``already_used`` holds codes
    counted in earlier imports, so re-importing a file counts nothing twice.
    """
    used = set(already_used)
    results = []
    for submission in sorted(submissions, key=lambda s: s.received_at):
        code = normalise(submission.code)
        if code is None:
            results.append(_aside(submission, Verdict.INVALID_CODE, code=submission.code))
        elif code not in issued:
            results.append(_aside(submission, Verdict.OUT_OF_SAMPLE, code=code))
        elif submission.received_at > closes_at:
            received = f"{submission.received_at:%d/%m/%Y %H:%M}"
            results.append(_aside(submission, Verdict.LATE, issued[code], received=received))
        elif code in used:
            results.append(_aside(submission, Verdict.DUPLICATE, issued[code], code=code))
        else:
            used.add(code)
            results.append(Triaged(submission, Verdict.ACCEPTED, "", issued[code]))
    return tuple(results)


@dataclass(frozen=True)
class Mismatch:
    question: str
    first: str
    second: str


def double_entry(first: Mapping[str, str], second: Mapping[str, str]) -> tuple[Mismatch, ...]:
    """Where two clerks' entries of one paper form disagree (blank and absent are the same).

    >>> double_entry({"q1": "4", "q2": "5"}, {"q1": "4", "q2": "3", "q3": ""})
    (Mismatch(question='q2', first='5', second='3'),)
    """
    questions = sorted(set(first) | set(second))
    return tuple(
        Mismatch(q, first.get(q, "").strip(), second.get(q, "").strip())
        for q in questions
        if first.get(q, "").strip() != second.get(q, "").strip()
    )
