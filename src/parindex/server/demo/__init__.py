"""The synthetic demonstration world: real reference units, synthetic records and accounts.

Deterministic for a seed, except passwords: those are drawn fresh on every run and printed once.
Every synthetic record is marked so, and every page of a demo site says so.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.core.management import call_command
from django.db import transaction

from parindex.core.roles import Role
from parindex.core.units import UnitKind
from parindex.server.accounts import services
from parindex.server.accounts.models import Unit, User
from parindex.server.demo.assessments import build_assessment_cycles
from parindex.server.demo.par_survey import build_par_officials_survey
from parindex.server.demo.results import build_published_years
from parindex.server.demo.survey import build_sipas_survey
from parindex.server.surveys.models import SampledUnit

DEMO_PROVINCE_REF = "province:20"
"""Lạng Sơn: a province the 2025 merger left whole, so it is valid in both years of the demo."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role
    unit: str


@dataclass(frozen=True)
class DemoWorld:
    seed: int
    units_loaded: int
    accounts: tuple[DemoAccount, ...]
    survey_households: int = 0
    survey_counted: int = 0
    officials_sampled: int = 0
    officials_counted: int = 0
    published_cycle: int = 0
    current_cycle: int = 0
    evidence_files: int = 0


def build_demo(folder: Path, seed: int = 2026) -> DemoWorld:
    """Migrate the (empty) database and fill it with the demonstration world; files the demo
    makes (the officials' sampling frame) go to ``folder``."""
    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        loaded = services.load_reference_units()
        province = Unit.objects.get(ref=DEMO_PROVINCE_REF)
        centre = _synthetic_unit(
            f"{DEMO_PROVINCE_REF}/one-stop",
            UnitKind.ONE_STOP_CENTRE,
            "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn",
            "Lang Son Public Administration Service Centre",
            parent=province,
        )
        accounts = tuple(
            _account(role, unit)
            for role, unit in (
                (Role.ADMIN, None),
                (Role.FOCAL_POINT, province),
                (Role.LEADER, province),
                (Role.APPRAISER, None),
                (Role.COUNCIL_MEMBER, None),
                (Role.SURVEY_MANAGER, None),
                (Role.COUNTER_DEVICE, centre),
                (Role.PUBLIC, None),
            )
        )
    with transaction.atomic():
        cycles = build_assessment_cycles(np.random.default_rng(seed + 2), province)
        build_published_years(np.random.default_rng(seed + 3))
    intake = build_sipas_survey(np.random.default_rng(seed))
    households = SampledUnit.objects.count()
    officials = build_par_officials_survey(np.random.default_rng(seed + 1), folder)
    return DemoWorld(
        seed=seed,
        units_loaded=loaded["created"],
        accounts=accounts,
        survey_households=households,
        survey_counted=intake.counted,
        officials_sampled=SampledUnit.objects.count() - households,
        officials_counted=officials.counted,
        published_cycle=cycles.published.pk,
        current_cycle=cycles.current.pk,
        evidence_files=cycles.evidence_files,
    )


def _synthetic_unit(ref: str, kind: UnitKind, name_vi: str, name_en: str, parent: Unit) -> Unit:
    unit, _ = Unit.objects.update_or_create(
        ref=ref,
        defaults={
            "kind": kind.value,
            "name_vi": name_vi,
            "name_en": name_en,
            "parent": parent,
            "synthetic": True,
        },
    )
    return unit


def _account(role: Role, unit: Unit | None) -> DemoAccount:
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(username=role.slug, password=password)
    if role is Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    services.grant_role(user, role, unit)
    return DemoAccount(role.slug, password, role, unit.name_vi if unit else "toàn quốc")


def render_accounts(world: DemoWorld) -> str:
    """The accounts table printed once at the end of ``parindex demo``."""
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title="Tài khoản demo / demo accounts (mật khẩu chỉ hiện một lần / passwords shown once)"
    )
    for column in ("username", "password", "role", "unit"):
        table.add_column(column)
    for account in world.accounts:
        table.add_row(account.username, account.password, account.role.value, account.unit)
    console = Console(width=140, record=True, force_terminal=False)
    with console.capture() as capture:
        console.print(
            f"{world.units_loaded} units loaded (ministries, 63 + 34 provinces); seed {world.seed}"
        )
        console.print(
            f"SIPAS 2026 demo survey: {world.survey_households} households sampled, "
            f"{world.survey_counted} responses counted (/surveys/)"
        )
        console.print(
            f"PAR INDEX 2026 officials' survey (open now): {world.officials_sampled} officials "
            f"sampled from an Excel frame, {world.officials_counted} answered; ballots at "
            "/surveys/par-2026-officials-demo/, web form at /s/par-2026-officials-demo/"
        )
        console.print(
            f"PAR INDEX of provinces: last year published (/assessments/{world.published_cycle}"
            f"/published/), this year in progress (/assessments/{world.current_cycle}/) with "
            f"{world.evidence_files} generated evidence files"
        )
        console.print(table)
    return capture.get()
