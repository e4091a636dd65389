"""Decision 766 groups, capped-ratio points and grades against hand-worked examples and the
published group maxima and example scores."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest

from parindex.core.methodology.rules.base import Ratio
from parindex.core.methodology.shipped import load_shipped
from parindex.core.onestop import (
    Dossier,
    WorkingCalendar,
    dossier_rates,
    feedback_rates,
    grade_of,
    score,
)

GOLDEN = Path(__file__).parents[2] / "golden" / "onestop"
EDITION = load_shipped("decision-766/2022").value
assert EDITION is not None


def golden(name: str) -> list[dict[str, str]]:
    with (GOLDEN / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def test_the_group_maxima_are_the_published_ones() -> None:
    published = {
        row["group_no"]: float(row["max_points"]) for row in golden("decision766_groups.csv")
    }
    shipped = {field.id: field.max_points for field in EDITION.fields}
    assert shipped == published
    assert sum(published.values()) == 100


GRADE_CODES = {"xuat sac": "xuat-sac", "tot": "tot"}
"""The published grade names, as the table spells them, and the edition's codes."""


@pytest.mark.parametrize(
    "row",
    [row for row in golden("decision766_example_scores.csv") if row["grade"]],
    ids=lambda row: row["unit"],
)
def test_published_totals_get_their_published_grade(row: dict[str, str]) -> None:
    (expected,) = [code for name, code in GRADE_CODES.items() if row["grade"].startswith(name)]
    assert grade_of(EDITION, float(row["total_of_100"])) == expected


def test_son_la_components_sum_to_83_63_not_the_printed_86_94() -> None:
    (son_la,) = [
        row for row in golden("decision766_example_scores.csv") if row["unit"] == "Son La province"
    ]
    parts = [float(son_la[key]) for key in son_la if key.startswith("g") and "_of_" in key]
    assert round(sum(parts), 2) == 83.63
    assert float(son_la["total_of_100"]) == 86.94
    # Both land in the same illustrative band, so the anomaly does not change the grade here.
    assert grade_of(EDITION, 83.63) == grade_of(EDITION, 86.94) == "tot"


CAL = WorkingCalendar()


def dossier(code: str, procedure: str, finished: int | None, **facts: object) -> Dossier:
    """Received Mon 6 May 2024, appointment Fri 10 May, finished on the day of May given."""
    end = datetime(2024, 5, finished, 10) if finished else None
    return Dossier(
        code, procedure, "U", datetime(2024, 5, 6, 8), datetime(2024, 5, 10, 16), end, **facts
    )  # type: ignore[arg-type]


def test_a_unit_scored_by_hand() -> None:
    # 10 dossiers over 2 procedures (P1 with a fee, P2 without):
    #   on time: 8 (two finished on 13 May, after the appointment) → 2.1 = 8/10 → 20 × 0.8 = 16.00
    #   online: 4 dossiers, all of P1 → 3.1 = 1 of 2 procedures = 0.5; threshold 0.8 → 12 × 0.625 = 7.50
    #   P1 fee paid online at least once → 3.5 = 1/1 → 10.00
    #   digitised: 6/10 = 0.6; threshold 0.8 → 8 × 0.75 = 6.00
    #   flagged (complaint or dislike): 1 → 5.4 = 1 − 2/10 − 1/10 = 0.7; threshold 0.9 → 6 × 0.7/0.9 = 4.67
    # Feedback: 4 items, all classified (5.1 → 5), 3 on time (5.2 → 5 × 0.75 = 3.75), 1 unsatisfied
    #   (5.3 → 2 × 0.75 = 1.50)
    # Total 16 + 7.5 + 10 + 6 + 4.67 + 5 + 3.75 + 1.5 = 54.42. Group 1 and 4.1, 4.3 have no data
    # source; the indicators with data are worth 2.1 20 + 3.1 12 + 3.5 10 + 4.2 8 + 5.1 5 + 5.2 5
    # + 5.3 2 + 5.4 6 = 68 points.
    # Scaled: 54.42 × 100 / 68 = 80.03 → "tốt" (illustrative band 80–< 90).
    dossiers = [
        dossier("D1", "P1", 9, online=True, paid_online=True, digitised=True),
        dossier("D2", "P1", 9, online=True, paid_online=False, digitised=True),
        dossier("D3", "P1", 10, online=True, paid_online=True, digitised=True),
        dossier("D4", "P1", 10, online=True, paid_online=False, digitised=True),
        dossier("D5", "P1", 13, paid_online=False, digitised=True),
        dossier("D6", "P2", 13, digitised=True),
        dossier("D7", "P2", 8),
        dossier("D8", "P2", 8),
        dossier("D9", "P2", 7),
        dossier("D10", "P2", 7),
    ]
    rates = dossier_rates(dossiers, CAL, date(2024, 5, 31), flagged={"D7"})
    rates.update(feedback_rates(total=4, classified=4, on_time=3, unsatisfied=1))
    result = score(EDITION, rates)
    assert result.points == {
        "1.1": None,
        "1.2": None,
        "1.3": None,
        "1.4": None,
        "2.1": 16.0,
        "3.1": 7.5,
        "3.5": 10.0,
        "4.1": None,
        "4.2": 6.0,
        "4.3": None,
        "5.1": 5.0,
        "5.2": 3.75,
        "5.3": 1.5,
        "5.4": 4.67,
    }
    assert result.groups == {"1": 0.0, "2": 16.0, "3": 17.5, "4": 6.0, "5": 14.92}
    assert result.total == 54.42
    assert result.max_available == 68.0
    assert result.scaled == 80.03
    assert result.grade == "tot"
    assert result.missing == ("1.1", "1.2", "1.3", "1.4", "4.1", "4.3")


def test_an_open_dossier_past_its_due_day_counts_as_overdue() -> None:
    rates = dossier_rates([dossier("D1", "P", None)], CAL, as_of=date(2024, 5, 13))
    assert rates["2.1"] == Ratio(0, 1)
    rates = dossier_rates([dossier("D1", "P", None)], CAL, as_of=date(2024, 5, 10))
    assert rates["2.1"] == Ratio(1, 1)


def test_a_period_without_feedback_earns_the_feedback_points() -> None:
    result = score(EDITION, feedback_rates(0, 0, 0, 0))
    assert (result.points["5.1"], result.points["5.2"], result.points["5.3"]) == (5.0, 5.0, 2.0)
