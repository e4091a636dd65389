"""Whether this installation can serve: system checks, model changes, unapplied migrations."""

from __future__ import annotations

import io

from django.conf import settings
from django.core import checks
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def installation_problems() -> list[str]:
    """Every reason this installation should not serve, as sentences; empty when all is well."""
    problems = [
        str(message)
        for message in checks.run_checks(include_deployment_checks=settings.CONFIG.production)
        if message.level >= checks.ERROR
    ]
    try:
        call_command("makemigrations", check=True, dry_run=True, stdout=io.StringIO())
    except SystemExit:
        problems.append(
            "models have changes without a migration: run 'parindex manage makemigrations'"
        )
    pending = unapplied_migrations()
    if pending:
        problems.append(
            f"{len(pending)} migrations are not applied ({', '.join(pending[:3])}…):"
            " run 'parindex manage migrate'"
        )
    return problems
