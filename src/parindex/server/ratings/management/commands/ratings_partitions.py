"""``parindex manage ratings_partitions``: create next months' rating partitions (PostgreSQL)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection
from django.utils import timezone

from parindex.server.ratings import partitions


class Command(BaseCommand):
    help = "Create the monthly partitions of the ratings table for the coming months (PostgreSQL only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--months", type=int, default=3)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite: ratings are one plain table; nothing to do")
            return
        with connection.cursor() as cursor:
            created = partitions.ensure_months(
                cursor, timezone.localdate().replace(day=1), options["months"]
            )
        self.stdout.write(f"created: {', '.join(created) or 'none'}")
