"""A cycle's page and its council table on the demo (Lạng Sơn's 78 departments and communes,
cycle 3; the national cycles 1 and 2 of 34 provinces): server time of the page (view, queries,
template) in-process with Django's test client, on the demo's SQLite file, and its queries.

    uv run parindex demo --no-serve --ratings 0 --data-dir /tmp/demo
    uv run python benchmarks/cycle_tables.py --data-dir /tmp/demo

Target (the brief): every page under 1 s. The tables used to run the scoring engine twice per
unit (self-assessed and standing totals); they now run it once per cycle.
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
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    os.environ.update({"PARINDEX_DATA_DIR": str(args.data_dir), "DATABASE_URL": ""})
    from parindex.cli.bootstrap import start_django

    start_django(PARINDEX_DEMO="1")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from parindex.server.accounts.models import User
    from parindex.server.assessments.models import Cycle

    print(f"machine: {platform.machine()} python {platform.python_version()}")
    for username, cycle in (("admin-lang-son", 3), ("admin", 1), ("admin", 2)):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))
        units = Cycle.objects.get(pk=cycle).assessments.count()
        for path in (f"/assessments/{cycle}/", f"/assessments/{cycle}/council/"):
            client.get(path)  # caches warm
            times = []
            for _ in range(args.repeats):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    assert client.get(path).status_code == 200, path
                    times.append((time.perf_counter() - start) * 1000)
            print(
                f"{path:<26} {units:>3} units  queries {len(captured):>4}  "
                f"best {min(times):7.1f} ms  median {statistics.median(times):7.1f} ms"
            )


if __name__ == "__main__":
    main()
