"""Survey estimation speed against R's ``svyby`` on the same data, in the same session.

A national SIPAS-like sample: 63 provinces (strata) → 6 communes → 3 villages → ~35 households,
fpc at every stage, 33 satisfaction items; the share satisfied (answer 4 or 5) per item by
province, with standard errors. Target: at least 20× faster than R, equal to 1e-9.

Run: uv run python benchmarks/survey_vs_r.py
"""

from __future__ import annotations

import csv
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from parindex.core.surveys import SurveyDesign, codes, estimate

ITEMS = 33
HERE = Path(__file__).resolve().parent


def sample(seed: int = 2024) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    columns: dict[str, list[object]] = {
        k: [] for k in ("province", "commune", "village", "household", "fpc1", "fpc2", "fpc3")
    }
    answers: list[np.ndarray] = []
    for p in range(63):
        communes, base = int(rng.integers(80, 200)), rng.uniform(0.55, 0.9)
        for c in range(6):
            villages = int(rng.integers(6, 15))
            for v in range(3):
                households, n = int(rng.integers(120, 400)), int(rng.integers(30, 41))
                local = np.clip(base + rng.normal(0, 0.05), 0.05, 0.98)
                for h in range(n):
                    for key, value in (
                        ("province", f"P{p:02d}"),
                        ("commune", f"c{c}"),
                        ("village", f"v{v}"),
                        ("household", f"h{h}"),
                        ("fpc1", communes),
                        ("fpc2", villages),
                        ("fpc3", households),
                    ):
                        columns[key].append(value)
                    answers.append(
                        (rng.random(ITEMS) < local * rng.uniform(0.9, 1.05, ITEMS)).astype(float)
                    )
    data = {k: np.array(v, dtype=object) for k, v in columns.items()}
    satisfied = np.array(answers)
    for j in range(ITEMS):
        data[f"s{j + 1}"] = satisfied[:, j]
    return data


def ours(data: dict[str, np.ndarray]) -> tuple[list[str], np.ndarray, np.ndarray]:
    rows = len(data["province"])
    design = SurveyDesign.from_columns(
        rows,
        strata=data["province"],
        clusters=[data["commune"], data["village"], data["household"]],
        fpc=[data["fpc1"].astype(float), data["fpc2"].astype(float), data["fpc3"].astype(float)],
    )
    labels = sorted(set(data["province"]))
    position = {label: i for i, label in enumerate(labels)}
    domains = np.array([position[p] for p in data["province"]], dtype=np.int64)
    y = np.column_stack([data[f"s{j + 1}"] for j in range(ITEMS)])
    result = estimate(design, y, domains=domains, domain_labels=tuple(labels))
    return labels, result.estimate, result.se


def main() -> None:
    data = sample()
    rows = len(data["province"])
    codes(data["province"])  # warm-up of numpy's unique on object arrays
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        labels, est, se = ours(data)
        samples.append(time.perf_counter() - start)
    ours_best, ours_median = min(samples), statistics.median(samples)
    print(
        f"machine: {platform.machine()} python {platform.python_version()} numpy {np.__version__}"
    )
    print(f"input: {rows} respondents, 63 provinces × {ITEMS} items, 3 stages with fpc")
    print(
        f"parindex (design + estimates + SEs):   best {ours_best:8.3f} s  median {ours_median:8.3f} s"
    )
    if shutil.which("Rscript") is None:
        print("R is not installed: no reference timing")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp, "sample.csv"), Path(tmp, "r.csv")
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(data))
            writer.writerows(zip(*data.values(), strict=True))
        completed = subprocess.run(
            ["Rscript", str(HERE / "survey_svyby.R"), str(path), str(out)],
            capture_output=True,
            text=True,
            check=True,
        )
        r_seconds = float(completed.stdout.strip().splitlines()[-1])
        with out.open() as handle:
            r_rows = {
                f"{row['province']}:s{j}": (float(row[f"s{j}"]), float(row[f"se.s{j}"]))
                for row in csv.DictReader(handle)
                for j in range(1, ITEMS + 1)
            }
    worst = 0.0
    for d, label in enumerate(labels):
        for j in range(ITEMS):
            r_est, r_se = r_rows[f"{label}:s{j + 1}"]
            worst = max(
                worst, abs(est[d, j] - r_est) / abs(r_est), abs(se[d, j] - r_se) / abs(r_se)
            )
    print(f"R survey svyby(svymean) (in R only):  {r_seconds:8.3f} s")
    print(f"speed-up (R ÷ parindex median):       {r_seconds / ours_median:8.1f}×  target ≥ 20×")
    print(f"largest relative difference to R:      {worst:.2e}  target ≤ 1e-9")
    print(
        "verdict:",
        "meets" if r_seconds / ours_median >= 20 and worst <= 1e-9 else "MISSES",
        "both targets",
    )


if __name__ == "__main__":
    main()
