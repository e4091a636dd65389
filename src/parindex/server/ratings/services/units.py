"""The units a one-stop account speaks for: its own unit and every unit below it."""

from __future__ import annotations

from parindex.core.units import descendants
from parindex.server.accounts.models import Unit


def subtree(unit: Unit) -> set[int]:
    """``unit`` and every unit below it."""
    parent_of = dict(Unit.objects.values_list("id", "parent_id"))
    return descendants([unit.pk], parent_of)
