"""The sample draw over a large frame: 63 strata (provinces) × 3 cluster stages (district,
commune, village) then households; target under 10 s for 100,000 rows.

Reference, in the same run: the former per-stratum scan (tests/core/surveys/test_frame_checks.py
keeps it), which grows with rows × strata; it is timed on a smaller frame unless --full.

    uv run python benchmarks/frame_draw.py [--rows 100000] [--full]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.core.surveys.test_frame_checks import scan_draw

from parindex.core.surveys.frame import StageSpec, check_frame, draw
from parindex.core.tabular import read_table

STAGES = [StageSpec("huyen", 2), StageSpec("xa", 3, "pps"), StageSpec("thon", 2)]


def frame_csv(rows: int, strata: int = 63) -> bytes:
    """``rows`` households spread over 63 provinces × 4 districts × 5 communes × 4 villages."""
    rng = np.random.default_rng(2026)
    per_stratum = rows // strata
    lines = ["tinh,huyen,xa,thon,ho,chu_ho"]
    for s in range(strata):
        villages = rng.integers(0, 4 * 5 * 4, size=per_stratum)
        for h, v in enumerate(villages):
            lines.append(f"T{s:02d},H{v // 20},X{v // 4},V{v % 4},{h},Ho {s}-{h}")
    return ("\n".join(lines) + "\n").encode()


def timed(label: str, work, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    print(f"{label:<44} best {best:8.3f} s  median {median:8.3f} s")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reference-rows", type=int, default=10_000)
    parser.add_argument("--full", action="store_true", help="time the reference at --rows too")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()} python {platform.python_version()} numpy {np.__version__}"
    )
    data = frame_csv(args.rows)
    table = read_table(Path("frame.csv"), data)
    print(f"input: {table.rows:,} rows, 63 strata, stages huyen:2, xa:3:pps, thon:2, 5 per village")
    read = timed("read the CSV (core.tabular)", lambda: read_table(Path("frame.csv"), data))
    check = timed("check the frame", lambda: check_frame(table, strata="tinh", stages=STAGES))
    drawn = timed(
        "check + draw (grouped, O(n log n))",
        lambda: draw(table, strata="tinh", stages=STAGES, final_take=5, seed=1),
    )
    n = len(draw(table, strata="tinh", stages=STAGES, final_take=5, seed=1).rows)
    print(f"sample: {n:,} households")
    small = read_table(Path("frame.csv"), frame_csv(args.reference_rows))
    grouped_small = timed(
        f"grouped draw at {small.rows:,} rows",
        lambda: draw(small, strata="tinh", stages=STAGES, final_take=5, seed=1),
    )
    scan_small = timed(
        f"former scan at {small.rows:,} rows (reference)",
        lambda: scan_draw(small, "tinh", STAGES, 5, 1),
    )
    print(f"ratio scan/grouped at {small.rows:,} rows: {scan_small / grouped_small:.1f}×")
    # The probe's case: a frame whose "strata" are all different (a garbage upload): the scan
    # compares every row with every stratum, O(n²); the grouping stays O(n log n).
    lines = ["tinh,ho"] + [f"S{h},{h}" for h in range(args.reference_rows)]
    garbage = read_table(Path("garbage.csv"), ("\n".join(lines) + "\n").encode())
    grouped_garbage = timed(
        f"grouped draw, {garbage.rows:,} one-row strata",
        lambda: draw(garbage, strata="tinh", stages=[], final_take=1, seed=1),
        repeat=1,
    )
    scan_garbage = timed(
        f"former scan, {garbage.rows:,} one-row strata",
        lambda: scan_draw(garbage, "tinh", [], 1, 1),
        repeat=1,
    )
    print(f"ratio scan/grouped, one-row strata: {scan_garbage / grouped_garbage:.1f}×")
    if args.full:
        scan = timed(
            f"former scan at {table.rows:,} rows (reference)",
            lambda: scan_draw(table, "tinh", STAGES, 5, 1),
            repeat=1,
        )
        print(f"ratio scan/grouped at {table.rows:,} rows: {scan / drawn:.1f}×")
    total = read + check + drawn
    verdict = "meets" if total < 10 else "misses"
    print(f"read + check + draw: {total:.2f} s — {verdict} the 10 s target")


if __name__ == "__main__":
    main()
