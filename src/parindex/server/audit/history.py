"""History that cannot be erased: database triggers refuse to change or delete a published
cycle, its assessments, score entries, moves and evidence; any counted response or sampled unit;
any audit event. Score entries and moves are never updated at all (a change is a new row).

The triggers hold whatever goes through the ORM, the admin, a queryset's ``update``/``delete``
or raw SQL. Only ``unlocked()`` lifts them, for a restore or a test database's flush: on SQLite
the triggers ask a function this process registers on each connection (a connection without it,
such as the ``sqlite3`` shell, fails closed); on PostgreSQL they read a session setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connections

_unlocked: ContextVar[bool] = ContextVar("history_unlocked", default=False)
SETTING = "parindex.history_unlocked"

# (table, operation, condition, what the row is): the condition names whose history it is.
GUARDS = [
    ("assessments_cycle", "UPDATE", "self", "a published cycle"),
    ("assessments_cycle", "DELETE", "self", "a published cycle"),
    ("assessments_assessment", "UPDATE", "cycle", "an assessment of a published cycle"),
    ("assessments_assessment", "DELETE", "cycle", "an assessment of a published cycle"),
    ("assessments_scoreentry", "UPDATE", "always", "a score entry"),
    ("assessments_scoreentry", "DELETE", "assessment", "a score entry of a published cycle"),
    ("assessments_statechange", "UPDATE", "always", "a recorded move"),
    ("assessments_statechange", "DELETE", "assessment", "a move of a published cycle"),
    ("assessments_evidence", "UPDATE", "assessment", "evidence of a published cycle"),
    ("assessments_evidence", "DELETE", "assessment", "evidence of a published cycle"),
    ("surveys_response", "UPDATE", "always", "a counted response"),
    ("surveys_response", "DELETE", "always", "a counted response"),
    ("surveys_sampledunit", "UPDATE", "always", "a sampled unit"),
    ("surveys_sampledunit", "DELETE", "always", "a sampled unit"),
    ("audit_auditevent", "UPDATE", "always", "an audit event"),
    ("audit_auditevent", "DELETE", "always", "an audit event"),
]

_SQLITE_CONDITION = {
    "always": "1",
    "self": "OLD.published_at IS NOT NULL",
    "cycle": "(SELECT published_at FROM assessments_cycle WHERE id = OLD.cycle_id) IS NOT NULL",
    "assessment": (
        "(SELECT c.published_at FROM assessments_cycle c JOIN assessments_assessment a"
        " ON a.cycle_id = c.id WHERE a.id = OLD.assessment_id) IS NOT NULL"
    ),
}


def _name(table: str, operation: str) -> str:
    return f"history_{table}_{operation.lower()}"


def sqlite_install() -> list[str]:
    statements = []
    for table, operation, condition, what in GUARDS:
        verb = "deleted" if operation == "DELETE" else "changed"
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {_name(table, operation)} BEFORE {operation} ON {table} "
            f"WHEN parindex_history_locked() AND {_SQLITE_CONDITION[condition]} "
            f"BEGIN SELECT RAISE(ABORT, 'parindex: {what} cannot be {verb}'); END"
        )
    return statements


POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION parindex_history_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  published boolean := false;
BEGIN
  IF coalesce(current_setting('{SETTING}', true), '') = 'on' THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_ARGV[0] = 'always' THEN
    published := true;
  ELSIF TG_ARGV[0] = 'self' THEN
    published := OLD.published_at IS NOT NULL;
  ELSIF TG_ARGV[0] = 'cycle' THEN
    SELECT c.published_at IS NOT NULL INTO published
      FROM assessments_cycle c WHERE c.id = OLD.cycle_id;
  ELSIF TG_ARGV[0] = 'assessment' THEN
    SELECT c.published_at IS NOT NULL INTO published
      FROM assessments_cycle c JOIN assessments_assessment a ON a.cycle_id = c.id
      WHERE a.id = OLD.assessment_id;
  END IF;
  IF coalesce(published, false) THEN
    RAISE EXCEPTION 'parindex: % cannot be %', TG_ARGV[1],
      CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'changed' END
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
"""


def postgres_install() -> list[str]:
    statements = [POSTGRES_FUNCTION]
    for table, operation, condition, what in GUARDS:
        name = _name(table, operation)
        statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        statements.append(
            f"CREATE TRIGGER {name} BEFORE {operation} ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION parindex_history_guard('{condition}', '{what}')"
        )
    return statements


def uninstall(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {_name(t, o)} ON {t}" for t, o, _c, _w in GUARDS] + [
            "DROP FUNCTION IF EXISTS parindex_history_guard()"
        ]
    return [f"DROP TRIGGER IF EXISTS {_name(t, o)}" for t, o, _c, _w in GUARDS]


def install(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = postgres_install() if vendor == "postgresql" else sqlite_install()
    for statement in statements:
        schema_editor.execute(statement, params=None)


def remove(schema_editor: Any) -> None:
    for statement in uninstall(schema_editor.connection.vendor):
        schema_editor.execute(statement, params=None)


def register_guard(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give each new SQLite connection the function its triggers ask."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "parindex_history_locked", 0, lambda: 0 if _unlocked.get() else 1
        )


@contextmanager
def unlocked(using: str = "default") -> Iterator[None]:
    """Lift the guards on this connection: for restoring a backup or flushing a test database,
    never for the application's own work."""
    connection = connections[using]
    token = _unlocked.set(True)
    postgres = connection.vendor == "postgresql"
    try:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', false)", [SETTING])
        yield
    finally:
        _unlocked.reset(token)
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'off', false)", [SETTING])
