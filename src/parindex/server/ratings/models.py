"""Dossiers from one-stop systems, citizens' ratings of them, and the tokens devices push with.

A rating is stored once: its client-generated id is unique (a retried submission finds the
stored row), and a dossier is rated once per channel. Both rules live on a small unpartitioned
``RatingKey`` table, because on PostgreSQL the ratings themselves are partitioned by month
(migration 0002), and a partitioned table cannot hold a unique rule without the month in it.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from parindex.server.accounts.models import Unit, User


class Dossier(models.Model):
    """A dossier (hồ sơ) as the one-stop system recorded it."""

    code = models.CharField(_("dossier code"), max_length=64, unique=True)
    procedure = models.CharField(_("procedure"), max_length=64)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    counter = models.CharField(_("counter"), max_length=64, blank=True)
    officer = models.CharField(_("officer"), max_length=128, blank=True)
    received = models.DateTimeField(_("received"))
    appointment = models.DateTimeField(_("appointment"))
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    supplementations = models.JSONField(
        _("supplementation periods"),
        default=list,
        blank=True,
        help_text=_("[start, end] date pairs."),
    )
    online = models.BooleanField(_("submitted online"), default=False)
    paid_online = models.BooleanField(_("fee paid online"), null=True, blank=True)
    digitised = models.BooleanField(_("digitised"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [models.Index(fields=["unit", "received"])]

    def __str__(self) -> str:
        return self.code


class Channel(models.TextChoices):
    DEVICE = "device", _("Counter device")
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper form")


COVERED = ["unit", "submitted_at", "burst", "satisfaction", "dossier_code", "officer"] + [
    f"index{i}" for i in (1, 3, 4, 7)
]
"""The columns of the rating index that the dashboard's sums read without the table."""


class Rating(models.Model):
    """One citizen's rating of a dossier (or of a counter, when no code was given)."""

    client_id = models.UUIDField(_("client id"))  # unique through RatingKey
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    # No foreign-key constraints in the database (db_constraint): each rating's unit and device
    # come from a token, deletions go through Django's PROTECT and SET_NULL, and PostgreSQL's
    # checks cost a lookup and a row lock of the unit for every rating stored (docs/onestop.md).
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    dossier_code = models.CharField(_("dossier code"), max_length=64, blank=True)
    counter = models.CharField(_("counter"), max_length=64, blank=True)
    officer = models.CharField(_("officer"), max_length=128, blank=True)
    index1 = models.PositiveSmallIntegerField(_("index 1: processing time"), null=True, blank=True)
    index3 = models.PositiveSmallIntegerField(_("index 3: times contacted"), null=True, blank=True)
    index4 = models.PositiveSmallIntegerField(
        _("index 4: agencies contacted"), null=True, blank=True
    )
    index7 = models.PositiveSmallIntegerField(
        _("index 7: officer's attitude"), null=True, blank=True
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1–5)"))
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    device = models.ForeignKey(
        User,
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    burst = models.BooleanField(
        _("burst"),
        default=False,
        help_text=_("Sent in a burst from one device: kept, not counted."),
    )

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=1, satisfaction__lte=5), name="satisfaction_1_5"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__lte": 2}), name=f"rating_{name}_2_1_0"
                )
                for name in ("index1", "index3", "index4", "index7")
            ),
        ]
        # A device's recent ratings (bursts) are read from RatingKey, and a unit's by time from
        # the covering index (its first columns): every index here is paid by every rating.
        indexes = [
            # Covers the dashboard's and the indicators' sums: a month of a unit's ratings is
            # read from the index alone (SQLite: 1.0 s → 0.035 s over a million ratings).
            models.Index(fields=COVERED, name="rating_unit_time_answers"),
        ]

    def __str__(self) -> str:
        return str(self.client_id)


class RatingKey(models.Model):
    """The uniqueness of ratings: one row per client id, and one per dossier and channel."""

    client_id = models.UUIDField(primary_key=True)
    dossier_code = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=16, choices=Channel.choices)
    rating_id = models.BigIntegerField()
    # The rating's device and moment, for counting a device's recent ratings (bursts) in one
    # small unpartitioned table: on the partitioned ratings, a probe in a kept plan opened every
    # monthly partition (benchmarks/RESULTS.md, 9a).
    device_id = models.BigIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["device_id", "submitted_at"],
                condition=Q(device_id__isnull=False),
                name="rating_key_device_time",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier_code", "channel"],
                condition=~Q(dossier_code=""),
                name="rating_once_per_channel",
            ),
        ]

    def __str__(self) -> str:
        return str(self.client_id)


class UnitIndexSheet(models.Model):
    """Circular 01/2018's indices no counter device rates, recorded by a unit's staff for one
    period (``2025``, ``2025-Q2`` or ``2025-05``). Blank means not recorded: index 8 is then
    computed from the feedback parindex holds, index 9 from the online dossiers when the
    procedure counts are given."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=8)
    index2 = models.DecimalField(
        _("index 2: time of each agency taking part"),
        max_digits=2,
        decimal_places=1,
        null=True,
        blank=True,
    )
    index5 = models.PositiveSmallIntegerField(
        _("index 5: handled at the one-stop counter"), null=True, blank=True
    )
    index6 = models.PositiveSmallIntegerField(
        _("index 6: procedures made public"), null=True, blank=True
    )
    index8 = models.PositiveSmallIntegerField(
        _("index 8: feedback received and explained"), null=True, blank=True
    )
    index9 = models.PositiveSmallIntegerField(
        _("index 9: online public services"), null=True, blank=True
    )
    procedures = models.PositiveIntegerField(_("procedures handled"), null=True, blank=True)
    procedures_online = models.PositiveIntegerField(
        _("procedures offered online at level 3 or 4"), null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("Circular 01 unit indices")
        verbose_name_plural = _("Circular 01 unit indices")
        constraints = [
            models.UniqueConstraint(fields=["unit", "period"], name="one_index_sheet_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period}"


class RatingGeneration(models.Model):
    """A run of the demo's synthetic ratings (a million over a year), done by the background
    worker after the demo serves; the leader's dashboard shows its progress."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("stopped by an error")

    count = models.PositiveIntegerField(_("ratings to generate"))
    inserted = models.PositiveIntegerField(_("ratings generated"), default=0)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    seed = models.IntegerField(_("seed"), default=16)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("demo rating generation")
        verbose_name_plural = _("demo rating generations")

    def __str__(self) -> str:
        return f"{self.inserted}/{self.count}"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class IngestToken(models.Model):
    """A bearer token a device or an integration pushes with, scoped to one unit and below.

    Only the hash is stored; the secret is shown once when the token is made.
    """

    class Purpose(models.TextChoices):
        RATINGS = "ratings", _("Ratings from a counter device")
        DOSSIERS = "dossiers", _("Dossiers from a one-stop system")

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ingestion token")
        verbose_name_plural = _("ingestion tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_purpose_display()} · {self.unit}"

    @classmethod
    def issue(cls, user: User, unit: Unit, purpose: IngestToken.Purpose) -> tuple[IngestToken, str]:
        """A new token and its secret (shown once)."""
        secret = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, unit=unit, purpose=purpose, digest=hash_token(secret))
        return token, secret


class RatingMonth(models.Model):
    """The counted (non-burst) ratings of one unit in one closed month, summed, through rating
    id ``through_id``: what the dashboard's year view reads instead of the month's ratings
    (``ratings/summary.py``). The row with no unit marks the month as summarised through that id;
    a month with no row for a unit had none of its ratings."""

    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    through_id = models.BigIntegerField()
    ratings = models.PositiveIntegerField(default=0)
    satisfaction = models.PositiveBigIntegerField(default=0)
    sindex1 = models.PositiveIntegerField(default=0)
    nindex1 = models.PositiveIntegerField(default=0)
    sindex3 = models.PositiveIntegerField(default=0)
    nindex3 = models.PositiveIntegerField(default=0)
    sindex4 = models.PositiveIntegerField(default=0)
    nindex4 = models.PositiveIntegerField(default=0)
    sindex7 = models.PositiveIntegerField(default=0)
    nindex7 = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "unit"], name="one_rating_month_per_unit"),
            models.UniqueConstraint(
                fields=["month"], condition=Q(unit=None), name="one_rating_month_mark"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.month:%Y-%m}"
