"""Small editions and point tables written out by hand for the scoring tests."""

from __future__ import annotations

from typing import Any

from parindex.core.methodology import Edition
from parindex.core.scoring import PointsRow, PointsTable, points_from_rows
from parindex.core.units import UnitKind

GRADES = {
    "bands": [
        {"code": "A", "min": 90},
        {"code": "B", "min": 80},
        {"code": "C", "min": 70},
        {"code": "D", "min": 0},
    ]
}


def tiny_edition(**header: Any) -> Edition:
    """Two fields of 10 points: 1.1.1 (4) + 1.1.2 (6); 2.1.1 (5) + 2.1.2 (5)."""

    def comp(cid: str, points: float) -> dict[str, Any]:
        return {"id": cid, "name_vi": f"thành phần {cid}", "max_points": points}

    return Edition.model_validate(
        {
            "id": "tiny/2024",
            "title_vi": "Bộ chỉ số nhỏ",
            "valid_years": {"first": 2024},
            "status": "illustrative",
            "unit_kinds": ["province"],
            "total_points": 20,
            "bonus_cap": 1,
            "penalty_cap": 2,
            "grading": GRADES,
            "fields": [
                {
                    "id": "1",
                    "name_vi": "Chỉ đạo",
                    "max_points": 10,
                    "criteria": [
                        {
                            "id": "1.1",
                            "name_vi": "Kế hoạch",
                            "max_points": 10,
                            "components": [comp("1.1.1", 4), comp("1.1.2", 6)],
                        }
                    ],
                },
                {
                    "id": "2",
                    "name_vi": "Thủ tục",
                    "max_points": 10,
                    "criteria": [
                        {
                            "id": "2.1",
                            "name_vi": "Giải quyết",
                            "max_points": 10,
                            "components": [comp("2.1.1", 5), comp("2.1.2", 5)],
                        }
                    ],
                },
            ],
        }
        | header
    )


def table(
    edition: Edition,
    units: dict[str, dict[str, float | str | None]],
    kinds: dict[str, UnitKind] | None = None,
) -> PointsTable:
    """``units`` maps unit → component → points (``None``: not applicable; ``_bonus``/``_penalty``)."""
    rows = []
    for unit, components in units.items():
        for component, points in components.items():
            rows.append(
                PointsRow(
                    len(rows) + 2,
                    unit,
                    component,
                    "" if points is None else str(points),
                    points is None,
                )
            )
    report = points_from_rows(edition, rows, unit_kinds=kinds)
    assert report.value is not None, str(report)
    return report.value
