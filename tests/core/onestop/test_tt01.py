"""Circular 01/2018 indices, totals and bands against hand-worked examples and the codified bands."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from parindex.core.methodology.shipped import load_shipped
from parindex.core.onestop import (
    Dossier,
    Supplementation,
    WorkingCalendar,
    dossier_scores,
    index1_from_times,
    officer_result,
    unit_result,
)

GOLDEN = Path(__file__).parents[2] / "golden" / "onestop"
EDITION = load_shipped("circular-01-2018/2018").value
assert EDITION is not None

CLASSIFICATION_CODES = {
    "xuat sac": "xuat-sac",
    "tot": "tot",
    "kha": "kha",
    "trung binh": "trung-binh",
    "yeu": "yeu",
    "hoan thanh 100% nhiem vu": "100",
    "hoan thanh 70-<100% nhiem vu": "70-100",
    "hoan thanh <70% nhiem vu": "under-70",
}


def published_bands() -> list[tuple[str, float | None, float | None, str]]:
    """(subject, lower bound or None, upper bound or None, classification) from the golden table."""
    with (GOLDEN / "tt01_2018_vpcp_classification.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    bands = []
    subject = ""
    for row in rows:
        subject = "officer" if row["subject"].startswith("civil") else "unit"
        text = row["band"]
        if text.startswith(">="):
            low, high = float(text[2:]), None
        elif text.startswith("<"):
            low, high = None, float(text[1:])
        else:
            left, right = text.split("-<")
            low, high = float(left), float(right)
        bands.append((subject, low, high, CLASSIFICATION_CODES[row["classification"]]))
    return bands


def scores_totalling(total: float, indices: tuple[int, ...]) -> list[dict[int, int]]:
    """Ten dossiers whose index means add up to ``total`` (a multiple of 0.1): points spread over
    the indices so that each index mean is a whole number of tenths."""
    tenths = round(total * 10)
    dossiers: list[dict[int, int]] = [dict.fromkeys(indices, 0) for _ in range(10)]
    for index in indices:
        for dossier in dossiers:
            for _ in range(2):
                if tenths:
                    dossier[index] += 1
                    tenths -= 1
    assert tenths == 0, f"{total} is more than {len(indices) * 2}"
    return dossiers


@pytest.mark.parametrize(
    ("subject", "low", "high", "code"),
    published_bands(),
    ids=lambda v: str(v) if v is not None else "-",
)
def test_the_published_bands_classify_their_edges(
    subject: str, low: float | None, high: float | None, code: str
) -> None:
    for total in (t for t in (low, None if high is None else high - 0.1) if t is not None):
        if subject == "unit":
            dossiers = scores_totalling(min(total, 18.0), (1, 2, 3, 4, 5, 6, 7, 8, 9))
            result = unit_result(EDITION, dossiers, {})
        else:
            dossiers = scores_totalling(total, (1, 2, 3, 4, 7))
            result = officer_result(EDITION, dossiers)
        assert result.total == pytest.approx(total)
        assert result.band == code, f"{subject} total {total}"


def test_a_unit_index_is_the_dossier_mean_rounded_half_up_to_one_decimal() -> None:
    # Index 3 over 4 dossiers: 2 + 2 + 1 + 2 = 7 → 7 ÷ 4 = 1.75 → 1.8 (half up, not 1.7 or 1.8 by luck
    # of binary floats). Index 7: 2 + 1 + 1 + 1 = 5 → 1.25 → 1.3. Index 1: 2 + 2 + 2 + 0 = 6 → 1.5.
    # Indices 2, 4, 6: all 2. Unit values: 5 → 2, 8 → 1, 9 → 1.
    # Total = 1.5 + 2 + 1.8 + 2 + 2 + 2 + 1.3 + 1 + 1 = 14.6 → "tốt" (12–< 15).
    dossiers = [
        {1: 2, 2: 2, 3: 2, 4: 2, 6: 2, 7: 2},
        {1: 2, 2: 2, 3: 2, 4: 2, 6: 2, 7: 1},
        {1: 2, 2: 2, 3: 1, 4: 2, 6: 2, 7: 1},
        {1: 0, 2: 2, 3: 2, 4: 2, 6: 2, 7: 1},
    ]
    result = unit_result(EDITION, dossiers, {5: 2, 8: 1, 9: 1})
    assert result.indices == {
        1: 1.5,
        2: 2.0,
        3: 1.8,
        4: 2.0,
        5: 2.0,
        6: 2.0,
        7: 1.3,
        8: 1.0,
        9: 1.0,
    }
    assert result.total == 14.6
    assert result.band == "tot"
    assert result.missing == ()
    # The officer's indices 1, 2, 3, 4, 7: 1.5 + 2 + 1.8 + 2 + 1.3 = 8.6 of 10 → completes 100 %.
    officer = officer_result(EDITION, dossiers)
    assert officer.total == 8.6
    assert officer.band == "100"


def test_an_index_nobody_rated_is_missing_not_zero() -> None:
    result = unit_result(EDITION, [{1: 2, 3: 2}], {})
    assert result.missing == (2, 4, 5, 6, 7, 8, 9)
    assert result.total == 4.0


@pytest.mark.parametrize("points", [3, -1])
def test_points_outside_2_1_0_are_refused(points: int) -> None:
    with pytest.raises(ValueError, match="scored 2, 1 or 0"):
        unit_result(EDITION, [{3: points}], {})


CAL = WorkingCalendar()


@pytest.mark.parametrize(
    ("finished", "supplementation", "expected"),
    [
        (datetime(2024, 5, 9, 15), None, 2),
        (datetime(2024, 5, 10, 17), None, 1),
        (datetime(2024, 5, 13, 8), None, 0),
        # Back with the applicant Mon 13 → Wed 15 May: two working days added, due Tue 14 May.
        (datetime(2024, 5, 14, 8), Supplementation(date(2024, 5, 13), date(2024, 5, 15)), 1),
        (None, None, None),
    ],
    ids=[
        "finished the day before the appointment scores 2",
        "finished on the appointment day scores 1",
        "finished after it scores 0",
        "supplementation time does not count against the unit",
        "an open dossier has no index 1 yet",
    ],
)
def test_index_1_from_the_systems_times(
    finished: datetime | None, supplementation: Supplementation | None, expected: int | None
) -> None:
    dossier = Dossier(
        "HS-1",
        "1.001",
        "U",
        datetime(2024, 5, 6, 8),
        datetime(2024, 5, 10, 16),
        finished,
        supplementations=(supplementation,) if supplementation else (),
    )
    assert index1_from_times(dossier, CAL) == expected


def test_the_systems_times_override_a_citizens_index_1() -> None:
    dossier = Dossier(
        "HS-1", "1.001", "U", datetime(2024, 5, 6), datetime(2024, 5, 10), datetime(2024, 5, 13)
    )
    assert dossier_scores(dossier, {1: 2, 3: 2, 7: 1}, CAL) == {1: 0, 3: 2, 7: 1}
