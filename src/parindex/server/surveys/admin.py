from django.contrib import admin

from parindex.server.audit import events as audit_events
from parindex.server.surveys.models import Response, SampledUnit, SetAside, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "edition",
        "questionnaire",
        "opens_at",
        "closes_at",
        "lonely_psu",
        "synthetic",
    ]

    def save_model(self, request, obj, form, change) -> None:  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        changed = {name: str(getattr(obj, name)) for name in form.changed_data}
        what = "edited" if change else "created"
        audit_events.survey_design(obj, request.user, what, {"fields": changed})


class History(admin.ModelAdmin):
    """Sampled units and counted responses are the survey's history: read, never changed."""

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(SampledUnit)
class SampledUnitAdmin(History):
    list_display = ["survey", "position", "code", "domain", "stratum", "inclusion_probability"]
    list_filter = ["survey", "domain"]
    search_fields = ["code"]


@admin.register(Response)
class ResponseAdmin(History):
    list_display = ["unit", "channel", "received_at"]
    list_filter = ["channel"]
    readonly_fields = ["unit", "channel", "received_at", "answers"]


@admin.register(SetAside)
class SetAsideAdmin(admin.ModelAdmin):
    list_display = ["survey", "code", "verdict", "reason", "channel", "received_at"]
    list_filter = ["verdict", "channel"]
    readonly_fields = ["survey", "code", "verdict", "reason", "channel", "received_at", "answers"]
