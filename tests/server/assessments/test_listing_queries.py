"""A cycle's lists ask the permission rules once a row: the database work must not grow with
the rows. The walk of the demo found the council's pages of Lạng Sơn's 78 units taking 3 s
(945 queries), each row reading the user's roles, its unit's parents and its appraisers again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parindex.core.roles import Role

pytestmark = pytest.mark.django_db


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_cycle_list_reads_roles_once_whatever_the_number_of_units(
    reference_units: None, make_cycle, make_user
) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    provinces = list(
        Unit.objects.filter(ref__startswith="province:", parent__isnull=True)
        .order_by("ref")
        .values_list("ref", flat=True)[:33]
    )
    small = make_cycle("par-index-province/2023", provinces[:3], year=2025, name="Ba tỉnh")
    client = Client()
    client.force_login(make_user("council", Role.COUNCIL_MEMBER, None))
    appraiser = make_user("appraiser", Role.APPRAISER, None)
    for assessment in small.assessments.all():
        assessment.appraisers.add(appraiser)
    client.get("/assessments/")  # the session and caches warm
    with_three = queries(client, "/assessments/")
    large = make_cycle("par-index-province/2023", provinces[3:], year=2026, name="Ba mươi tỉnh")
    for assessment in large.assessments.all():
        assessment.appraisers.add(appraiser)
    with_thirty_three = queries(client, "/assessments/")
    assert with_thirty_three - with_three <= 5, "a second cycle costs its own few queries"


@pytest.mark.parametrize("page", ["/assessments/{pk}/", "/assessments/{pk}/council/"])
def test_a_cycle_s_tables_cost_the_same_queries_for_3_units_or_30(
    reference_units: None, make_cycle, make_user, page: str
) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.accounts.models import Unit

    provinces = list(
        Unit.objects.filter(ref__startswith="province:", parent__isnull=True)
        .order_by("ref")
        .values_list("ref", flat=True)[:33]
    )
    small = make_cycle("par-index-province/2023", provinces[:3], year=2025, name="Ba tỉnh")
    large = make_cycle("par-index-province/2023", provinces[3:], year=2026, name="Ba mươi tỉnh")
    client = Client()
    client.force_login(make_user("admin", Role.ADMIN, None))
    client.get(page.format(pk=small.pk))  # the session and caches warm
    with_three = queries(client, page.format(pk=small.pk))
    with_thirty = queries(client, page.format(pk=large.pk))
    assert with_thirty - with_three <= 2, (with_three, with_thirty)


def test_a_role_s_home_counts_its_units_by_kind_in_one_query(
    reference_units: None, make_cycle, make_user
) -> None:  # type: ignore[no-untyped-def]
    """The walk found 242 queries behind a council member's home: one COUNT per unit (Unit's
    default ordering leaked into the DISTINCT) and the rules per open assessment."""
    from parindex.server.accounts.models import Unit

    provinces = list(
        Unit.objects.filter(ref__startswith="province:", parent__isnull=True)
        .order_by("ref")
        .values_list("ref", flat=True)[:30]
    )
    make_cycle("par-index-province/2023", provinces, year=2026, name="Ba mươi tỉnh")
    client = Client()
    client.force_login(make_user("council", Role.COUNCIL_MEMBER, None))
    client.get("/home/council-member/")  # the session and caches warm
    assert Unit.objects.count() > 90
    assert queries(client, "/home/council-member/") <= 12
