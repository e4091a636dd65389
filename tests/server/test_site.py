"""What every page relies on: the favicon, and the demo's printed facts."""

from __future__ import annotations

import pytest
from django.test import Client

from parindex.core.roles import Role
from parindex.server.demo import DemoAccount, DemoWorld, render_accounts

pytestmark = pytest.mark.django_db


def test_every_page_links_a_favicon_that_is_served(client: Client) -> None:
    page = client.get("/")
    assert '<link rel="icon" href="/favicon.ico">' in page.text
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00", "an ICO file"


def test_the_demo_prints_each_address_whole_on_one_line() -> None:
    world = DemoWorld(
        seed=2026,
        units_loaded=105,
        accounts=(
            DemoAccount("admin", "x" * 16, Role.ADMIN, "toàn quốc"),
            DemoAccount("focal-point", "y" * 16, Role.FOCAL_POINT, "Tỉnh Lạng Sơn"),
        ),
        survey_households=39773,
        survey_counted=35824,
        officials_sampled=1020,
        officials_counted=816,
        published_cycle=1,
        current_cycle=2,
        evidence_files=81,
    )
    text = render_accounts(world)
    lines = text.splitlines()
    assert any(
        "ballots at /surveys/par-2026-officials-demo/, web form at /s/par-2026-officials-demo/"
        in line
        for line in lines
    )
    assert any("/assessments/2/) with 81 generated evidence files" in line for line in lines)


def test_the_demo_prints_each_account_s_role_in_words() -> None:
    world = DemoWorld(
        seed=2026,
        units_loaded=105,
        accounts=(
            DemoAccount("focal-point", "y" * 16, Role.FOCAL_POINT, "Tỉnh Lạng Sơn"),
            DemoAccount("council-member", "z" * 16, Role.COUNCIL_MEMBER, "toàn quốc"),
        ),
        survey_households=1,
        survey_counted=1,
        officials_sampled=1,
        officials_counted=1,
        published_cycle=1,
        current_cycle=2,
        evidence_files=1,
    )
    text = render_accounts(world)
    assert "focal_point" not in text and "council_member" not in text
    focal = next(line for line in text.splitlines() if "focal-point" in line)
    assert "Đầu mối đơn vị" in focal, focal
