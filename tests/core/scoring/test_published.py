"""Golden checks against published PAR INDEX figures (copied into tests/golden/published with
their sources), where the partial tables allow: ranks, group counts that the ranks pin down, a
published year-on-year change."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from parindex.core.methodology import load_shipped
from parindex.core.scoring import PreviousResult, competition_ranks, compute
from parindex.core.scoring.grading import grade

PUBLISHED = Path(__file__).resolve().parents[2] / "golden" / "published"


def published(year: int) -> list[dict[str, str]]:
    with (PUBLISHED / f"par_index_{year}_provinces.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def summary(year: int) -> dict[str, str]:
    with (PUBLISHED / "par_index_summary_by_year.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        (row,) = [
            r
            for r in rows
            if r["year"] == str(year) and r["level"] == "provinces" and r["n_group_A_ge90"]
        ]
        return row


@pytest.mark.parametrize("year", [2019, 2021, 2022, 2023])
def test_competition_ranking_of_the_published_scores_keeps_the_published_order(year: int) -> None:
    rows = [r for r in published(year) if r["score_pct"] and r["rank"]]
    values = np.array([float(r["score_pct"]) for r in rows])
    ours, _ = competition_ranks(values, ("all",) * len(rows), np.ones(len(rows), dtype=bool))
    theirs = [int(r["rank"]) for r in rows]
    assert sorted(range(len(rows)), key=lambda i: ours[i]) == sorted(
        range(len(rows)), key=lambda i: theirs[i]
    )


@pytest.mark.parametrize("year", [2021, 2022])
def test_the_number_in_group_a_follows_from_the_published_ranks(year: int) -> None:
    """If ranks 1…k score ≥ 90 and rank k+1 scores < 90, exactly k provinces are in group A."""
    edition = load_shipped("par-index-province/2023").value
    assert edition is not None
    ranked = sorted(
        (int(r["rank"]), float(r["score_pct"]))
        for r in published(year)
        if r["rank"] and r["score_pct"]
    )
    consecutive = [
        score for position, (rank, score) in enumerate(ranked, start=1) if rank == position
    ]
    groups = grade(edition.grading, np.array(consecutive))
    first_not_a = groups.index("B")
    assert all(g == "A" for g in groups[:first_not_a])
    assert first_not_a == int(summary(year)["n_group_A_ge90"])


def test_hai_phong_2024_change_is_the_published_plus_4_30() -> None:
    """Hải Phòng: 91.87 % in 2023, 96.17 % in 2024, published as +4.30."""
    from parindex.core.scoring import year_on_year
    from tests.core.scoring.helpers import table, tiny_edition

    before = {r["unit"]: float(r["score_pct"]) for r in published(2023) if r["score_pct"]}[
        "Hải Phòng"
    ]
    now = {r["unit"]: r for r in published(2024)}["Hải Phòng"]
    # The tiny edition has 20 points: 96.17 % is 19.234 points, 15 on the first three components.
    points = float(now["score_pct"]) / 100 * 20
    units = {"Hải Phòng": {"1.1.1": 4, "1.1.2": 6, "2.1.1": 5, "2.1.2": round(points - 15, 6)}}
    scores = compute(table(tiny_edition(), units))
    assert scores.result("Hải Phòng").index_pct == float(now["score_pct"])
    (change,) = year_on_year(scores, {"Hải Phòng": PreviousResult("Hải Phòng", before, 2)})
    assert change.index.delta_pct == float(now["change_vs_prev_pct_points"])
    assert change.index.delta_rank == 2 - 1
