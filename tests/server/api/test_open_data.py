"""The open-data API: the committed OpenAPI document is the code's, responses follow it, lists
are paginated, every refusal has one body shape, units carry their successors."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from parindex.server.api.schema import COMMITTED, openapi_document, render

pytestmark = pytest.mark.django_db


def test_the_committed_openapi_document_is_the_code_s() -> None:
    assert COMMITTED.read_text("utf-8") == render(), (
        "docs/openapi/api-v1.json is stale: uv run python -m parindex.server.api.schema"
    )


def conforms(path: str, body: Any, status: int = 200) -> None:
    """``body`` validates against the committed document's response schema for ``path``."""
    document = json.loads(COMMITTED.read_text("utf-8"))
    operation = document["paths"][path]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": document["components"]})
    errors = [e.message for e in validator.iter_errors(body)]
    assert errors == [], path


@pytest.fixture
def data(reference_units: None) -> None:
    from parindex.server.demo.results import build_published_years

    build_published_years(np.random.default_rng(7))


def test_results_with_provenance_paginated_and_valid(data: None) -> None:
    client = Client()
    first = client.get("/api/v1/results", {"index": "par-index-province", "year": 2024}).json()
    conforms("/api/v1/results", first)
    assert first["count"] == 63 * 9 and len(first["items"]) == 100
    second = client.get(
        "/api/v1/results", {"index": "par-index-province", "year": 2024, "page": 2}
    ).json()
    assert {i["unit"] + i["node"] for i in first["items"]}.isdisjoint(
        i["unit"] + i["node"] for i in second["items"]
    )
    index_rows = client.get(
        "/api/v1/results", {"index": "par-index-province", "year": 2024, "node": ""}
    ).json()
    assert index_rows["count"] == 63
    assert {r["rank_label"].split("/")[1] for r in index_rows["items"]} == {"63"}

    publications = client.get("/api/v1/publications").json()
    conforms("/api/v1/publications", publications)
    assert [p["year"] for p in publications["items"]] == [2020, 2021, 2022, 2023, 2024]
    one = client.get(f"/api/v1/publications/{first['items'][0]['publication']}").json()
    conforms("/api/v1/publications/{publication_id}", one)
    assert one["stated"]["national_average"] == "88.37" and one["synthetic"] is True
    assert [n["node"] for n in one["nodes"]] == ["", "1", "2", "3", "4", "5", "6", "7", "8"]


def test_units_carry_their_successors_and_editions_are_listed(reference_units: None) -> None:
    client = Client()
    units = client.get("/api/v1/units", {"kind": "province", "valid_on": "2024-12-31"}).json()
    conforms("/api/v1/units", units)
    assert units["count"] == 63
    ha_giang = next(u for u in units["items"] if u["ref"] == "province:02")
    assert ha_giang["successors"] == ["province:08/2025"]
    after = client.get("/api/v1/units", {"kind": "province", "valid_on": "2025-08-01"}).json()
    assert after["count"] == 34
    editions = client.get("/api/v1/editions").json()
    conforms("/api/v1/editions", editions)
    assert "par-index-province/2023" in {e["id"] for e in editions["items"]}
    cycles = client.get("/api/v1/cycles").json()
    conforms("/api/v1/cycles", cycles)


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/publications/987654", 404, "not_found"),
        ("/api/v1/results?year=twenty", 422, "invalid"),
        ("/api/v1/units?valid_on=yesterday", 422, "invalid"),
    ],
    ids=["unknown publication", "a year that is not a number", "a date that is not a date"],
)
def test_every_refusal_has_one_body_shape(
    reference_units: None, path: str, status: int, code: str
) -> None:
    response = Client().get(path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code


def test_the_document_declares_the_error_shape() -> None:
    document = openapi_document()
    assert "ErrorOut" in document["components"]["schemas"]


def test_survey_estimates_with_intervals_once_the_survey_has_closed() -> None:
    """The estimates served are the surveys app's own (equal to R's survey, tested there)."""
    from datetime import timedelta

    from django.utils import timezone

    from parindex.server.surveys.estimates import results
    from parindex.server.surveys.intake import take_in
    from parindex.server.surveys.models import Survey
    from tests.server.surveys.conftest import CLOSE, on_time
    from tests.server.surveys.conftest import survey as make_survey

    survey = make_survey.__wrapped__()  # type: ignore[attr-defined]
    take_in(survey, on_time(survey, range(survey.sample.count()), np.random.default_rng(3)))
    client = Client()
    listed = client.get("/api/v1/surveys").json()
    conforms("/api/v1/surveys", listed)
    assert [s["slug"] for s in listed["items"]] == ["sipas-2026"], "closed on 30/09/2026"
    served = client.get("/api/v1/surveys/sipas-2026/estimates", {"domain": "Lạng Sơn"}).json()
    conforms("/api/v1/surveys/{slug}/estimates", served)
    expected = {(r.node): r for r in results(survey) if r.domain == "Lạng Sơn"}
    assert served["count"] == len(expected)
    item = next(i for i in served["items"] if i["node"] == "II.1.15")
    row = expected["II.1.15"]
    assert (item["estimate"], item["se"], item["low"], item["high"], item["n"]) == pytest.approx(
        (row.estimate, row.se, row.low, row.high, row.n)
    )
    assert item["low"] < item["estimate"] < item["high"]
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() + timedelta(days=1))
    assert timezone.now() > CLOSE
    refused = client.get("/api/v1/surveys/sipas-2026/estimates")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
