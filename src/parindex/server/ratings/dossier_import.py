"""A one-stop system's dossier file imported from the leader's page: read, checked and stored
all or nothing, every fault located by the file's row and column and worded in the reader's
language (``labels.finding_text``)."""

from __future__ import annotations

from pathlib import Path

from parindex.core import onestop
from parindex.core.findings import Finding, Report
from parindex.core.onestop.records import parse_dossiers
from parindex.core.tabular import TableError, read_table
from parindex.server.accounts.models import Unit
from parindex.server.ratings import services

FIRST_DATA_ROW = 2
"""Row 1 of the file holds the column names."""


def _located(finding: Finding, records: list[onestop.Dossier], name: str) -> Finding:
    """A finding of the storing step (which counts records from 0) placed on the file's row,
    with the value it names as a parameter."""
    index = finding.line if finding.line is not None else 0
    record = records[index]
    params = {"unit": record.unit} if finding.code == "unit-out-of-scope" else {"code": record.code}
    return Finding(
        finding.code,
        finding.message,
        name,
        index + FIRST_DATA_ROW,
        finding.node,
        tuple(sorted(params.items())),
    )


def import_file(name: str, content: bytes, scope: Unit) -> Report[dict[str, int]]:
    """Dossiers from a CSV or Excel file into ``scope`` and below: the counts created and
    updated, or every finding (and nothing stored)."""
    try:
        table = read_table(Path(name), content)
    except TableError as error:
        code = error.code or "unreadable-table"
        params = tuple(sorted(error.params.items()))
        return Report(None, (Finding(code, str(error), name, None, None, params),))
    known = set(Unit.objects.filter(pk__in=services.subtree(scope)).values_list("ref", flat=True))
    parsed = parse_dossiers(table, known_units=known)
    if parsed.value is None:
        return Report(None, parsed.findings)
    stored = services.store_dossiers(parsed.value, scope)
    if stored.value is None:
        return Report(None, tuple(_located(f, parsed.value, name) for f in stored.findings))
    return stored
