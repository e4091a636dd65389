"""``parindex manage demo_ratings --count 1000000``: synthetic ratings for the demo's counters.

Run after the demo's first pages are up: a million ratings take a while to insert, and nothing
on the first pages waits for them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from parindex.core.roles import Role
from parindex.server.accounts.models import RoleAssignment, Unit
from parindex.server.ratings.exports import insert_demo_ratings


class Command(BaseCommand):
    help = "Insert synthetic ratings over the last year for the units that have counter devices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=16)

    def handle(self, *args: Any, **options: Any) -> None:
        units = sorted(
            {
                u
                for u in RoleAssignment.objects.filter(role=Role.COUNTER_DEVICE).values_list(
                    "unit_id", flat=True
                )
                if u
            }
        )
        if not units:
            units = list(Unit.objects.filter(synthetic=True).values_list("id", flat=True)[:50])
        if not units:
            raise CommandError("no counter device or synthetic unit to rate: run the demo first")
        today = timezone.localdate()
        start = datetime(today.year - 1, today.month, 1)
        inserted = insert_demo_ratings(options["count"], units, start, seed=options["seed"])
        self.stdout.write(f"{inserted} ratings for {len(units)} units")
