"""Survey results on the public unit profile: the estimates a closed survey stores for the unit's
domain, each with its 95 % interval, in Vietnamese number format; none while the survey runs."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from parindex.core.methodology.shipped import load_shipped
from parindex.server.surveys.models import StoredComputation, Survey

pytestmark = pytest.mark.django_db


def vi(value: float) -> str:
    """2 decimals with a decimal comma, as Vietnamese readers write them."""
    text = str(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return text.replace(".", ",")


@pytest.fixture
def closed_survey(reference_units: None) -> Survey:
    from parindex.server.demo.results import build_published_years
    from parindex.server.surveys.intake import take_in
    from tests.server.surveys.conftest import build_survey, on_time

    build_published_years(np.random.default_rng(7))
    survey = build_survey("sipas-2026")
    take_in(survey, on_time(survey, range(survey.sample.count()), np.random.default_rng(3)))
    return survey


def _cells(html: str, table_id: str) -> dict[str, tuple[str, str, str, str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table is not None, table_id
    found = re.findall(
        r'<tr data-node="([^"]+)">.*?class="num estimate">([^<]*)<.*?class="low">([^<]*)<'
        r'.*?class="high">([^<]*)<.*?<td class="num">[^<]*</td><td class="num">([^<]*)<',
        table[0],
        re.S,
    )
    return {node: (estimate, low, high, n) for node, estimate, low, high, n in found}


def test_the_profile_shows_the_stored_estimates_and_intervals(closed_survey) -> None:  # type: ignore[no-untyped-def]
    html = Client().get("/results/par-index-province/unit/province:20/").content.decode()
    stored = StoredComputation.objects.get(survey=closed_survey, kind="results").payload
    mine = {r["node"]: r for r in stored["rows"] if r["domain"] == "Lạng Sơn"}
    assert mine, "the survey's domain 'Lạng Sơn' stands for Tỉnh Lạng Sơn"
    shown = _cells(html, "survey-sipas-2026") | _cells(html, "survey-sipas-2026-details")
    assert set(shown) == set(mine)
    for node, (estimate, low, high, n) in shown.items():
        row = mine[node]
        assert (estimate, low, high, n) == (
            vi(row["estimate"]),
            vi(row["low"]),
            vi(row["high"]),
            str(row["n"]),
        ), node
        assert row["low"] < row["estimate"] < row["high"]
    headline = _cells(html, "survey-sipas-2026")
    edition = load_shipped("sipas/2023").value
    assert edition is not None
    assert list(headline) == ["index", *(f.id for f in edition.fields)], "the index, its fields"
    assert "Khoảng tin cậy 95" in html and "," in headline["index"][0]


def test_a_unit_outside_the_survey_and_a_running_survey_show_none(closed_survey) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    html = Client().get("/results/par-index-province/unit/province:01/").content.decode()
    assert 'id="surveys-title"' not in html, "Hà Nội is not a domain of the survey"
    Survey.objects.filter(pk=closed_survey.pk).update(closes_at=timezone.now() + timedelta(days=1))
    cache.clear()
    html = Client().get("/results/par-index-province/unit/province:20/").content.decode()
    assert 'id="surveys-title"' not in html, "estimates of a running survey are not published"
