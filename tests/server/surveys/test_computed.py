"""Estimates and quality flags are computed once per change of the data: stored, read back on
the next visit, recomputed after an intake."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import Client

from parindex.core.roles import Role
from parindex.server.surveys.intake import take_in
from parindex.server.surveys.models import StoredComputation, Survey
from tests.server.surveys.conftest import on_time

pytestmark = pytest.mark.django_db


def test_results_are_stored_once_and_recomputed_after_an_intake(
    client: Client, make_user, survey: Survey
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user("manager", Role.SURVEY_MANAGER, None))
    rng = np.random.default_rng(3)
    take_in(survey, on_time(survey, range(40), rng))
    first = client.get(f"/surveys/{survey.slug}/results/")
    client.get(f"/surveys/{survey.slug}/")
    stored = {c.kind: c for c in StoredComputation.objects.filter(survey=survey)}
    assert set(stored) == {"results", "quality"}

    again = client.get(f"/surveys/{survey.slug}/results/")
    table = 'id="survey-summary"'
    assert again.text.split(table)[1] == first.text.split(table)[1]
    unchanged = StoredComputation.objects.get(survey=survey, kind="results")
    assert unchanged.computed_at == stored["results"].computed_at, "read back, not recomputed"

    take_in(survey, on_time(survey, range(40, 80), rng))
    after = client.get(f"/surveys/{survey.slug}/results/")
    assert "80 / 80 hộ được chọn mẫu đã được tính" in after.text
    fresh = StoredComputation.objects.get(survey=survey, kind="results")
    assert fresh.fingerprint != stored["results"].fingerprint
    n_rows = [r["n"] for r in fresh.payload["rows"] if r["node"] == "index"]
    assert sum(n_rows) == 80, "the estimates use the new answers"
    page = client.get(f"/surveys/{survey.slug}/")
    coverage = page.text.split('id="coverage"')[1]
    assert "100,0&nbsp;%" in coverage
