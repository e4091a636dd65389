from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from parindex.server.accounts.models import RoleAssignment, Unit, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["unit"]
    readonly_fields = ["granted_at", "granted_by"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleAssignmentInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name_vi", "kind", "code", "parent", "valid_from", "valid_to", "synthetic"]
    list_filter = ["kind", "synthetic", "valid_to"]
    search_fields = ["name_vi", "name_en", "code", "ref"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["successors"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "unit", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name_vi"]
    autocomplete_fields = ["user", "unit"]
