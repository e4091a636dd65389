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


@pytest.fixture(autouse=True, scope="session")
def fast_password_hasher() -> None:
    """Tests hash with MD5: PBKDF2 takes seconds per account on a loaded machine, and what a
    test checks never depends on the hasher's strength (production keeps Django's default)."""
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


@pytest.fixture
def make_cycle(db: None) -> Callable[..., object]:
    """``make_cycle(edition, refs)``: an open assessment cycle of ``edition`` with one
    assessment per unit ref (the units must exist), deadlines 10, 20 and 30 days ahead."""
    from datetime import timedelta

    from django.utils import timezone

    from parindex.server.accounts.models import Unit
    from parindex.server.assessments.models import Assessment, Cycle

    def make(
        edition: str = "par-index-province/2023",
        refs: tuple[str, ...] | list[str] = (),
        *,
        year: int = 2026,
        name: str = "Chỉ số CCHC 2026",
        days: tuple[int, int, int] = (10, 20, 30),
        is_open: bool = True,
        state: str | None = None,
    ) -> Cycle:
        now = timezone.now()
        cycle = Cycle.objects.create(
            year=year,
            name=name,
            edition=edition,
            self_assessment_deadline=now + timedelta(days=days[0]),
            explanation_deadline=now + timedelta(days=days[1]),
            appraisal_deadline=now + timedelta(days=days[2]),
            is_open=is_open,
        )
        for ref in refs:
            assessment = Assessment(cycle=cycle, unit=Unit.objects.get(ref=ref))
            if state is not None:
                assessment.state = state
            assessment.save()
        return cycle

    return make
