"""Point tables and survey draws built for the uncertainty, sensitivity and planner tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from parindex.core.methodology import Edition
from parindex.core.scoring import PointsRow, PointsTable, points_from_rows
from parindex.core.scoring.matrices import layout_of
from parindex.core.scoring.uncertainty import DECLARED, SurveyDraws
from tests.core.scoring.helpers import tiny_edition


def random_table(
    edition: Edition, units: int, seed: int, na_share: float = 0.0, quarters: bool = True
) -> PointsTable:
    """``units`` units with points in quarters of each maximum, some flagged not applicable."""
    rng = np.random.default_rng(seed)
    layout = layout_of(edition)
    rows = []
    for u in range(units):
        shares = rng.integers(2, 5, size=len(layout.node_ids)) / 4
        if not quarters:
            shares = rng.uniform(0.5, 1.0, size=len(layout.node_ids))
        flags = rng.random(len(layout.node_ids)) < na_share
        for j, node in enumerate(layout.node_ids):
            points = "" if flags[j] else repr(float(layout.max_points[j] * shares[j]))
            rows.append(PointsRow(len(rows) + 2, f"U{u:02d}", node, points, bool(flags[j])))
    report = points_from_rows(edition, rows)
    assert report.value is not None, str(report)
    return report.value


def points_table(edition: Edition, units: dict[str, dict[str, float | None]]) -> PointsTable:
    rows = [
        PointsRow(0, unit, node, "" if p is None else repr(p), p is None)
        for unit, nodes in units.items()
        for node, p in nodes.items()
    ]
    rows = [
        PointsRow(i + 2, r.unit, r.component, r.points, r.not_applicable)
        for i, r in enumerate(rows)
    ]
    report = points_from_rows(edition, rows)
    assert report.value is not None, str(report)
    return report.value


def draws_for(
    table: PointsTable, node_draws: dict[tuple[str, str], np.ndarray], replicates: int
) -> SurveyDraws:
    """Replicate points of some (unit, node) cells; every other cell is not drawn (NaN)."""
    array = np.full((replicates, len(table.units), len(table.layout.node_ids)), np.nan)
    index = table.layout.node_index
    for (unit, node), values in node_draws.items():
        array[:, table.units.index(unit), index[node]] = values
    return SurveyDraws({DECLARED: array})


def uncertain_tiny(**uncertainty: Any) -> Edition:
    """The hand-worked two-field edition (fields of 10 points) with declared choices."""
    return tiny_edition(uncertainty=uncertainty) if uncertainty else tiny_edition()


def uneven_edition(**uncertainty: Any) -> Edition:
    """Field 1 of 4 points (one component), field 2 of 16 (two of 8): equal field weights
    change who leads."""

    def comp(cid: str, points: float) -> dict[str, Any]:
        return {"id": cid, "name_vi": f"thành phần {cid}", "max_points": points}

    header: dict[str, Any] = {
        "id": "uneven/2024",
        "title_vi": "Bộ chỉ số lệch",
        "valid_years": {"first": 2024},
        "status": "illustrative",
        "unit_kinds": ["province"],
        "total_points": 20,
        "grading": {
            "bands": [{"code": "A", "min": 90}, {"code": "B", "min": 70}, {"code": "C", "min": 0}]
        },
        "fields": [
            {
                "id": "1",
                "name_vi": "Chỉ đạo",
                "max_points": 4,
                "criteria": [
                    {
                        "id": "1.1",
                        "name_vi": "Kế hoạch",
                        "max_points": 4,
                        "components": [comp("1.1.1", 4)],
                    }
                ],
            },
            {
                "id": "2",
                "name_vi": "Thủ tục",
                "max_points": 16,
                "criteria": [
                    {
                        "id": "2.1",
                        "name_vi": "Giải quyết",
                        "max_points": 16,
                        "components": [comp("2.1.1", 8), comp("2.1.2", 8)],
                    }
                ],
            },
        ],
    }
    if uncertainty:
        header["uncertainty"] = uncertainty
    return Edition.model_validate(header)
