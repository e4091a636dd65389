"""One row per audited change, chained by digest (``core.audit``); rows are never updated or
deleted (database triggers refuse it)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.audit import EventKind


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("at"))
    actor = models.CharField(_("by"), max_length=150)
    kind = models.CharField(
        _("kind"), max_length=20, choices=[(k.value, k.value) for k in EventKind]
    )
    subject = models.CharField(_("subject"), max_length=255)
    payload = models.TextField(_("recorded event"))
    previous = models.CharField(_("previous digest"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["seq"]
        indexes = [models.Index(fields=["kind", "subject"])]

    def __str__(self) -> str:
        return f"{self.seq} {self.kind} {self.subject}"


class AuditHead(models.Model):
    """The last event's number and digest, written with each event: events removed from the end
    of the log leave the head pointing past them."""

    seq = models.PositiveBigIntegerField(default=0)
    digest = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit log head")

    def __str__(self) -> str:
        return f"{self.seq} {self.digest}"
