from django.contrib import admin

from parindex.server.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The log is read here; the database refuses any change (``audit.history``)."""

    list_display = ["seq", "at", "actor", "kind", "subject"]
    list_filter = ["kind"]
    search_fields = ["subject", "actor"]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
