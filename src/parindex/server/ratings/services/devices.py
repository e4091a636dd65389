"""Who pushes ratings and dossiers: ingestion tokens and counter device (kiosk) accounts."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied

from parindex.core.roles import Role
from parindex.server.accounts.models import Unit, User
from parindex.server.ratings.models import IngestToken, hash_token

KIOSK_IDLE_SECONDS: int = getattr(settings, "KIOSK_IDLE_SECONDS", 60)
"""A kiosk left untouched this long in the middle of a rating goes back to its first screen."""


def token_for(secret: str, purpose: IngestToken.Purpose) -> IngestToken | None:
    """The live token with this secret and purpose, or ``None``."""
    return (
        IngestToken.objects.select_related("user", "unit")
        .filter(
            digest=hash_token(secret),
            purpose=purpose,
            revoked_at__isnull=True,
            user__is_active=True,
        )
        .first()
    )


def device_unit(user: User) -> Unit:
    """The unit at which a counter device account sits (its counter_device role's unit)."""
    assignment = (
        user.role_assignments.filter(role=Role.COUNTER_DEVICE).select_related("unit").first()
    )
    if assignment is None or assignment.unit is None:
        raise PermissionDenied("not a counter device account")
    return assignment.unit
