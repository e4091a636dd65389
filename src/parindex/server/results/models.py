"""Published results as rows: a publication (a cycle, or a table published elsewhere, for one index
and year) and its rows (unit × node: points, maximum, %, rank "13/61", group).

Nothing here is ever changed once written: ``save`` on an existing row, ``delete`` and queryset
``update``/``delete`` are refused. A correction is a new publication that names the one it
corrects and why; both stay readable, and pages show the latest in the chain.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from parindex.core.errors import ParindexError
from parindex.server.accounts.models import Unit


class ImmutableError(ParindexError):
    """A published row was about to be changed or deleted."""


class Index(models.TextChoices):
    PAR_INDEX_PROVINCE = "par-index-province", _("PAR INDEX of provinces")
    PAR_INDEX_MINISTRY = "par-index-ministry", _("PAR INDEX of ministries")
    PAR_INDEX_PROVINCIAL_UNITS = "par-index-provincial-units", _("PAR INDEX of provincial units")
    SIPAS = "sipas", _("SIPAS (satisfaction)")
    PAPI = "papi", _("PAPI")
    PCI = "pci", _("PCI")


class Origin(models.TextChoices):
    CYCLE = "cycle", _("determined in parindex")
    IMPORT = "import", _("imported from a published source")


class Status(models.TextChoices):
    PUBLISHED = "published", _("published")
    NOT_PUBLISHED = "not_published", _("not published")
    NOT_ASSESSED = "not_assessed", _("not assessed")


class ImmutableQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableError(f"published {self.model.__name__} rows are never updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"published {self.model.__name__} rows are never deleted")


class Immutable(models.Model):
    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ImmutableError(f"published {type(self).__name__} {self.pk} is never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableError(f"published {type(self).__name__} {self.pk} is never deleted")


class Publication(Immutable):
    index = models.CharField(_("index"), max_length=40, choices=Index.choices)
    year = models.PositiveIntegerField(_("year"))
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    cycle = models.ForeignKey(
        "assessments.Cycle",
        verbose_name=_("assessment cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publications",
    )
    edition = models.CharField(_("methodology edition"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=255)
    source = models.TextField(_("source"), blank=True, help_text=_("File name, citation or URL."))
    scale_max = models.FloatField(_("maximum of the scale"), default=100.0)
    unit_of_score = models.CharField(_("score unit"), max_length=16, default="%")
    provenance = models.JSONField(_("provenance"), default=dict, blank=True)
    stated = models.JSONField(
        _("stated aggregates"),
        default=dict,
        blank=True,
        help_text=_("Figures the source states for the whole table (national average …)."),
    )
    published_at = models.DateTimeField(_("published at"))
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["index", "-year", "-published_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | ~models.Q(reason=""),
                name="a_correction_has_a_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    @property
    def is_current(self) -> bool:
        return not hasattr(self, "correction")


class PublishedNode(Immutable):
    """A node of the published table: the index itself (``node=""``) or a field, dimension or
    component index, with its names as published."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="nodes")
    node = models.CharField(_("node"), max_length=64, blank=True)
    level = models.CharField(_("level"), max_length=16, default="field")
    position = models.PositiveIntegerField(_("position"), default=0)
    name_vi = models.CharField(_("Vietnamese name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    max_points = models.FloatField(_("maximum points"), null=True, blank=True)

    class Meta:
        ordering = ["publication", "position"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "node"], name="one_node_per_publication")
        ]

    def __str__(self) -> str:
        return self.node or self.name_vi


class ResultRow(Immutable):
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="rows")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="published_results")
    node = models.CharField(_("node"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PUBLISHED
    )
    points = models.FloatField(_("points"), null=True, blank=True)
    max_points = models.FloatField(_("maximum points"), null=True, blank=True)
    pct = models.FloatField(_("score"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    ranked_of = models.PositiveIntegerField(_("units ranked"), null=True, blank=True)
    group = models.CharField(_("group"), max_length=80, blank=True)
    peer_group = models.CharField(_("peer group"), max_length=64, blank=True)
    change_pct = models.FloatField(_("change as published"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["publication", "node", "rank", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "unit", "node"], name="one_result_per_unit_node"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.node or 'index'}: {self.pct}"

    @property
    def rank_label(self) -> str:
        """ "13/61" as published, the rank alone when the denominator is unknown, else "—"."""
        if self.rank is None:
            return "—"
        return f"{self.rank}/{self.ranked_of}" if self.ranked_of else str(self.rank)
