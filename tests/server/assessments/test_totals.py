"""Totals on every page come from the scoring engine: a field page, the preview and the
published table show the same figures, on an edition where some components do not apply to a
unit's kind (provincial units: departments and communes) and on a mean-aggregated one (SIPAS)."""

from __future__ import annotations

import random
import re

import pytest
from django.urls import reverse

from parindex.core.assessment.components import components
from parindex.core.assessment.workflow import State
from parindex.core.methodology.rules import SurveyMappingRule
from parindex.core.roles import Role
from parindex.server.assessments import services
from parindex.server.assessments.models import Cycle, Round, ScoreEntry
from tests.server.assessments.conftest import PROVINCES, People

pytestmark = pytest.mark.django_db

LANG_SON = PROVINCES[0]


def _text(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}">([^<]*)<', html)
    assert found, f"no #{element_id} on the page"
    return found.group(1).strip()


def _cells(html: str, table_id: str, unit: str) -> list[str]:
    """The numeric cells of ``unit``'s row in the table ``table_id``."""
    table = html[html.index(f'id="{table_id}"') :]
    row = re.search(rf'<tr data-unit="{re.escape(unit)}">(.*?)</tr>', table, re.S)
    assert row, f"no row for {unit}"
    return [c.strip() for c in re.findall(r'<td class="num"[^>]*>([^<]*)</td>', row.group(1))]


def test_the_overall_total_on_a_field_page_keeps_its_decimals(
    client, cycle: Cycle, people: People
) -> None:  # type: ignore[no-untyped-def]
    """Issue 12, finding 2: the field page added with the template's ``add`` filter, which
    truncates to integers (0,75 + 0,50 showed "0,00")."""
    lang_son = cycle.assessments.get(unit__ref=LANG_SON)
    focal = people.focal[LANG_SON]
    services.save_self_score(lang_son, focal, "1.1.1", points=0.75)
    services.save_self_score(lang_son, focal, "2.1.1", points=0.5)
    client.force_login(focal)
    for field_id in ("1", "2", "3"):
        page = client.get(
            reverse(
                "assessment-field", kwargs={"pk": cycle.pk, "ref": LANG_SON, "field_id": field_id}
            )
        ).content.decode()
        # 0,75 + 0,50 by hand; every other component unscored.
        assert _text(page, "overall-total") == "1,25", field_id
    assert _text(page, "field-total") == "0,00"
    detail = client.get(reverse("assessment-detail", kwargs={"pk": cycle.pk, "ref": LANG_SON}))
    assert _text(detail.content.decode(), "self-total") == "1,25"


def _units(refs: dict[str, str]) -> None:
    """Departments and communes of Lạng Sơn, made for the test."""
    from parindex.server.accounts.models import Unit

    parent = Unit.objects.get(ref=LANG_SON)
    for ref, kind in refs.items():
        Unit.objects.get_or_create(
            ref=ref, defaults={"kind": kind, "name_vi": ref, "parent": parent}
        )


def _score_everything(cycle: Cycle, author, seed: int) -> None:  # type: ignore[no-untyped-def]
    """Each applicable component a share of its maximum (two decimals), self-assessed and then
    changed by an appraiser on every third one; survey components from the survey round."""
    rng = random.Random(seed)
    edition = services.edition_of(cycle)
    entries = []
    for assessment in cycle.assessments.select_related("unit"):
        for n, component in enumerate(components(edition, assessment.unit.kind)):
            maximum = component.spec.max_points
            points = round(maximum * rng.choice((0, 0.33, 0.5, 0.8, 0.97, 1)), 2)
            if isinstance(component.spec.rule, SurveyMappingRule):
                rounds = [(Round.SURVEY, points)]
            else:
                rounds = [(Round.SELF, points)]
                if n % 3 == 0:
                    rounds.append((Round.APPRAISAL_1, round(points / 2, 2)))
            entries += [
                ScoreEntry(
                    assessment=assessment,
                    component=component.id,
                    round=round_,
                    points=value,
                    author=author,
                )
                for round_, value in rounds
            ]
    ScoreEntry.objects.bulk_create(entries)


@pytest.mark.parametrize(
    ("edition", "units"),
    [
        pytest.param(
            "par-index-provincial-units/2024",
            {"department:20-SNV": "department", "commune:20-001": "commune"},
            id="departments and communes are not scored on each other's components",
        ),
        pytest.param(
            "sipas/2023",
            {"province:20": "province", "province:04": "province"},
            id="a mean-aggregated edition averages percentages, it does not add points",
        ),
    ],
)
def test_field_pages_the_preview_and_the_published_table_agree(
    client, reference_units: None, make_user, make_cycle, edition: str, units: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    admin = make_user("admin", Role.ADMIN, None)
    _units(units)
    cycle = make_cycle(edition, list(units), year=2025, state=State.FINAL)
    _score_everything(cycle, admin, seed=len(edition))
    client.force_login(admin)
    preview = client.get(reverse("assessment-preview", kwargs={"pk": cycle.pk})).content.decode()
    services.publish(cycle, admin)
    published = client.get(reverse("assessment-published", kwargs={"pk": cycle.pk}))
    published_html = published.content.decode()
    table = {row["unit"]: row for row in Cycle.objects.get(pk=cycle.pk).published_table}
    field_ids = [f.id for f in services.edition_of(cycle).fields]
    for ref in units:
        _rank, index_cell, *field_cells = _cells(published_html, "published", ref)
        assert _cells(preview, "preview", ref)[1] == index_cell, ref
        detail = client.get(reverse("assessment-detail", kwargs={"pk": cycle.pk, "ref": ref}))
        assert detail.status_code == 200
        for field_id, field_cell in zip(field_ids, field_cells, strict=True):
            page = client.get(
                reverse(
                    "assessment-field", kwargs={"pk": cycle.pk, "ref": ref, "field_id": field_id}
                )
            )
            if page.status_code == 404:  # nothing in this field applies to the unit
                assert field_cell == "", (ref, field_id)
                continue
            html = page.content.decode()
            assert _text(html, "field-standing-pct") == field_cell, (ref, field_id)
            assert _text(html, "overall-standing-pct") == index_cell, (ref, field_id)
        points = f"{table[ref]['points']:.2f}".replace(".", ",")
        assert _text(detail.content.decode(), "standing-total") == points, ref


@pytest.mark.parametrize(
    ("edition", "units"),
    [
        pytest.param(
            "par-index-provincial-units/2024",
            {
                "department:20-SNV": "department",
                "department:20-STC": "department",
                "commune:20-001": "commune",
                "commune:20-002": "commune",
            },
            id="departments and communes",
        ),
        pytest.param(
            "sipas/2023",
            {"province:20": "province", "province:04": "province"},
            id="mean-aggregated",
        ),
    ],
)
def test_a_cycle_s_totals_computed_together_equal_each_unit_s_own(
    client, reference_units: None, make_user, make_cycle, edition: str, units: dict[str, str]
) -> None:  # type: ignore[no-untyped-def]
    """The cycle and council tables compute every unit's self and standing totals in one
    table (they took 2 × 78 engine runs for Lạng Sơn's units): each must equal the unit's
    totals computed alone from its own points, as the engine did per unit before."""
    from parindex.core.assessment.rounds import claimed
    from parindex.core.scoring.totals import unit_totals
    from parindex.server.assessments.services.scores import final_points, score_board
    from parindex.server.assessments.services.totals import totals_for

    admin = make_user("admin", Role.ADMIN, None)
    _units(units)
    cycle = make_cycle(edition, list(units), year=2025, state=State.FINAL)
    _score_everything(cycle, admin, seed=7)
    edition_ = services.edition_of(cycle)
    assessments = list(cycle.assessments.select_related("unit", "cycle"))
    together = totals_for(assessments)
    for assessment in assessments:
        kind = assessment.unit.kind
        board = score_board(assessment)
        claims = {}
        for component in components(edition_, kind):
            rounds = {r: e.points for r, e in board.get(component.id, {}).items()}
            if (points := claimed(rounds, component.from_survey)) is not None:
                claims[component.id] = points
        alone_self = unit_totals(edition_, claims, kind)
        alone = unit_totals(edition_, final_points(assessment, board), kind)
        shown = together[assessment.pk]
        ref = assessment.unit.ref
        # Rounded as published: equal. Unrounded field sums: equal but for the last bit
        # (numpy adds a row of a larger array in another order); pages show two decimals.
        assert shown.standing_points == alone.points and shown.standing_pct == alone.index_pct
        assert shown.self_points == alone_self.points and shown.max_points == alone.max_points
        for field in shown.fields:
            own, own_self = alone.field(field.field_id), alone_self.field(field.field_id)
            assert field.self_points == pytest.approx(own_self.points, rel=1e-12, abs=1e-12)
            assert field.standing_points == pytest.approx(own.points, rel=1e-12, abs=1e-12)
            assert field.standing_pct == own.pct, (ref, field.field_id)
    assert len({t.standing_points for t in together.values()}) > 1, "units differ"
    client.force_login(admin)
    council = client.get(reverse("assessment-council", kwargs={"pk": cycle.pk}))
    assert council.status_code == 200
