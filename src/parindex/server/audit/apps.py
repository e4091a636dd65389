from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "parindex.server.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from parindex.server.audit.history import register_guard

        connection_created.connect(register_guard)
        post_migrate.connect(_reinstall_guards, sender=self)


def _reinstall_guards(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # SQLite rebuilds a table to alter it, dropping its triggers: put them back after migrating.
    from django.db import connections

    from parindex.server.audit.history import install

    connection = connections[using]
    with connection.schema_editor() as editor:
        install(editor)
