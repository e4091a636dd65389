"""The synthetic demonstration world: real reference units, synthetic records and accounts.

Deterministic for a seed, except passwords: those are drawn fresh on every run and printed once.
Every synthetic record is marked so, and every page of a demo site says so.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
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
from parindex.server.demo.provincial import build_provincial_cycle
from parindex.server.demo.results import build_published_years, todays_provinces
from parindex.server.demo.survey import build_sipas_survey
from parindex.server.surveys.models import SampledUnit, Survey

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
    provincial_cycle: int = 0
    current_cycle: int = 0
    evidence_files: int = 0


BUILD_STEPS = (
    "database tables",
    "units and accounts",
    "PAR INDEX cycles",
    "SIPAS survey (40,000 households)",
    "officials' survey",
)
"""What ``build_demo`` reports to ``on_step`` before each step, in order."""


def build_demo(
    folder: Path, seed: int = 2026, on_step: Callable[[str], None] | None = None
) -> DemoWorld:
    """Migrate the (empty) database and fill it with the demonstration world; files the demo
    makes (the officials' sampling frame) go to ``folder``. ``on_step`` hears each of
    ``BUILD_STEPS`` as it starts (the command's progress bar)."""
    step = on_step or (lambda _: None)
    step(BUILD_STEPS[0])
    call_command("migrate", interactive=False, verbosity=0)
    step(BUILD_STEPS[1])
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
    step(BUILD_STEPS[2])
    with transaction.atomic():
        # The announced years first: the demo's determined year follows on from the last.
        years = build_published_years(np.random.default_rng(seed + 4))
        cycles = build_assessment_cycles(
            np.random.default_rng(seed + 2), province, todays_provinces(years[-1])
        )
        provincial_admin = _account(Role.ADMIN, province, username="admin-lang-son")
        accounts = (*accounts, provincial_admin)
        provincial = build_provincial_cycle(
            np.random.default_rng(seed + 3),
            province,
            User.objects.get(username=provincial_admin.username),
            User.objects.get(username=Role.APPRAISER.slug),
        )
    step(BUILD_STEPS[3])
    intake = build_sipas_survey(np.random.default_rng(seed))
    households = SampledUnit.objects.count()
    step(BUILD_STEPS[4])
    officials = build_par_officials_survey(np.random.default_rng(seed + 1), folder)
    # The officials' survey scores this year's survey components: its design gives their
    # sampling uncertainty in the cycle's rank intervals (docs/plans.md).
    cycles.current.surveys.add(Survey.objects.get(slug="par-2026-officials-demo"))
    return DemoWorld(
        seed=seed,
        units_loaded=loaded["created"],
        accounts=accounts,
        survey_households=households,
        survey_counted=intake.counted,
        officials_sampled=SampledUnit.objects.count() - households,
        officials_counted=officials.counted,
        published_cycle=cycles.published.pk,
        provincial_cycle=provincial.cycle.pk,
        current_cycle=cycles.current.pk,
        evidence_files=cycles.evidence_files,
    )


def store_survey_computations() -> None:
    """Compute and store every survey's estimates and flags, so that the first visit of a
    survey page reads them (run in the background once the demo serves)."""
    from django.db import connection

    from parindex.server.surveys import computed
    from parindex.server.surveys.models import Survey

    try:
        for survey in Survey.objects.order_by("pk"):
            computed.survey_quality(survey)
            computed.survey_results(survey)
    finally:
        connection.close()


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


def _account(role: Role, unit: Unit | None, username: str = "") -> DemoAccount:
    password = secrets.token_urlsafe(12)
    user = User.objects.create_user(username=username or role.slug, password=password)
    if role is Role.ADMIN and unit is None:
        user.is_staff = user.is_superuser = True
        user.save(update_fields=["is_staff", "is_superuser"])
    services.grant_role(user, role, unit)
    return DemoAccount(user.username, password, role, unit.name_vi if unit else "toàn quốc")


def render_accounts(world: DemoWorld) -> str:
    """The accounts table printed once at the end of ``parindex demo``."""
    from rich.console import Console
    from rich.table import Table

    table = Table(
        title="Tài khoản demo / demo accounts (mật khẩu chỉ hiện một lần / passwords shown once)"
    )
    for column in ("username", "password", "role", "unit"):
        table.add_column(column)
    from django.utils import translation

    from parindex.server.accounts.labels import ROLE_LABELS

    for account in world.accounts:
        # The role in words, in Vietnamese as the unit beside it (its code is no one's word).
        with translation.override("vi"):
            role = str(ROLE_LABELS[account.role])
        table.add_row(account.username, account.password, role, account.unit)
    facts = (
        f"{world.units_loaded} units loaded (ministries, 63 + 34 provinces); seed {world.seed}",
        f"SIPAS 2026 demo survey: {world.survey_households} households sampled, "
        f"{world.survey_counted} responses counted (/surveys/)",
        f"PAR INDEX 2026 officials' survey (open now): {world.officials_sampled} officials "
        f"sampled from an Excel frame, {world.officials_counted} answered; ballots at "
        "/surveys/par-2026-officials-demo/, web form at /s/par-2026-officials-demo/",
        f"PAR INDEX of provinces: last year published (/assessments/{world.published_cycle}"
        f"/published/), this year in progress (/assessments/{world.current_cycle}/) with "
        f"{world.evidence_files} generated evidence files",
        f"PAR INDEX of Lạng Sơn's departments and communes, published by the province "
        f"(/assessments/{world.provincial_cycle}/published/; its administrator: admin-lang-son)",
    )
    console = Console(width=140, record=True, force_terminal=False)
    with console.capture() as capture:
        for fact in facts:
            # One line each, however narrow the terminal: a wrapped address cannot be copied.
            console.print(fact, soft_wrap=True)
        console.print(table)
    return capture.get()
