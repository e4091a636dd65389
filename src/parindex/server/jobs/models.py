"""A background job: what it is (its kind), whom it concerns (any object, generically), who
asked, how far it has gone, and what it produced (a result, a refusal, a file)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """One run of a kind registered in ``jobs.kinds``. An upload waits in the staging folder
    until the task has read it; a render's file is kept in the media folder's ``jobs/``."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("refused")

    kind = models.CharField(_("kind"), max_length=40)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.CharField(_("step"), max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    subject_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    language = models.CharField(max_length=10, default="vi")
    key = models.CharField(max_length=300, blank=True, db_index=True)
    """For a render anyone may ask for again (a published report): the same key, the same job."""
    upload_name = models.CharField(_("file name"), max_length=255, blank=True)
    staged = models.CharField(max_length=255, blank=True)
    params = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    output = models.CharField(max_length=255, blank=True)
    """The produced file's name in the jobs folder (``MEDIA_ROOT/jobs``)."""
    output_name = models.CharField(max_length=255, blank=True)
    output_type = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} {self.state}"

    @property
    def running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    def concerns(self, obj: Any) -> None:
        self.subject_type = ContentType.objects.get_for_model(type(obj))
        self.subject_id = obj.pk


class Housekeeping(models.Model):
    """When a worker last started a housekeeping run (one row per chore), so that two workers
    do not run it twice: a worker claims the run by moving ``started_at`` forward in one
    conditional update, which only one of them can win."""

    name = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"
