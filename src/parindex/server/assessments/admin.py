"""Administrators create and open cycles here: year, edition, deadlines, the units assessed and
the appraisers of each. Score entries and moves are read-only: they are the history."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from parindex.core.methodology.shipped import shipped_edition_ids
from parindex.server.assessments.models import (
    Assessment,
    CouncilNote,
    Cycle,
    Evidence,
    ScoreEntry,
    StateChange,
)
from parindex.server.audit import events as audit_events


def _published(cycle: Cycle | None) -> bool:
    return cycle is not None and cycle.published_at is not None


class AssessmentInline(admin.TabularInline):
    model = Assessment
    fields = ["unit", "state", "appraisers"]
    readonly_fields = ["state"]
    autocomplete_fields = ["unit"]
    extra = 0

    # A published cycle's assessments are history (the database refuses it too).
    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return not _published(obj) and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return not _published(obj) and super().has_add_permission(request, obj)


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = [
            "year",
            "name",
            "edition",
            "self_assessment_deadline",
            "explanation_deadline",
            "appraisal_deadline",
            "is_open",
            "synthetic",
            "surveys",
        ]

    def clean_edition(self) -> str:
        edition = self.cleaned_data["edition"]
        if edition not in shipped_edition_ids():
            raise forms.ValidationError(
                _("No methodology edition '%(edition)s' is shipped."), params={"edition": edition}
            )
        return str(edition)


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "year",
        "edition",
        "is_open",
        "self_assessment_deadline",
        "published_at",
    ]
    readonly_fields = ["published_at", "published_table", "provenance"]
    inlines = [AssessmentInline]
    form = CycleForm

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return not _published(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return not _published(obj) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset) -> None:  # type: ignore[no-untyped-def]
        # The bulk action skips published cycles rather than failing on the database's refusal.
        super().delete_queryset(request, queryset.filter(published_at__isnull=True))

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        audit_events.cycle_saved(obj, request.user, form.changed_data, created=not change)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ScoreEntry)
class ScoreEntryAdmin(ReadOnly):
    list_display = [
        "assessment",
        "component",
        "round",
        "previous",
        "points",
        "author",
        "created_at",
    ]
    list_filter = ["round"]


@admin.register(StateChange)
class StateChangeAdmin(ReadOnly):
    list_display = ["assessment", "action", "source", "target", "by", "at"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnly):
    list_display = ["assessment", "component", "name", "size", "sha256", "uploaded_at"]


admin.site.register(CouncilNote, ReadOnly)
