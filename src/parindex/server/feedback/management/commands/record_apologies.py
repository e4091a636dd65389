"""``parindex manage record_apologies``: run daily; one apology record per newly overdue dossier
and one overdue record per feedback deadline newly missed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parindex.server.feedback.deadlines import record_lapses
from parindex.server.feedback.services import record_apologies


class Command(BaseCommand):
    help = "Create a public-apology record for every overdue dossier that has none yet."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{record_apologies()} apology records created")
        self.stdout.write(f"{record_lapses()} missed feedback deadlines recorded")
