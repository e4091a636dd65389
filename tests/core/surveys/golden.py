"""The R reference data of tests/golden/survey/, read as R wrote them (text, "NA" for missing)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden" / "survey"
TOLERANCE = 1e-9
"""Relative agreement required with R's ``survey`` package."""


def table(name: str) -> dict[str, np.ndarray]:
    with (GOLDEN / f"{name}.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {column: np.array([row[column] for row in rows], dtype=object) for column in rows[0]}


def numbers(column: np.ndarray) -> np.ndarray:
    return np.array([np.nan if v in ("", "NA") else float(v) for v in column])
