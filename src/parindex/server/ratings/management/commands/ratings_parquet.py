"""``parindex manage ratings_parquet 2025-05 --out DIR``: export a period's ratings to Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parindex.core.onestop import Period
from parindex.server.ratings.exports import export_parquet


class Command(BaseCommand):
    help = "Export the ratings of a period (2025, 2025-Q2 or 2025-05) to a Parquet file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period")
        parser.add_argument("--out", type=Path, default=Path("."))

    def handle(self, *args: Any, **options: Any) -> None:
        path, rows = export_parquet(Period.parse(options["period"]), options["out"])
        self.stdout.write(f"{path}: {rows} ratings")
