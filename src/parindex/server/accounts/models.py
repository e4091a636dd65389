"""Users, the units they work for, and the roles they hold at those units."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from parindex.core.roles import UNIT_BOUND_ROLES, Role
from parindex.server.accounts.labels import ROLE_CHOICES, UNIT_KIND_CHOICES


class User(AbstractUser):
    """A person or a device account. What it may do comes from its role assignments."""

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class UnitQuerySet(models.QuerySet["Unit"]):
    def valid_on(self, day: date) -> UnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class Unit(models.Model):
    """An administrative unit: ministry, province, department, district, commune or centre."""

    ref = models.CharField(
        _("reference"),
        max_length=64,
        unique=True,
        help_text=_("Stable identifier, e.g. province:20 or ministry:BNV."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=UNIT_KIND_CHOICES)
    code = models.CharField(
        _("code"), max_length=32, blank=True, help_text=_("GSO code or official abbreviation.")
    )
    name_vi = models.CharField(_("Vietnamese name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self",
        verbose_name=_("successor units"),
        symmetrical=False,
        blank=True,
        related_name="predecessors",
    )
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Created by the demo; not a real record.")
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["kind", "code", "name_vi"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        if get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_vi


class RoleAssignment(models.Model):
    """A user holds a role at a unit (reaching it and all below) or, with no unit, nationally."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=32, choices=ROLE_CHOICES)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        help_text=_("Empty: the role is held nationally."),
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(unit__isnull=False),
                name="role_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(unit__isnull=True), name="role_once_nationally"
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False)
                | ~Q(role__in=sorted(r.value for r in UNIT_BOUND_ROLES)),
                name="unit_bound_role_has_unit",
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.name if self.unit else _("nationwide")
        return f"{self.user} · {self.get_role_display()} · {where}"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)
