"""Improvement plans as carried out: a unit's plan towards a target, one action per component
to raise (who, by when, status, evidence), and every status move appended to a history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from parindex.core.plans import ActionStatus
from parindex.server.accounts.models import Unit
from parindex.server.assessments.models import Cycle

STATUS_LABELS = {
    ActionStatus.PLANNED: pgettext_lazy("plan action", "planned"),
    ActionStatus.IN_PROGRESS: pgettext_lazy("plan action", "in progress"),
    ActionStatus.DONE: pgettext_lazy("plan action", "done"),
    ActionStatus.DROPPED: pgettext_lazy("plan action", "dropped"),
}


class ImprovementPlan(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="plans")
    """The cycle whose results the plan starts from."""
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans")
    target = models.CharField(_("plan target"), max_length=40)
    needed_pct = models.FloatField(_("index % needed"))
    baseline_pct = models.FloatField(_("index % at the start"))
    baseline_rank = models.PositiveIntegerField(_("rank at the start"), null=True)
    planned_pct = models.FloatField(_("index % with the plan"))
    planned_rank = models.PositiveIntegerField(_("rank with the plan"), null=True)
    reachable = models.BooleanField(_("target reachable"), default=True)
    keep_at_maximum = models.JSONField(_("components to keep at maximum"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("plan made at"), auto_now_add=True)

    class Meta:
        verbose_name = _("improvement plan")
        verbose_name_plural = _("improvement plans")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.target}"

    def get_absolute_url(self) -> str:
        return reverse("plan", kwargs={"pk": self.pk})


class PlanAction(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="actions")
    component = models.CharField(_("component"), max_length=40)
    current_points = models.FloatField(_("points now"))
    target_points = models.FloatField(_("target points"))
    responsible_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=255, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("action status"),
        max_length=20,
        choices=[(s.value, STATUS_LABELS[s]) for s in ActionStatus],
        default=ActionStatus.PLANNED,
    )
    evidence = models.TextField(_("evidence of completion"), blank=True)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "component"], name="one_action_per_component")
        ]

    def __str__(self) -> str:
        return f"{self.component}: {self.current_points:g} → {self.target_points:g}"


class ActionChange(models.Model):
    """One move of an action's status, never updated."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="history")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField(_("moved at"), auto_now_add=True)
    from_status = models.CharField(_("status before"), max_length=20)
    to_status = models.CharField(_("status after"), max_length=20)
    note = models.TextField(_("note on the move"), blank=True)

    class Meta:
        verbose_name = _("action change")
        verbose_name_plural = _("action changes")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.action.component}: {self.from_status} → {self.to_status}"
