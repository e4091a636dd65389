"""Django's ``flush``, with the history guards lifted: emptying a whole (test) database is not
erasing history, and on SQLite it deletes row by row, which the triggers would refuse."""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand

from parindex.server.audit.history import unlocked


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        with unlocked(options.get("database") or "default"):
            super().handle(**options)
