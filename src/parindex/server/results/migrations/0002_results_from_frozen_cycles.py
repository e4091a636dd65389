"""Cycles published before results were rows kept a frozen JSON table; turn each into a
publication with its rows (the JSON stays on the cycle, untouched)."""

from dataclasses import asdict
from typing import Any

from django.db import migrations


def forwards(apps: Any, schema_editor: Any) -> None:
    from parindex.server.results.services.publication import (
        edition_nodes,
        index_of_edition,
        rows_from_frozen,
    )

    Cycle = apps.get_model("assessments", "Cycle")
    Unit = apps.get_model("accounts", "Unit")
    Publication = apps.get_model("results", "Publication")
    PublishedNode = apps.get_model("results", "PublishedNode")
    ResultRow = apps.get_model("results", "ResultRow")
    for cycle in Cycle.objects.filter(published_at__isnull=False).order_by("year", "pk"):
        if not cycle.published_table or Publication.objects.filter(cycle=cycle).exists():
            continue
        rows = rows_from_frozen(cycle.published_table)
        units = {u.ref: u for u in Unit.objects.filter(ref__in={r.unit for r in rows})}
        publication = Publication.objects.create(
            index=index_of_edition(cycle.edition),
            year=cycle.year,
            origin="cycle",
            cycle=cycle,
            edition=cycle.edition,
            title=cycle.name,
            source=f"cycle {cycle.pk} (frozen table)",
            provenance=cycle.provenance or {},
            published_at=cycle.published_at,
            synthetic=cycle.synthetic,
        )
        PublishedNode.objects.bulk_create(
            PublishedNode(publication=publication, position=k, **asdict(node))
            for k, node in enumerate(edition_nodes(cycle.edition))
        )
        ResultRow.objects.bulk_create(
            ResultRow(publication=publication, **{**asdict(row), "unit": units[row.unit]})
            for row in rows
            if row.unit in units
        )


class Migration(migrations.Migration):
    dependencies = [("results", "0001_published_results")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
