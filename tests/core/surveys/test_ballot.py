"""Ballot codes and the triage of what comes back: each code counts once, the rest is kept aside."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from parindex.core.surveys.ballot import (
    ALPHABET,
    Submission,
    Verdict,
    ballot_code,
    double_entry,
    normalise,
    triage,
)

KEY = b"khoa-bi-mat-cua-cuoc-khao-sat"
CLOSE = datetime(2026, 9, 30, 17, 0)


def codes(count: int = 200) -> list[str]:
    return [ballot_code(KEY, "sipas-2026", i) for i in range(count)]


def test_codes_are_reproducible_from_the_key_distinct_and_unguessable_without_it() -> None:
    first, again = codes(), codes()
    assert first == again
    assert len(set(first)) == len(first)
    assert codes(5) != [ballot_code(b"another key", "sipas-2026", i) for i in range(5)]
    assert all(len(c) == 13 and c[4] == c[9] == "-" for c in first)


@pytest.mark.parametrize("position", range(0, 200, 17))
def test_every_single_typo_and_adjacent_swap_is_caught(position: int) -> None:
    code = normalise(codes()[position])
    assert code is not None
    for i in range(10):
        for replacement in ALPHABET:
            if replacement != code[i]:
                assert normalise(code[:i] + replacement + code[i + 1 :]) is None
        if i < 9 and code[i] != code[i + 1]:
            assert normalise(code[:i] + code[i + 1] + code[i] + code[i + 2 :]) is None


def test_lenient_typing_is_accepted() -> None:
    code = codes()[3]
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalise(typed) == code.replace("-", "")


def submission(code: str, hours_before_close: float, channel: str = "web") -> Submission:
    return Submission(code, CLOSE - timedelta(hours=hours_before_close), channel, {"q9_15": "4"})


def test_each_code_counts_once_and_the_rest_is_kept_aside_with_the_reason() -> None:
    issued = {normalise(c): f"household-{i}" for i, c in enumerate(codes(10))}
    valid = codes(10)
    arrivals = [
        submission(valid[0], 48),
        submission(valid[0], 24, "paper"),  # the same household again
        submission(valid[1], -2),  # after the close
        submission(ballot_code(KEY, "sipas-2026", 999), 5),  # a real code, not of this sample
        submission("ABCD-EFGH-JKM", 5),  # not a code at all
        submission(valid[2], 1, "kobo"),
    ]
    results = triage(arrivals, issued, CLOSE)
    verdicts = [(r.verdict, r.unit) for r in results]
    assert verdicts == [
        (Verdict.ACCEPTED, "household-0"),
        (Verdict.DUPLICATE, "household-0"),
        (Verdict.OUT_OF_SAMPLE, None),  # same hour as the next: kept in arrival order
        (Verdict.INVALID_CODE, None),
        (Verdict.ACCEPTED, "household-2"),
        (Verdict.LATE, "household-1"),
    ], "oldest first: the late arrival comes last"
    late = next(r for r in results if r.verdict is Verdict.LATE)
    assert "after the close" in late.reason and "30/09/2026 19:00" in late.reason
    assert sum(r.verdict is Verdict.ACCEPTED for r in results) == 2


def test_a_reimported_file_counts_nothing_twice() -> None:
    issued = {normalise(c): f"household-{i}" for i, c in enumerate(codes(3))}
    batch = [submission(c, 10) for c in codes(3)]
    first = triage(batch, issued, CLOSE)
    counted = [normalise(r.submission.code) for r in first if r.verdict is Verdict.ACCEPTED]
    again = triage(batch, issued, CLOSE, already_used=[c for c in counted if c])
    assert {r.verdict for r in again} == {Verdict.DUPLICATE}


def test_double_entry_lists_every_disagreement() -> None:
    clerk_a = {"gender": "f", "age": "47", "q9_15": "4", "q9_16": "5"}
    clerk_b = {"gender": "f", "age": "41", "q9_15": "4", "q9_16": ""}
    assert [(m.question, m.first, m.second) for m in double_entry(clerk_a, clerk_b)] == [
        ("age", "47", "41"),
        ("q9_16", "5", ""),
    ]
    assert double_entry(clerk_a, dict(clerk_a)) == ()
