"""Cycles run from the site, at every level: the Ministry's national cycle and a province's own
cycle of its departments and communes, each administered only by those whose role reaches its
organiser."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from parindex.core.roles import Role
from parindex.server.accounts.models import Unit
from parindex.server.assessments import services
from parindex.server.assessments.models import Cycle
from parindex.server.assessments.services import administration
from tests.server.assessments.conftest import People

pytestmark = pytest.mark.django_db

PROVINCIAL = "par-index-provincial-units/2024"


def moment(days: int) -> str:
    local = timezone.localtime() + timedelta(days=days)
    return local.strftime("%Y-%m-%dT%H:%M")


def form(organiser: str, name: str = "Chỉ số CCHC các sở, ngành và xã 2026", **more: str) -> dict:
    return {
        "organiser": organiser,
        "name": name,
        "year": "2026",
        "edition": PROVINCIAL,
        "self_assessment_deadline": moment(10),
        "explanation_deadline": moment(20),
        "appraisal_deadline": moment(30),
        **more,
    }


@pytest.fixture
def lang_son_units(reference_units: None) -> dict[str, Unit]:
    """Two departments and two communes of Lạng Sơn, a department of Cao Bằng."""
    lang_son = Unit.objects.get(ref="province:20")
    cao_bang = Unit.objects.get(ref="province:04")

    def unit(ref: str, kind: str, name: str, parent: Unit) -> Unit:
        return Unit.objects.create(ref=ref, kind=kind, name_vi=name, name_en=name, parent=parent)

    return {
        "home": unit("province:20/department:noi-vu", "department", "Sở Nội vụ LS", lang_son),
        "finance": unit(
            "province:20/department:tai-chinh", "department", "Sở Tài chính LS", lang_son
        ),
        "ky_lua": unit("commune:06187", "commune", "Phường Kỳ Lừa", lang_son),
        "doan_ket": unit("commune:06001", "commune", "Xã Đoàn Kết", lang_son),
        "elsewhere": unit("province:04/department:noi-vu", "department", "Sở Nội vụ CB", cao_bang),
    }


def test_a_province_runs_its_own_cycle_from_the_site_and_another_province_cannot_touch_it(
    client, make_user, lang_son_units: dict[str, Unit], people: People
) -> None:  # type: ignore[no-untyped-def]
    lang_son = Unit.objects.get(ref="province:20")
    admin = make_user("admin-ls", Role.ADMIN, lang_son)
    appraiser = make_user("appraiser-ls", Role.APPRAISER, lang_son)
    outsider = make_user("appraiser-cb", Role.APPRAISER, Unit.objects.get(ref="province:04"))
    client.force_login(admin)

    page = client.get(reverse("assessment-new")).content.decode()
    assert f'<option value="{lang_son.pk}">Tỉnh Lạng Sơn' in page
    assert 'value="national"' not in page, "its own province only, not the nation"
    refused = client.post(reverse("assessment-new"), form("national"))
    assert refused.status_code == 400 and not Cycle.objects.filter(edition=PROVINCIAL).exists()
    created = client.post(reverse("assessment-new"), form(str(lang_son.pk)))
    cycle = Cycle.objects.get(edition=PROVINCIAL)
    assert created.status_code == 302 and cycle.organiser == lang_son and not cycle.is_open

    settings = reverse("assessment-settings", kwargs={"pk": cycle.pk})
    page = client.get(settings).content.decode()
    assert "Sở Nội vụ LS" in page and "Xã Đoàn Kết" in page
    assert "Sở Nội vụ CB" not in page, "another province's department is not offered"
    assert "appraiser-ls" in page and "appraiser-cb" not in page

    units = lang_son_units
    smuggled = client.post(
        settings, {"action": "units", "unit": [units["home"].pk, units["elsewhere"].pk]}
    )
    assert smuggled.status_code == 400 and "Sở Nội vụ CB" in smuggled.content.decode()
    assert not cycle.assessments.exists(), "nothing assigned from a refused form"
    stranger = client.post(
        settings,
        {
            "action": "units",
            "unit": [units["home"].pk],
            f"appraisers-{units['home'].pk}": outsider.pk,
        },
    )
    assert stranger.status_code == 400 and not cycle.assessments.exists()
    early = client.post(settings, {"action": "open"})
    assert early.status_code == 400 and "trước khi mở kỳ" in early.content.decode()

    chosen = [units["home"], units["finance"], units["ky_lua"], units["doan_ket"]]
    client.post(
        settings,
        {
            "action": "units",
            "unit": [u.pk for u in chosen],
            **{f"appraisers-{u.pk}": appraiser.pk for u in chosen},
        },
    )
    assert sorted(cycle.assessments.values_list("unit__ref", flat=True)) == sorted(
        u.ref for u in chosen
    )
    assert client.post(settings, {"action": "open"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.is_open

    # The Ministry's administrator reaches every cycle; Cao Bằng's reaches none of Lạng Sơn's.
    client.force_login(people.admin)
    assert client.get(settings).status_code == 200
    client.force_login(make_user("admin-cb", Role.ADMIN, Unit.objects.get(ref="province:04")))
    for name in ("assessment-settings", "assessment-preview", "assessment-council"):
        assert client.get(reverse(name, kwargs={"pk": cycle.pk})).status_code == 403, name
    assert client.get(reverse("assessment-table", kwargs={"pk": cycle.pk})).status_code == 403
    home = cycle.assessments.get(unit=units["home"])
    assert not services.can_view(User_of(client), home)


def User_of(client):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user

    return get_user(client)


def test_a_provincial_administrator_has_no_say_in_the_ministrys_cycle(
    client, cycle: Cycle, people: People, make_user
) -> None:  # type: ignore[no-untyped-def]
    lang_son = Unit.objects.get(ref="province:20")
    client.force_login(make_user("admin-ls", Role.ADMIN, lang_son))
    for name in ("assessment-settings", "assessment-preview", "assessment-council"):
        assert client.get(reverse(name, kwargs={"pk": cycle.pk})).status_code == 403, name
    draft = cycle.assessments.get(unit=lang_son)
    assert Role.ADMIN not in services.roles_for(User_of(client), draft)
    move = client.post(
        reverse("assessment-move", kwargs={"pk": cycle.pk, "ref": "province:20"}),
        {"action": "reopen", "reason": "thử"},
    )
    draft.refresh_from_db()
    assert move.status_code in (302, 400, 403) and draft.state == "draft"


def test_cycle_checks_match_the_admins_one_per_year_edition_and_organiser(
    make_user, reference_units: None
) -> None:  # type: ignore[no-untyped-def]
    lang_son = Unit.objects.get(ref="province:20")
    cao_bang = Unit.objects.get(ref="province:04")
    national = make_user("moha", Role.ADMIN, None)
    now = timezone.now()
    settings = administration.CycleSettings(
        "Kỳ 2026", 2026, PROVINCIAL, now, now + timedelta(days=1), now + timedelta(days=2)
    )
    administration.create_cycle(national, lang_son, settings)
    administration.create_cycle(national, None, settings)
    administration.create_cycle(national, cao_bang, settings)  # another province: its own
    with pytest.raises(services.AssessmentError, match="đã có kỳ đánh giá"):
        administration.create_cycle(national, lang_son, settings)
    with pytest.raises(services.AssessmentError, match="đã có kỳ đánh giá"):
        administration.create_cycle(national, None, settings)
    backwards = administration.CycleSettings(
        "Kỳ 2027", 2027, PROVINCIAL, now, now - timedelta(days=1), now + timedelta(days=2)
    )
    with pytest.raises(services.AssessmentError, match="theo thứ tự"):
        administration.create_cycle(national, lang_son, backwards)
    assert Cycle.objects.count() == 3


def test_the_demo_provinces_cycle_ranks_departments_and_communes_apart(
    reference_units: None, make_user
) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.demo.provincial import DEPARTMENTS, build_provincial_cycle

    lang_son = Unit.objects.get(ref="province:20")
    admin = make_user("admin-ls", Role.ADMIN, lang_son)
    appraiser = make_user("appraiser", Role.APPRAISER, None)
    built = build_provincial_cycle(np.random.default_rng(1), lang_son, admin, appraiser)
    cycle = built.cycle
    assert built.departments == len(DEPARTMENTS) and built.communes == 65
    rows = cycle.published_table
    departments = [r for r in rows if r["peer_group"] == "departments"]
    communes = [r for r in rows if r["peer_group"] == "communes"]
    assert {r["ranked_of"] for r in departments} == {len(DEPARTMENTS)}
    assert {r["ranked_of"] for r in communes} == {65}
    assert sorted(r["rank"] for r in departments)[0] == 1 == sorted(r["rank"] for r in communes)[0]
    assert Unit.objects.filter(kind="commune", parent=lang_son, name_vi="Phường Kỳ Lừa").exists()
    assert isinstance(cycle.published_at, datetime)


def selected_edition(page: str) -> str:
    select = page.split('name="edition"')[1].split("</select>")[0]
    chosen = re.findall(r'<option value="([^"]+)"[^>]*selected', select)
    assert len(chosen) == 1, select
    return chosen[0]


def test_the_new_cycle_form_offers_the_edition_suited_to_the_organiser(
    client, make_user, reference_units: None
) -> None:  # type: ignore[no-untyped-def]
    """The Ministry's administrator is offered the PAR INDEX of provinces, a province's the
    criteria of its departments and communes; both used to be offered the first edition listed
    (Circular 01/2018's one-stop indices)."""
    client.force_login(make_user("moha", Role.ADMIN, None))
    assert selected_edition(client.get(reverse("assessment-new")).content.decode()) == (
        "par-index-province/2023"
    )
    client.force_login(make_user("ls", Role.ADMIN, Unit.objects.get(ref="province:20")))
    page = client.get(reverse("assessment-new")).content.decode()
    assert selected_edition(page) == PROVINCIAL
    organiser = page.split('name="organiser"')[1].split("</select>")[0]
    assert re.search(r"selected[^>]*>Tỉnh Lạng Sơn|>Tỉnh Lạng Sơn", organiser)


def test_the_organiser_links_its_own_surveys_to_a_cycle_and_nothing_is_saved_on_refusal(
    client, make_user, lang_son_units: dict[str, Unit]
) -> None:  # type: ignore[no-untyped-def]
    """Before, ``Cycle.surveys`` could be set only in the Django admin."""
    from parindex.server.surveys.models import Survey

    lang_son = Unit.objects.get(ref="province:20")
    now = timezone.now()

    def survey(slug: str, name: str, unit: Unit | None, closes_in: int) -> Survey:
        return Survey.objects.create(
            slug=slug,
            name=name,
            questionnaire="sipas-2024",
            edition="sipas/2024",
            opens_at=now - timedelta(days=60),
            closes_at=now + timedelta(days=closes_in),
            unit=unit,
        )

    closed = survey("ls-2025", "Khảo sát sự hài lòng Lạng Sơn 2025", lang_son, -5)
    running = survey("ls-home", "Khảo sát Sở Nội vụ LS", lang_son_units["home"], 20)
    national = survey("sipas-vn", "SIPAS toàn quốc", None, -5)
    other = survey("cb-2025", "Khảo sát Cao Bằng 2025", Unit.objects.get(ref="province:04"), -5)
    admin = make_user("admin-ls", Role.ADMIN, lang_son)
    client.force_login(admin)
    client.post(reverse("assessment-new"), form(str(lang_son.pk)))
    cycle = Cycle.objects.get(edition=PROVINCIAL)
    settings = reverse("assessment-settings", kwargs={"pk": cycle.pk})

    page = client.get(settings).content.decode()
    offered = page.split('id="surveys-form"')[1].split("</form>")[0]
    assert closed.name in offered and running.name in offered
    assert "đã kết thúc" in offered and "đang diễn ra" in offered, "closed and open both offered"
    assert national.name not in offered and other.name not in offered, "beyond its reach"

    for smuggled in (other, national):
        refused = client.post(settings, {"action": "surveys", "survey": [closed.pk, smuggled.pk]})
        text = refused.content.decode()
        assert refused.status_code == 400 and smuggled.name in text
        assert "ngoài phạm vi của đơn vị tổ chức kỳ" in text
        assert not cycle.surveys.exists(), "nothing linked from a refused form"
    garbled = client.post(settings, {"action": "surveys", "survey": ["x"]})
    assert garbled.status_code == 400 and not cycle.surveys.exists()

    saved = client.post(settings, {"action": "surveys", "survey": [closed.pk, running.pk]})
    assert saved.status_code == 302
    assert set(cycle.surveys.all()) == {closed, running}
    page = client.get(settings).content.decode()
    assert f'value="{closed.pk}" id="survey-{closed.pk}" checked' in page
    client.post(settings, {"action": "surveys", "survey": [running.pk]})
    assert list(cycle.surveys.all()) == [running], "an unticked survey is unlinked"

    # Another province's administrator cannot change it, nor can anyone once published.
    intruder = make_user("admin-cb", Role.ADMIN, Unit.objects.get(ref="province:04"))
    with pytest.raises(services.AssessmentError):
        administration.link_surveys(intruder, cycle, [other.pk])
    assert list(cycle.surveys.all()) == [running]
    # The Ministry's administrator may link a national survey to the Ministry's own cycle.
    moha = make_user("moha", Role.ADMIN, None)
    national_cycle = administration.create_cycle(
        moha,
        None,
        administration.CycleSettings(
            "Kỳ 2026", 2026, PROVINCIAL, now, now + timedelta(days=1), now + timedelta(days=2)
        ),
    )
    assert administration.link_surveys(moha, national_cycle, [national.pk, other.pk]) == 2
