"""Synthetic counter ratings, fast (numpy, columnar), for the demo, tests and benchmarks.

Each unit has its own level of service; ratings of a unit scatter around it, so aggregates differ
between units the way a dashboard expects. Reproducible from the seed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa


def generate_ratings(
    count: int,
    units: Sequence[int],
    start: datetime,
    days: int = 365,
    procedures: int = 40,
    seed: int = 16,
    officers_per_unit: int = 6,
) -> pa.Table:
    """``count`` ratings spread over ``days`` from ``start`` across ``units`` (unit ids)."""
    rng = np.random.default_rng(seed)
    unit_ids = np.asarray(units, dtype=np.int64)
    unit_pick = rng.integers(0, len(unit_ids), count)
    quality = rng.uniform(0.45, 0.9, len(unit_ids))[unit_pick]
    # Satisfaction 1–5: a binomial around the unit's quality, shifted to start at 1.
    satisfaction = (rng.binomial(4, quality) + 1).astype(np.int8)

    def index_points() -> np.ndarray:
        points = rng.binomial(2, quality).astype(np.int8)
        return np.where(rng.random(count) < 0.1, -1, points)  # ~10 % not answered

    seconds = rng.integers(0, days * 86400, count)
    moments = np.datetime64(start.replace(tzinfo=None), "s") + seconds.astype("timedelta64[s]")
    month_numbers = moments.astype("datetime64[M]").astype(np.int64)
    first_month = int(month_numbers.min())
    month_names = pa.array(
        np.datetime_as_string(
            np.arange(first_month, int(month_numbers.max()) + 1).astype("datetime64[M]"), unit="M"
        )
    )
    officer = unit_pick * officers_per_unit + rng.integers(0, officers_per_unit, count)
    officer_names = pa.array([f"{u}-cb{k}" for u in unit_ids for k in range(officers_per_unit)])
    procedure_codes = pa.array([f"1.{k:03d}" for k in range(procedures)])
    # Client ids: 32 hex digits from the generator's bytes, formatted in C rather than in Python.
    hex_ids = np.frombuffer(rng.bytes(16 * count).hex().encode(), dtype="S32")
    columns = {
        "client_id": pa.array(hex_ids).cast(pa.string()),
        "unit": pa.array(unit_ids[unit_pick]),
        "month": month_names.take(pa.array(month_numbers - first_month)),
        "submitted_at": pa.array(moments),
        "channel": pa.DictionaryArray.from_arrays(
            pa.array((rng.random(count) >= 0.8).astype(np.int8)), pa.array(["device", "online"])
        ).cast(pa.string()),
        "procedure": procedure_codes.take(pa.array(rng.integers(0, procedures, count))),
        "officer": officer_names.take(pa.array(officer)),
    }
    for name in ("index1", "index3", "index4", "index7"):
        points = index_points()
        columns[name] = pa.array(points, mask=points < 0)
    columns["satisfaction"] = pa.array(satisfaction)
    columns["burst"] = pa.array(np.zeros(count, dtype=bool))
    return pa.table(columns)


def months_between(start: datetime, days: int) -> list[str]:
    end = start + timedelta(days=days)
    months = []
    cursor = start.replace(day=1)
    while cursor < end:
        months.append(cursor.strftime("%Y-%m"))
        cursor = (cursor + timedelta(days=32)).replace(day=1)
    return months
