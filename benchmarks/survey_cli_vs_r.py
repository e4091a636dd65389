"""The survey command end to end against R doing the same job as a whole process, same run.

Job: the 33 SIPAS-like items (share satisfied) by province, with standard errors, on ~40,000
respondents in 63 provinces → 6 communes → 3 villages → ~35 households with fpc at every stage,
read from a CSV and written to a CSV. parindex: one ``parindex survey estimate`` process (start,
imports, reading, design, estimates, intervals, writing). R: one ``Rscript`` process
(``benchmarks/survey_svyby.R``: ``read.csv``, ``svydesign``, ``svyby(svymean)``, ``write.csv``).

Targets (issue 17): ``parindex --help`` and a trivial command under 0.5 s; the estimate under 3 s
and at least 20× faster than R end to end; figures equal to R's to 1e-9.

Run: uv run python benchmarks/survey_cli_vs_r.py [--skip-r]
"""

from __future__ import annotations

import csv
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from survey_vs_r import ITEMS, sample

HERE = Path(__file__).resolve().parent


CPU: list[float] = []
"""CPU seconds (user + system) of each process timed, last one last."""


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Best and median wall-clock seconds; the CPU seconds go to ``CPU``. On a shared machine
    the wall clock depends on the others' load, the CPU time much less."""
    samples = []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(samples), statistics.median(samples)


def main() -> None:
    parindex = shutil.which("parindex") or str(Path(sys.executable).with_name("parindex"))
    print(f"machine: {platform.machine()} python {platform.python_version()} cpus {os.cpu_count()}")
    print(f"load average (1 min) at start: {os.getloadavg()[0]:.2f}")
    best, median = timed([parindex, "--help"], 10)
    print(
        f"parindex --help:                       best {best:6.3f} s  median {median:6.3f} s  target < 0.5 s"
    )
    best, median = timed([parindex, "survey", "estimate", "--help"], 10)
    print(
        f"parindex survey estimate --help:       best {best:6.3f} s  median {median:6.3f} s  target < 0.5 s"
    )

    data = sample()
    rows = len(data["province"])
    with tempfile.TemporaryDirectory() as tmp:
        path, ours, theirs = Path(tmp, "sample.csv"), Path(tmp, "ours.csv"), Path(tmp, "r.csv")
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(list(data))
            for row in zip(*data.values(), strict=True):
                writer.writerow([int(v) if isinstance(v, float) else v for v in row])
        command = [
            parindex, "survey", "estimate", "--data", str(path), "--strata", "province",
            "--cluster", "commune,village,household", "--fpc", "fpc1,fpc2,fpc3",
            "--proportion", ",".join(f"s{j + 1}=1" for j in range(ITEMS)),
            "--by", "province", "--out", str(ours),
        ]  # fmt: skip
        best, median = timed(command, 3)
        print(f"input: {rows} respondents, 63 provinces × {ITEMS} items, 3 stages with fpc")
        print(
            f"parindex survey estimate (process):    best {best:6.3f} s  median {median:6.3f} s  target < 3 s"
        )
        ours_cpu = statistics.median(CPU[-3:])
        if "--skip-r" in sys.argv or shutil.which("Rscript") is None:
            print("R not run")
            return
        r_seconds, _ = timed(["Rscript", str(HERE / "survey_svyby.R"), str(path), str(theirs)], 1)
        r_cpu = CPU[-1]
        with ours.open() as handle:
            mine = {
                (row["domain"], row["variable"].removesuffix("=1")): (
                    float(row["estimate"]),
                    float(row["se"]),
                )
                for row in csv.DictReader(handle)
            }
        worst = 0.0
        with theirs.open() as handle:
            for row in csv.DictReader(handle):
                for j in range(1, ITEMS + 1):
                    est, se = mine[(row["province"], f"s{j}")]
                    r_est, r_se = float(row[f"s{j}"]), float(row[f"se.s{j}"])
                    worst = max(worst, abs(est - r_est) / abs(r_est), abs(se - r_se) / abs(r_se))
    ratio = r_seconds / median
    print(f"Rscript, the same job (process):       {r_seconds:6.3f} s  CPU {r_cpu:6.3f} s")
    print(f"speed-up (R ÷ parindex median):        {ratio:6.1f}×  target ≥ 20× (wall clock)")
    print(f"speed-up in CPU time:                  {r_cpu / ours_cpu:6.1f}×")
    print(f"largest relative difference to R:      {worst:.2e}  target ≤ 1e-9")
    print(
        "verdict:",
        "meets" if ratio >= 20 and median < 3 and worst <= 1e-9 else "MISSES",
        "the targets",
    )


if __name__ == "__main__":
    main()
