"""Feedback items (PAKN) with their deadlines and public answers, and public apologies a unit owes
for an overdue dossier."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.onestop.feedback import FeedbackKind
from parindex.server.accounts.models import Unit

KIND_CHOICES = [
    (FeedbackKind.REGULATION.value, _("Regulations and policies")),
    (FeedbackKind.PROCEDURE.value, _("Administrative procedure")),
    (FeedbackKind.CONDUCT.value, _("Officer's conduct")),
    (FeedbackKind.OTHER.value, _("Other")),
]


class Feedback(models.Model):
    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        INFO_REQUESTED = "info_requested", _("More information requested")
        REFUSED = "refused", _("Refused")
        ANSWERED = "answered", _("Answered")
        PUBLISHED = "published", _("Answer published")

    class Source(models.TextChoices):
        WEB = "web", _("Public web form")
        KIOSK = "kiosk", _("Counter kiosk")
        IMPORT = "import", _("Import")

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    client_id = models.UUIDField(
        _("client id"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Set by a kiosk, so a resent item is kept once."),
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    kind = models.CharField(_("classification"), max_length=16, choices=KIND_CHOICES, blank=True)
    dossier_code = models.CharField(_("dossier code"), max_length=64, blank=True)
    sender = models.CharField(_("sender"), max_length=200, blank=True)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Never published.")
    )
    content = models.TextField(_("content"))
    received_on = models.DateField(_("received on"))
    handle_due = models.DateField(_("to be handled by"))
    refuse_due = models.DateField(_("to be refused by"))
    info_due = models.DateField(_("more information to be asked by"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.RECEIVED
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    publish_due = models.DateField(_("to be published by"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    info_requested_on = models.DateField(_("more information asked on"), null=True, blank=True)
    info_supplied_on = models.DateField(_("more information supplied on"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-received_on", "reference"]

    def __str__(self) -> str:
        return self.reference


class Apology(models.Model):
    """A public apology for an overdue dossier, created by parindex and completed by the unit."""

    dossier_code = models.CharField(_("dossier code"), max_length=64, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"))
    created_on = models.DateField(_("created on"))
    text = models.TextField(_("apology"), blank=True)
    new_appointment = models.DateField(_("new appointment"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("public apology")
        verbose_name_plural = _("public apologies")

    def __str__(self) -> str:
        return self.dossier_code


class FeedbackLapse(models.Model):
    """A statutory deadline a feedback item missed (handling or publication), recorded once when
    it passes: the unit's overdue record, kept after the item is answered."""

    class Step(models.TextChoices):
        HANDLE = "handle", _("Handle within 15 working days")
        PUBLISH = "publish", _("Publish the answer within 2 working days")

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("feedback"), on_delete=models.CASCADE, related_name="lapses"
    )
    step = models.CharField(_("deadline"), max_length=16, choices=Step.choices)
    due_on = models.DateField(_("due on"))
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        verbose_name = _("missed feedback deadline")
        verbose_name_plural = _("missed feedback deadlines")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "step"], name="one_lapse_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.feedback} · {self.step}"
