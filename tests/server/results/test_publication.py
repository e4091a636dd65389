"""Publishing a cycle writes its results as rows; rows never change; a correction keeps both;
cycles published before (frozen JSON) become publications by the data migration."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.utils import translation

from parindex.server.results.models import ImmutableError, Publication, ResultRow, Status
from parindex.server.results.services import (
    PublicationError,
    correct_publication,
    current_publications,
)
from parindex.server.results.services.publication import RowData, TableData

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_publishing_a_cycle_writes_index_and_field_rows_as_the_frozen_table(published) -> None:  # type: ignore[no-untyped-def]
    publication = Publication.objects.get(cycle=published)
    assert (publication.index, publication.year, publication.origin) == (
        "par-index-province",
        2026,
        "cycle",
    )
    assert publication.provenance["inputs_sha256"] == published.provenance["inputs_sha256"]
    index_rows = {r.unit.ref: r for r in publication.rows.filter(node="")}
    # Cao Bằng filled 80 %, Hà Nội 70 %, Lạng Sơn 60 % of every manual component.
    assert [
        index_rows[ref].rank_label for ref in ("province:04", "province:01", "province:20")
    ] == [
        "1/3",
        "2/3",
        "3/3",
    ]
    for frozen in published.published_table:
        row = index_rows[frozen["unit"]]
        assert (row.pct, row.points, row.group) == (
            frozen["index_pct"],
            frozen["points"],
            frozen["group"],
        )
        fields = publication.rows.filter(unit=row.unit).exclude(node="")
        assert {f.node: f.pct for f in fields} == frozen["field_pct"]
        # The rows keep what the frozen table did not: each field's points and maximum, which
        # add up to the index (no bonus or penalty here).
        assert sum(f.points for f in fields) == pytest.approx(row.points, abs=0.05)
        assert sum(f.max_points for f in fields) == pytest.approx(row.max_points)
    names = list(publication.nodes.values_list("node", "name_vi"))
    assert names[0][0] == "" and len(names) == 9, "the index and its eight fields, named"
    assert all(name and not name.startswith("Lĩnh vực ") for _node, name in names[1:])


def test_a_published_row_is_never_changed_or_deleted(published) -> None:  # type: ignore[no-untyped-def]
    row = ResultRow.objects.filter(publication__cycle=published, node="").first()
    row.pct = 99.0
    with pytest.raises(ImmutableError):
        row.save()
    with pytest.raises(ImmutableError):
        row.delete()
    with pytest.raises(ImmutableError):
        ResultRow.objects.filter(pk=row.pk).update(pct=99.0)
    with pytest.raises(ImmutableError):
        Publication.objects.all().delete()
    row.refresh_from_db()
    assert row.pct != 99.0


def test_a_correction_is_a_new_publication_with_its_reason_and_both_are_kept(published) -> None:  # type: ignore[no-untyped-def]
    first = Publication.objects.get(cycle=published)
    rows = [
        RowData(unit=r.unit.ref, pct=r.pct, rank=r.rank, ranked_of=r.ranked_of, group=r.group)
        for r in first.rows.filter(node="")
    ]
    data = TableData(first.index, first.year, first.origin, first.title, rows)
    with pytest.raises(PublicationError, match="reason"):
        correct_publication(first, data, "  ")
    second = correct_publication(first, data, "Hội đồng sửa điểm Lạng Sơn")
    assert list(current_publications().filter(cycle=published)) == [second]
    assert second.corrects == first and first.rows.count() > second.rows.count() > 0
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    with pytest.raises(PublicationError, match="already corrected"):
        correct_publication(first, data, "again")


def test_a_published_cycle_cannot_be_recorded_twice(published) -> None:  # type: ignore[no-untyped-def]
    from parindex.server.assessments import services
    from parindex.server.results.services import record_publication

    with pytest.raises(PublicationError, match="already published"):
        record_publication(services.score_table(published), cycle=published)


def test_the_migration_turns_a_frozen_cycle_into_a_publication(published) -> None:  # type: ignore[no-untyped-def]
    """A cycle published before results were rows: only the frozen JSON exists."""
    from parindex.server.assessments.models import Cycle

    frozen = published.published_table
    old = Cycle.objects.create(
        year=2025,
        name="Chỉ số CCHC 2025",
        edition=published.edition,
        self_assessment_deadline=published.self_assessment_deadline,
        explanation_deadline=published.explanation_deadline,
        appraisal_deadline=published.appraisal_deadline,
        published_at=published.published_at,
        published_table=frozen,
        provenance=published.provenance,
    )
    migration = importlib.import_module(
        "parindex.server.results.migrations.0002_results_from_frozen_cycles"
    )
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # running it again adds nothing
    made = Publication.objects.get(cycle=old)
    assert made.rows.filter(node="").count() == len(frozen) == 3
    by_ref = {r.unit.ref: r for r in made.rows.filter(node="")}
    for item in frozen:
        assert by_ref[item["unit"]].rank == item["rank"]
        assert by_ref[item["unit"]].status == Status.PUBLISHED
    assert made.rows.exclude(node="").count() == 3 * 8
