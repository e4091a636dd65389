"""Bearer tokens as the front reads them: the same rows and rule as the site's ``token_for``
(live: not revoked, its account active, purpose ``ratings``), kept a few seconds per process so
a device's stream of requests costs no lookup; a wrong secret is never kept."""

from __future__ import annotations

import hashlib
import time
from typing import Any, NamedTuple

_QUERY = """
SELECT t.unit_id, t.user_id FROM ratings_ingesttoken t JOIN accounts_user u ON u.id = t.user_id
WHERE t.digest = $1 AND t.purpose = 'ratings' AND t.revoked_at IS NULL AND u.is_active
"""


class Device(NamedTuple):
    unit_id: int
    user_id: int


def digest(secret: str) -> str:
    """As ``IngestToken``'s stored digest."""
    return hashlib.sha256(secret.encode()).hexdigest()


def bearer(header: bytes) -> str | None:
    """The secret of an ``Authorization: Bearer …`` header (as Ninja's ``HttpBearer`` reads)."""
    parts = header.split(b" ")
    if len(parts) != 2 or parts[0].lower() != b"bearer":
        return None
    try:
        return parts[1].decode()
    except UnicodeDecodeError:
        return None


class Tokens:
    def __init__(self, pool: Any, keep_seconds: float) -> None:
        self.pool = pool
        self.keep_seconds = keep_seconds
        self.live: dict[str, tuple[float, Device]] = {}

    def kept(self, secret: str) -> Device | None:
        """The device of a token looked up within the last seconds, else ``None``."""
        kept = self.live.get(secret)
        if kept is not None and time.monotonic() - kept[0] < self.keep_seconds:
            return kept[1]
        return None

    async def device(self, secret: str) -> Device | None:
        """The device of a live token (looked up, or kept), else ``None``."""
        kept = self.kept(secret)
        if kept is not None:
            return kept
        now = time.monotonic()
        row = await self.pool.fetchrow(_QUERY, digest(secret))
        if row is None:
            self.live.pop(secret, None)
            return None
        if len(self.live) > 10_000:  # bounded: tokens are few, but never let it grow unchecked
            self.live.clear()
        device = Device(row[0], row[1])
        self.live[secret] = (now, device)
        return device
