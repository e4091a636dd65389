"""The leader's one-stop dashboard over a million ratings: server time of the page (view,
queries, template) in-process with Django's test client, with the monthly sums
(``ratings/summary.py``) emptied and then refreshed, in the same run.

    uv run parindex demo --data-dir /tmp/demo --no-serve --ratings 0
    PARINDEX_DATA_DIR=/tmp/demo PARINDEX_DEMO=1 uv run parindex manage demo_ratings
    uv run python benchmarks/onestop_dashboard.py --data-dir /tmp/demo

    # PostgreSQL: a unit, a leader and a million ratings are made in the database if absent
    uv run python benchmarks/onestop_dashboard.py --database-url postgresql://…/db

Target (issue 16, point 8): the dashboard under 1 s with a million ratings, the year view too.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any


def _postgresql_world() -> str:
    """The unit's reference; a province, its leader and a million ratings made if absent."""
    from django.core.management import call_command

    from parindex.core.roles import Role
    from parindex.server.accounts.models import RoleAssignment, Unit, User
    from parindex.server.ratings import demo_volume
    from parindex.server.ratings.models import Rating

    call_command("migrate", verbosity=0)
    unit, _ = Unit.objects.get_or_create(
        ref="bench:p", defaults={"kind": "province", "code": "98", "name_vi": "Tỉnh Đo"}
    )
    leader, created = User.objects.get_or_create(username="leader")
    if created:
        RoleAssignment.objects.create(user=leader, role=Role.LEADER, unit=unit)
    if Rating.objects.filter(unit=unit).count() < 1_000_000:
        started = time.perf_counter()
        demo_volume.insert(1_000_000, [unit.pk], demo_volume.year_start(), seed=16)
        print(f"loaded 1,000,000 ratings in {time.perf_counter() - started:.1f} s")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE ratings_rating")
    return unit.ref


def _time(client: Any, url: str, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if args.data_dir:
        os.environ["PARINDEX_DATA_DIR"] = str(args.data_dir)
    os.environ["DATABASE_URL"] = args.database_url
    from parindex.cli.bootstrap import start_django

    start_django(PARINDEX_DEMO="1")
    from django.test import Client

    from parindex.server.accounts.models import User
    from parindex.server.ratings import summary
    from parindex.server.ratings.models import Rating, RatingMonth

    ref = _postgresql_world() if args.database_url else "province:20"
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username="leader"))
    pages = {
        "dashboard (this quarter)": f"/mot-cua/don-vi/{ref}/",
        "dashboard (the year)": f"/mot-cua/don-vi/{ref}/?ky={time.gmtime().tm_year}",
    }
    load = os.getloadavg()[0]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, load average {load:.1f}")
    print(f"database: {'PostgreSQL' if args.database_url else 'SQLite'}")
    print(f"ratings in the database: {Rating.objects.count():,}")
    RatingMonth.objects.all().delete()
    medians = {}
    for state in ("without monthly sums", "with monthly sums"):
        if state == "with monthly sums":
            started = time.perf_counter()
            months = summary.refresh()
            print(
                f"refresh: {months} closed months summed in {time.perf_counter() - started:.2f} s"
            )
        for name, url in pages.items():
            times = _time(client, url, args.repeats)
            median = statistics.median(times)
            medians[(state, name)] = median
            verdict = "under 1 s" if median < 1 else "OVER 1 s"
            print(
                f"{state:<21} {name:<26} best {min(times):6.3f} s  median {median:6.3f} s"
                f"  ({verdict})"
            )
    for name in pages:
        ratio = medians[("without monthly sums", name)] / medians[("with monthly sums", name)]
        print(f"{name}: {ratio:.1f}× faster with the monthly sums (median)")


if __name__ == "__main__":
    main()
