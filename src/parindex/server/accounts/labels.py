"""Translatable labels for the core's closed vocabularies (the core knows no gettext)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parindex.core.roles import Role
from parindex.core.units import UnitKind

ROLE_LABELS: dict[Role, Promise] = {
    Role.ADMIN: _("Home Affairs administrator"),
    Role.FOCAL_POINT: _("Unit focal point"),
    Role.LEADER: _("Unit leader"),
    Role.APPRAISER: _("Appraiser"),
    Role.COUNCIL_MEMBER: _("Appraisal council member"),
    Role.SURVEY_MANAGER: _("Survey manager"),
    Role.COUNTER_DEVICE: _("Counter device"),
    Role.PUBLIC: _("Public reader"),
}

UNIT_KIND_LABELS: dict[UnitKind, Promise] = {
    UnitKind.MINISTRY: _("Ministry or ministerial-level agency"),
    UnitKind.PROVINCE: _("Province or centrally-run city"),
    UnitKind.DEPARTMENT: _("Department"),
    UnitKind.DISTRICT: _("District"),
    UnitKind.COMMUNE: _("Commune"),
    UnitKind.ONE_STOP_CENTRE: _("One-stop centre"),
}

ROLE_CHOICES = [(role.value, ROLE_LABELS[role]) for role in Role]
UNIT_KIND_CHOICES = [(kind.value, UNIT_KIND_LABELS[kind]) for kind in UnitKind]
