"""``parindex manage demo_ratings --count 1000000``: synthetic ratings for the demo's counters,
in the foreground (``parindex demo`` queues the same load on the background worker)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex.server.ratings import demo_volume


class Command(BaseCommand):
    help = "Insert synthetic ratings over the last year for the units that have counter devices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=demo_volume.DEMO_COUNT)
        parser.add_argument("--seed", type=int, default=16)

    def handle(self, *args: Any, **options: Any) -> None:
        units = demo_volume.counter_units()
        if not units:
            raise CommandError("no counter device or synthetic unit to rate: run the demo first")
        started = time.perf_counter()
        inserted = demo_volume.insert(
            options["count"], units, demo_volume.year_start(), seed=options["seed"]
        )
        seconds = time.perf_counter() - started
        self.stdout.write(f"{inserted} ratings for {len(units)} units in {seconds:.1f} s")
