"""Devices retrying the same ratings at the same time, against a live server: every rating is
stored exactly once and every answer names the stored row."""

from __future__ import annotations

import json
import os
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.utils import timezone

from parindex.server.ratings.models import Rating

from .conftest import Site

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="concurrent writers need PostgreSQL (the live server shares one SQLite connection)",
    ),
]


def post(url: str, token: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


def test_concurrent_retries_store_each_rating_once(site: Site, live_server: Any) -> None:
    moment = timezone.now().isoformat()
    items = [
        {
            "client_id": str(uuid.uuid4()),
            "satisfaction": 1 + k % 5,
            "submitted_at": moment,
            "counter": f"Q{k}",
        }
        for k in range(30)
    ]
    url = f"{live_server.url}/api/v1/ingest/ratings/batch"
    # Eight devices' worth of retries, each sending the same items in its own order.
    batches = [{"items": items[k:] + items[:k]} for k in range(0, 24, 3)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda body: post(url, site.rating_token, body), batches))
    assert all(status == 200 for status, _ in answers)
    assert Rating.objects.count() == 30
    stored_ids = dict(Rating.objects.values_list("client_id", "id"))
    for (_, answer), body in zip(answers, batches, strict=True):
        for result in answer["results"]:
            item = body["items"][result["index"]]
            assert result["outcome"] in ("stored", "duplicate"), result
            assert result["id"] == stored_ids[uuid.UUID(item["client_id"])]
    stored = sum(r["outcome"] == "stored" for _, a in answers for r in a["results"])
    assert stored == 30  # each rating acknowledged as new exactly once across all retries
