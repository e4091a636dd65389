"""The cycle page names its methodology edition in words. The walk of the demo found only the
edition's id ("par-index-province/2023") under "Bộ chỉ số"."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from parindex.core.methodology.shipped import load_shipped
from parindex.core.roles import Role

pytestmark = pytest.mark.django_db


def edition_fact(client: Client, path: str) -> str:
    html = client.get(path).text
    found = re.search(r"<dt>(?:Bộ chỉ số|Methodology edition)</dt><dd>(.*?)</dd>", html)
    assert found is not None, html
    return found[1]


def test_the_cycle_page_gives_the_edition_s_title_in_the_reader_s_language(
    reference_units: None, make_cycle, make_user
) -> None:  # type: ignore[no-untyped-def]
    cycle = make_cycle("par-index-province/2023", ["province:20"])
    edition = load_shipped("par-index-province/2023").value
    client = Client()
    client.force_login(make_user("admin", Role.ADMIN, None))
    path = f"/assessments/{cycle.pk}/"
    assert edition_fact(client, path) == f"{edition.title_vi} (par-index-province/2023)"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert edition_fact(client, path) == f"{edition.title_en} (par-index-province/2023)"
