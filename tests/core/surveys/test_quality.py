"""Data-quality flags on counted responses."""

from __future__ import annotations

from parindex.core.surveys.quality import Flag, Thresholds, flags

ITEMS = [f"q{k}" for k in range(12)]


def grid(values: list[str]) -> dict[str, str]:
    return dict(zip(ITEMS, values, strict=True))


def test_each_flag_catches_its_case_and_only_it() -> None:
    varied = grid(list("454434454544"))
    same = grid(["4"] * 12)
    fast = {
        **varied,
        "q0": "5",
        "start": "2026-08-01T09:00:00+07:00",
        "end": "2026-08-01T09:00:20+07:00",
    }
    slow = {
        **varied,
        "q0": "3",
        "start": "2026-08-01T09:00:00+07:00",
        "end": "2026-08-01T09:05:00+07:00",
    }
    copied = grid(list("545434454544"))
    result = flags(
        [varied, same, fast, slow, copied, copied, copied],
        ["v1", "v1", "v1", "v1", "v2", "v2", "v3"],
        ITEMS,
    )
    assert result[0] == set()
    assert result[1] == {Flag.STRAIGHT_LINING}
    assert result[2] == {Flag.TOO_FAST}, "12 answers in 20 s is under 2 s a question"
    assert result[3] == set(), "12 answers in 5 minutes is plausible"
    assert result[4] == result[5] == {Flag.IDENTICAL}
    assert result[6] == set(), "the same answers in another village are a coincidence, not a copy"


def test_a_short_grid_is_not_straight_lining() -> None:
    few = {"q0": "5", "q1": "5", "q2": "5"}
    assert flags([few], ["v"], ITEMS) == [set()]
    assert flags([few], ["v"], ITEMS, Thresholds(min_items=3)) == [{Flag.STRAIGHT_LINING}]
