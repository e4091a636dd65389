"""Online rating links: the signed token printed on a dossier's receipt (link and QR code)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing

from parindex.server.ratings.models import Channel, Dossier, Rating

LINK_SALT = "parindex.ratings.online"
LINK_MAX_AGE = timedelta(days=getattr(settings, "ONLINE_RATING_MAX_AGE_DAYS", 90))


def rating_token(dossier: Dossier) -> str:
    """The signed token printed (as a link and a QR code) on the dossier's receipt."""
    return signing.dumps({"d": dossier.code}, salt=LINK_SALT, compress=True)


def dossier_for_token(token: str) -> Dossier | None:
    """The dossier a receipt's token names, or ``None`` when it is forged, expired or unknown."""
    try:
        payload = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    return Dossier.objects.select_related("unit").filter(code=payload.get("d")).first()


def online_rating_taken(dossier: Dossier) -> bool:
    return Rating.objects.filter(dossier_code=dossier.code, channel=Channel.ONLINE).exists()
