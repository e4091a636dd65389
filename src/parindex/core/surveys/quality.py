"""Data-quality flags for counted responses: the checks a survey manager runs before trusting
a batch. Flags are for review; nothing flagged is dropped automatically.

- straight-lining: the same answer to every item of a long grid (≥ ``min_items`` answered);
- impossible timing: fewer seconds per answered question than anyone can read and answer in
  (needs ``start``/``end`` times, as Kobo, ODK and the web form record them);
- identical answers: the same full set of answers as another household of the same village,
  the mark of a ballot copied by an interviewer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

META = frozenset({"start", "end"})


class Flag(StrEnum):
    STRAIGHT_LINING = "straight_lining"
    TOO_FAST = "too_fast"
    IDENTICAL = "identical"


@dataclass(frozen=True)
class Thresholds:
    min_items: int = 10
    seconds_per_question: float = 2.0


DEFAULT_THRESHOLDS = Thresholds()


def straight_lined(answers: Mapping[str, str], items: Sequence[str], min_items: int) -> bool:
    """The same answer to every item of the grid, with at least ``min_items`` answered.

    >>> straight_lined({"a": "4", "b": "4", "c": "4"}, ["a", "b", "c"], 3)
    True
    >>> straight_lined({"a": "4", "b": "5", "c": "4"}, ["a", "b", "c"], 3)
    False
    """
    given = [answers[item] for item in items if answers.get(item)]
    return len(given) >= min_items and len(set(given)) == 1


def seconds_taken(answers: Mapping[str, str]) -> float | None:
    """From the ``start`` and ``end`` metadata; ``None`` when either is missing or unreadable.

    >>> seconds_taken({"start": "2026-08-01T09:00:00+07:00", "end": "2026-08-01T09:01:30+07:00"})
    90.0
    """
    try:
        start = datetime.fromisoformat(answers["start"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(answers["end"].replace("Z", "+00:00"))
        return (end - start).total_seconds()
    except (KeyError, ValueError, TypeError):
        return None


def flags(
    responses: Sequence[Mapping[str, str]],
    clusters: Sequence[str],
    items: Sequence[str],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[set[Flag]]:
    """Each response's flags. ``clusters`` names each response's last cluster (the village)
    and ``items`` the grid of scored questions checked for straight-lining."""
    result: list[set[Flag]] = [set() for _ in responses]
    seen: dict[tuple[str, tuple[tuple[str, str], ...]], list[int]] = defaultdict(list)
    for k, answers in enumerate(responses):
        if straight_lined(answers, items, thresholds.min_items):
            result[k].add(Flag.STRAIGHT_LINING)
        answered = sum(1 for name, value in answers.items() if value and name not in META)
        seconds = seconds_taken(answers)
        if seconds is not None and seconds < thresholds.seconds_per_question * answered:
            result[k].add(Flag.TOO_FAST)
        content = tuple(sorted((n, v) for n, v in answers.items() if n not in META and v))
        if len(content) >= thresholds.min_items:
            seen[(clusters[k], content)].append(k)
    for members in seen.values():
        if len(members) > 1:
            for k in members:
                result[k].add(Flag.IDENTICAL)
    return result
