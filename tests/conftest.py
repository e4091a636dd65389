"""Shared fixtures. The suite runs on SQLite, or on PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

from collections.abc import Callable

import pytest


def pytest_report_header(config: pytest.Config) -> str:
    import os

    url = os.environ.get("DATABASE_URL", "")
    return f"parindex database: {url.split('@')[-1] if url else 'SQLite'}"


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings) -> None:  # type: ignore[no-untyped-def]
    """Background tasks run inside the request in tests (no worker process to wait for); the
    database backend and the worker are tested on their own (tests/server/surveys/test_jobs.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reference_units(db: None) -> None:
    from parindex.server.accounts.services import load_reference_units

    load_reference_units()


@pytest.fixture
def make_user(db: None) -> Callable[..., object]:
    """``make_user("name", Role.X, unit)`` creates an account holding one role."""
    from parindex.core.roles import Role
    from parindex.server.accounts.models import Unit, User
    from parindex.server.accounts.services import grant_role

    def make(
        username: str,
        role: Role | None = None,
        unit: Unit | None = None,
        password: str = "mật-khẩu-thử-1",
    ) -> User:
        user = User.objects.create_user(username=username, password=password)
        if role is not None:
            grant_role(user, role, unit)
        return user

    return make
