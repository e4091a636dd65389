"""Every published table as plain rows for download (CSV, JSON): one row per unit and node, with
the publication's provenance beside it. The same visibility as the pages: published is public."""

from __future__ import annotations

from typing import Any

from parindex.server.results.models import Publication
from parindex.server.results.services.series import primary


def publication_facts(publication: Publication) -> dict[str, Any]:
    return {
        "id": publication.pk,
        "index": publication.index,
        "year": publication.year,
        "title": publication.title,
        "origin": publication.origin,
        "edition": publication.edition,
        "source": publication.source,
        "published_at": publication.published_at.isoformat(),
        "corrects": publication.corrects_id,
        "reason": publication.reason,
        "synthetic": publication.synthetic,
        "scale_max": publication.scale_max,
        "stated": publication.stated,
        "provenance": publication.provenance,
    }


def table_rows(index: str, year: int) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    publication = primary(index, year)
    if publication is None:
        return None
    names = dict(publication.nodes.values_list("node", "name_vi"))
    rows = [
        {
            "unit": row.unit.ref,
            "unit_name": row.unit.name_vi,
            "node": row.node,
            "node_name": names.get(row.node, row.node),
            "status": row.status,
            "points": row.points,
            "max_points": row.max_points,
            "pct": row.pct,
            "rank": row.rank,
            "ranked_of": row.ranked_of,
            "group": row.group,
            "peer_group": row.peer_group,
            "change_pct": row.change_pct,
            "source": row.source,
        }
        for row in publication.rows.select_related("unit").order_by("node", "rank", "unit__ref")
    ]
    return publication_facts(publication), rows
