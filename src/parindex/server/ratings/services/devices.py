"""Who pushes ratings and dossiers: ingestion tokens and counter device (kiosk) accounts."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from parindex.core.roles import Role
from parindex.server.accounts.models import Unit, User
from parindex.server.ratings.models import IngestToken, hash_token

KIOSK_IDLE_SECONDS: int = getattr(settings, "KIOSK_IDLE_SECONDS", 60)
"""A kiosk left untouched this long in the middle of a rating goes back to its first screen."""


TOKEN_CACHE_SECONDS: float = getattr(settings, "INGEST_TOKEN_CACHE_SECONDS", 5)
"""How long a worker process keeps a live token it has looked up. Reading the token, its account
and its unit cost about half of a single rating's time in the server; a device sends many a
minute. A revoked token (or a deactivated account) is refused by every process within this
time, and at once by the process that saved the change."""

_live: dict[tuple[str, str], tuple[float, IngestToken]] = {}


def token_for(secret: str, purpose: IngestToken.Purpose) -> IngestToken | None:
    """The live token with this secret and purpose, or ``None``. Only live tokens are kept (for
    ``TOKEN_CACHE_SECONDS``): a guessed secret always goes to the database and is never kept."""
    key = (hash_token(secret), str(purpose))
    now = time.monotonic()
    kept = _live.get(key)
    if kept is not None and now - kept[0] < TOKEN_CACHE_SECONDS:
        return kept[1]
    token = (
        IngestToken.objects.select_related("user", "unit")
        .filter(digest=key[0], purpose=purpose, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        _live.pop(key, None)
    else:
        if len(_live) > 10_000:  # bounded: tokens are few, but never let it grow unchecked
            _live.clear()
        _live[key] = (now, token)
    return token


@receiver(post_save, sender=IngestToken)
@receiver(post_delete, sender=IngestToken)
@receiver(post_save, sender=User)
def _forget_tokens(**_: Any) -> None:
    """A token revoked or an account changed in this process counts from the next request."""
    _live.clear()


def device_unit(user: User) -> Unit:
    """The unit at which a counter device account sits (its counter_device role's unit)."""
    assignment = (
        user.role_assignments.filter(role=Role.COUNTER_DEVICE).select_related("unit").first()
    )
    if assignment is None or assignment.unit is None:
        raise PermissionDenied("not a counter device account")
    return assignment.unit
