from django.contrib import admin

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


@admin.register(SampledUnit)
class SampledUnitAdmin(admin.ModelAdmin):
    list_display = ["survey", "position", "code", "domain", "stratum", "inclusion_probability"]
    list_filter = ["survey", "domain"]
    search_fields = ["code"]


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["unit", "channel", "received_at"]
    list_filter = ["channel"]
    readonly_fields = ["unit", "channel", "received_at", "answers"]


@admin.register(SetAside)
class SetAsideAdmin(admin.ModelAdmin):
    list_display = ["survey", "code", "verdict", "reason", "channel", "received_at"]
    list_filter = ["verdict", "channel"]
    readonly_fields = ["survey", "code", "verdict", "reason", "channel", "received_at", "answers"]
