"""Public results under load: the ranking page and a unit page with 63 provinces × 5 published
years, 50 concurrent users on loopback (Locust, bounded run), against a static file served by the
same server; and the national PDF report's render time.

Run: uv run python benchmarks/results_pages.py [--users 50] [--seconds 20] [--port 8151]
     [--workers N]
(target: p95 under 150 ms for both pages; the PDF's time is reported)

``parindex serve`` is gunicorn: ``--workers`` processes (one per core by default) of 8 threads.
Each process keeps its own page cache (Django's local-memory cache), and which process accepts a
connection is not ours to choose, so the warm-up reads every page several times per process.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from locust_results import PROVINCES  # noqa: E402


def prepare(data_dir: Path) -> None:
    os.environ.update({"PARINDEX_DATA_DIR": str(data_dir), "DATABASE_URL": ""})
    from parindex.cli.bootstrap import start_django

    start_django()
    import numpy as np
    from django.core.management import call_command

    from parindex.server.accounts.services import load_reference_units
    from parindex.server.demo.results import build_published_years

    call_command("migrate", interactive=False, verbosity=0)
    load_reference_units()
    build_published_years(np.random.default_rng(2026))


def pdf_seconds() -> tuple[float, int]:
    from parindex.reports.results_report import pdf
    from parindex.server.results.services.report import national_report

    start = time.perf_counter()
    data = pdf(national_report("par-index-province", 2024, "vi"), None)
    return time.perf_counter() - start, len(data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8151)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--cold", action="store_true", help="no warm-up of the unit pages")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="parindex-bench-"))
    prepare(work / "data")
    env = {**os.environ, "PARINDEX_DATA_DIR": str(work / "data"), "DATABASE_URL": ""}
    server = subprocess.Popen(
        [
            shutil.which("parindex") or "parindex",
            "serve",
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--no-worker",  # no background jobs are queued by reading pages
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    host = f"http://127.0.0.1:{args.port}"
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"{host}/results/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        # Warm up: every page the users read is rendered once per worker process (then served
        # from its cache, as on a site where published pages are read many times); a new
        # connection per read lands on any process, so each page is read 5 × workers times.
        # --cold skips the unit pages.
        paths = ["/results/par-index-province/2024/"] + [
            f"/results/par-index-province/unit/{ref}/" for ref in PROVINCES
        ]
        for _round in range(5 * max(1, args.workers)):
            for path in paths if not args.cold else paths[:1]:
                urllib.request.urlopen(f"{host}{path}", timeout=30).read()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "--headless",
                "--only-summary",
                "-f",
                str(HERE / "locust_results.py"),
                "--host",
                host,
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                f"{args.seconds}s",
                "--csv",
                str(work / "load"),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    with (work / "load_stats.csv").open(newline="") as handle:
        stats = {row["Name"]: row for row in csv.DictReader(handle)}
    seconds, size = pdf_seconds()
    print(
        f"machine: {platform.machine()} python {platform.python_version()} cores {os.cpu_count()}"
    )
    warm = "cold cache" if args.cold else "pages warmed in every worker"
    print(
        f"load: {args.users} users, {args.seconds} s, loopback, SQLite, 63 × 5 years, {warm}, "
        f"gunicorn {args.workers} workers × 8 threads"
    )
    reference = float(stats["static (reference)"]["95%"])
    verdicts = []
    for name in ("ranking", "unit", "static (reference)"):
        row = stats[name]
        p95 = float(row["95%"])
        print(
            f"{name:20} requests {row['Request Count']:>6}  median {row['50%']:>5} ms  "
            f"p95 {p95:>6.0f} ms  failures {row['Failure Count']}  ratio to static p95 "
            f"{p95 / reference:.1f}×"
        )
        if name != "static (reference)":
            verdicts.append(p95 < 150)
    print(f"national PDF report (vi): {seconds:.2f} s, {size // 1024} KB")
    print("verdict:", "meets" if all(verdicts) else "misses", "the p95 < 150 ms target")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
