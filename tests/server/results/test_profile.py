"""A unit's profile: its history across the demo's published years and a cycle published here,
its fields with their change, where it lost points (``core.scoring.why``) and the link down to
the assessment, shown only to those who may see it."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.test import Client

from parindex.core.scoring import why
from parindex.server.results.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(published) -> Publication:  # type: ignore[no-untyped-def]
    from parindex.server.demo.results import build_published_years

    build_published_years(np.random.default_rng(7))
    return Publication.objects.get(cycle=published)


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_profile_shows_history_fields_and_where_points_were_lost(history, people) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.assessments import services

    url = "/results/par-index-province/unit/province:20/"
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    years = re.findall(r'<tr><th scope="row">(\d{4})</th>', html)
    assert years == ["2020", "2021", "2022", "2023", "2024", "2026"]
    # Lạng Sơn filled 60 % of every manual component and came 3rd of the three.
    assert re.search(r'<dd id="rank">3/3</dd>', html)
    assert text(html).count("không so sánh được") >= 1, "2017 → 2023 edition"
    table = services.score_table(history.cycle)
    expected = why(table).for_unit("province:20").shortfalls[0]
    first_row = re.search(r'<table class="data" id="why">.*?<tbody><tr>(.*?)</tr>', html, re.S)
    assert first_row is not None and expected.node in first_row[1]
    assert f"{expected.lost:.2f}".replace(".", ",") in first_row[1]
    assert "/assessments/" not in html, "the public does not see the assessment"

    client = Client()
    client.force_login(people.focal["province:20"])
    own = client.get(url).content.decode()
    assert f'href="/assessments/{history.cycle.pk}/province:20/"' in own


def test_fields_change_only_where_comparable_and_peer_median_is_shown(history) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.results.services.profile import unit_profile

    demo_2024 = Publication.objects.get(year=2024, index="par-index-province")
    ref = demo_2024.rows.filter(node="").order_by("rank").first().unit.ref
    profile = unit_profile("par-index-province", ref)
    assert profile is not None
    last = {r.node: r for r in demo_2024.rows.filter(unit__ref=ref).exclude(node="")}
    before_pub = Publication.objects.get(year=2023, index="par-index-province")
    before = {r.node: r for r in before_pub.rows.filter(unit__ref=ref).exclude(node="")}
    assert profile.publication == demo_2024, "the 2026 cycle has three other provinces"
    for item in profile.fields:
        assert item.change == round(last[item.node].pct - before[item.node].pct, 2)
        assert item.lost == round(last[item.node].max_points - last[item.node].points, 2)
        values = sorted(r.pct for r in demo_2024.rows.filter(node=item.node))
        assert item.best == values[-1] and item.peer_median == values[31]
    assert [f.change for f in profile.falls] == sorted(
        f.change for f in profile.fields if f.change < 0
    )[:3]
    changed = unit_profile("par-index-province", "province:01")
    assert changed is not None
    ha_noi_2022 = [h for h in changed.history if h.year in (2021, 2022)]
    assert ha_noi_2022[0].method != ha_noi_2022[1].method
