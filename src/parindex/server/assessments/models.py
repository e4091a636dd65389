"""The yearly determination as stored: cycles, each unit's assessment, and every score of every
round. Scores are never updated: each change appends a ``ScoreEntry`` (who, when, from, to, why),
so the pre-appraisal score and each round's score stay readable for ever."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from parindex.core.assessment.workflow import Action, State
from parindex.server.accounts.models import Unit


class Cycle(models.Model):
    year = models.PositiveIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=255)
    # Who runs the cycle: empty for the Ministry of Home Affairs (a national cycle), or the
    # province whose Department of Home Affairs assesses its own departments and communes. Its
    # administrators, council and appraisers are those whose role reaches this unit.
    organiser = models.ForeignKey(
        Unit,
        verbose_name=_("organised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organised_cycles",
        help_text=_("Empty: a national cycle run by the Ministry of Home Affairs."),
    )
    edition = models.CharField(_("methodology edition"), max_length=100)
    self_assessment_deadline = models.DateTimeField(_("self-assessment deadline"))
    explanation_deadline = models.DateTimeField(_("explanation deadline"))
    appraisal_deadline = models.DateTimeField(_("appraisal deadline"))
    is_open = models.BooleanField(_("open"), default=False)
    synthetic = models.BooleanField(_("synthetic"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_table = models.JSONField(_("published table"), null=True, blank=True)
    provenance = models.JSONField(_("provenance"), null=True, blank=True)
    surveys = models.ManyToManyField(
        "surveys.Survey",
        verbose_name=_("surveys scoring its survey components"),
        blank=True,
        related_name="cycles",
        help_text=_(
            "Their designs give the sampling uncertainty of the survey components in the rank "
            "intervals."
        ),
    )

    class Meta:
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")
        # Each province may run the same provincial edition in the same year; the nation once.
        constraints = [
            models.UniqueConstraint(
                fields=["year", "edition"],
                condition=models.Q(organiser__isnull=True),
                name="one_national_cycle_per_year_edition",
            ),
            models.UniqueConstraint(
                fields=["year", "edition", "organiser"],
                condition=models.Q(organiser__isnull=False),
                name="one_cycle_per_year_edition_organiser",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # The admin's "view on site": the cycle's progress page.
        return reverse("assessment-cycle", kwargs={"pk": self.pk})


class Assessment(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assessments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessments")
    state = models.CharField(
        _("state"), max_length=20, choices=[(s.value, s.value) for s in State], default=State.DRAFT
    )
    appraisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="appraisals"
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit"], name="one_assessment_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.unit}"


class Round(models.TextChoices):
    SELF = "self", _("self-assessment")
    APPRAISAL_1 = "appraisal_1", _("appraisal, round 1")
    APPRAISAL_2 = "appraisal_2", _("appraisal, round 2")
    COUNCIL = "council", _("council")
    SURVEY = "survey", _("survey")


class ScoreEntry(models.Model):
    """One score of one component in one round; the latest entry of a round is its score."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    component = models.CharField(_("component"), max_length=40)
    round = models.CharField(_("round"), max_length=20, choices=Round.choices)
    points = models.FloatField(_("points"), null=True, blank=True)
    previous = models.FloatField(_("points before"), null=True, blank=True)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("score entry")
        verbose_name_plural = _("score entries")
        ordering = ["id"]
        indexes = [models.Index(fields=["assessment", "component", "round"])]

    def __str__(self) -> str:
        return f"{self.component} {self.round}: {self.points}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # Stored under the file's hash: names from users never reach the file system.
    return f"evidence/{instance.assessment.cycle_id}/{instance.assessment_id}/{instance.sha256}"


class Evidence(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="evidence")
    component = models.CharField(_("component"), max_length=40)
    round = models.CharField(_("round"), max_length=20, choices=Round.choices)
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class ExplanationRequest(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="explanation_requests"
    )
    component = models.CharField(_("component"), max_length=40)
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("explanation request")
        verbose_name_plural = _("explanation requests")

    def __str__(self) -> str:
        return f"{self.assessment} · {self.component}"


class StateChange(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="moves")
    action = models.CharField(
        _("action"), max_length=30, choices=[(a.value, a.value) for a in Action]
    )
    source = models.CharField(_("from"), max_length=20)
    target = models.CharField(_("to"), max_length=20)
    reason = models.TextField(_("reason"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workflow move")
        verbose_name_plural = _("workflow moves")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.source} → {self.target}"


class CouncilNote(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="council_notes")
    text = models.TextField(_("decision"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")

    def __str__(self) -> str:
        return self.text[:60]


class DeadlineReminder(models.Model):
    """A reminder sent, so that the daily run sends each one once."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("deadline"), max_length=20)
    days_before = models.PositiveSmallIntegerField(_("days before"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "days_before"], name="one_reminder_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.kind} −{self.days_before}"


class StoredCertainty(models.Model):
    """A cycle's rank intervals as last computed (thousands of recomputations of the index),
    with the fingerprint of the scores, surveys and settings they came from: the ranking pages
    read them, and a stale one is recomputed in the background."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="certainty")
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    payload = models.JSONField(_("payload"))
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("stored rank intervals")
        verbose_name_plural = _("stored rank intervals")

    def __str__(self) -> str:
        return f"{self.cycle_id} · {self.fingerprint[:8]}"
