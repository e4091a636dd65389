"""The leader's one-stop dashboard over the demo's million ratings: server time of the page
(view, queries, template) in-process with Django's test client, on the demo's SQLite file.

    uv run parindex demo --data-dir /tmp/demo            # wait for the ratings (the page says)
    uv run python benchmarks/onestop_dashboard.py --data-dir /tmp/demo

Target (issue 16, point 8): the dashboard under 1 s with a million ratings.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    os.environ.update({"PARINDEX_DATA_DIR": str(args.data_dir), "DATABASE_URL": ""})
    from parindex.cli.bootstrap import start_django

    start_django(PARINDEX_DEMO="1")
    from django.test import Client

    from parindex.server.accounts.models import User
    from parindex.server.ratings.models import Rating

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="leader"))
    pages = {
        "dashboard (this quarter)": "/mot-cua/don-vi/province:20/",
        "dashboard (the year)": f"/mot-cua/don-vi/province:20/?ky={time.gmtime().tm_year}",
        "unit index sheet": "/mot-cua/don-vi/province:20/chi-so-don-vi/",
        "feedback list": "/phan-anh-kien-nghi/don-vi/province:20/",
    }
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load:.1f}")
    print(f"ratings in the database: {Rating.objects.count():,}")
    for name, url in pages.items():
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        median = statistics.median(times)
        verdict = "under 1 s" if median < 1 else "OVER 1 s"
        print(f"{name:<26} best {min(times):6.3f} s  median {median:6.3f} s  ({verdict})")


if __name__ == "__main__":
    main()
