"""Administrators create and open cycles here: year, edition, deadlines, the units assessed and
the appraisers of each. Score entries and moves are read-only: they are the history."""

from django.contrib import admin

from parindex.server.assessments.models import (
    Assessment,
    CouncilNote,
    Cycle,
    Evidence,
    ScoreEntry,
    StateChange,
)


class AssessmentInline(admin.TabularInline):
    model = Assessment
    fields = ["unit", "state", "appraisers"]
    readonly_fields = ["state"]
    autocomplete_fields = ["unit"]
    extra = 0


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
