"""A province with a one-stop centre, another province, a counter device and its tokens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class Site:
    province: object
    centre: object
    other: object
    device: object
    rating_token: str
    dossier_token: str


@pytest.fixture
def site(db: None, make_user: Callable[..., object]) -> Site:
    from parindex.core.roles import Role
    from parindex.server.accounts.models import Unit
    from parindex.server.ratings.models import IngestToken

    province = Unit.objects.create(ref="test:p", kind="province", code="99", name_vi="Tỉnh Thử")
    centre = Unit.objects.create(
        ref="test:p-tthcc",
        kind="one_stop_centre",
        name_vi="Trung tâm Phục vụ hành chính công",
        parent=province,
    )
    other = Unit.objects.create(ref="test:q", kind="province", code="98", name_vi="Tỉnh Khác")
    device = make_user("quay-01", Role.COUNTER_DEVICE, centre)
    integration = make_user("motcua", Role.FOCAL_POINT, province)
    _, rating_secret = IngestToken.issue(device, centre, IngestToken.Purpose.RATINGS)  # type: ignore[arg-type]
    _, dossier_secret = IngestToken.issue(integration, province, IngestToken.Purpose.DOSSIERS)  # type: ignore[arg-type]
    return Site(province, centre, other, device, rating_secret, dossier_secret)


@pytest.fixture(params=[True, False], ids=["gateway", "ninja"])
def gateway(request: pytest.FixtureRequest, settings: Any) -> bool:
    """Token ratings answered by the gateway middleware, or by the Ninja operations below it."""
    settings.INGEST_GATEWAY = request.param
    return bool(request.param)
