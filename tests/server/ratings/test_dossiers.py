"""Dossiers arrive from a one-stop system as a CSV/Excel file or a JSON push, all or nothing."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from parindex.server.ratings.models import Dossier
from parindex.server.ratings.services import import_dossiers

from .conftest import Site

HEADER = ",".join(
    (
        "code,procedure,unit,counter,officer",
        "received,appointment,finished,supplementations",
        "online,paid_online,digitised",
    )
)
GOOD = [
    "HS-001,1.001,test:p-tthcc,Q1,Nguyễn Văn A,06/05/2024 08:30,10/05/2024 16:00,09/05/2024 10:00,,có,có,có",
    "HS-002,1.002,test:p-tthcc,Q2,Trần Thị B,2024-05-06 09:00,2024-05-10 16:00,,2024-05-07/2024-05-08,không,,không",
]


def csv(*rows: str) -> bytes:
    return ("\n".join((HEADER, *rows)) + "\n").encode()


def test_a_csv_export_is_stored_with_its_facts(site: Site) -> None:
    report = import_dossiers("motcua.csv", csv(*GOOD), site.province)  # type: ignore[arg-type]
    assert report.value == {"created": 2, "updated": 0}, str(report)
    first, second = Dossier.objects.order_by("code")
    assert (first.officer, first.online, first.paid_online, first.digitised) == (
        "Nguyễn Văn A",
        True,
        True,
        True,
    )
    assert (
        first.finished is not None and timezone.localtime(first.finished).hour == 10
    )  # local time
    assert (second.finished, second.paid_online, second.supplementations) == (
        None,
        None,
        [["2024-05-07", "2024-05-08"]],
    )
    # A second import of the same codes updates, never duplicates.
    again = import_dossiers("motcua.csv", csv(*GOOD), site.province)  # type: ignore[arg-type]
    assert again.value == {"created": 0, "updated": 2}
    assert Dossier.objects.count() == 2


def test_an_excel_export_is_read_the_same_way(site: Site) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in (HEADER, *GOOD):
        sheet.append(line.split(","))
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_dossiers("motcua.xlsx", buffer.getvalue(), site.province)  # type: ignore[arg-type]
    assert report.value == {"created": 2, "updated": 0}, str(report)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            GOOD[0].replace("06/05/2024 08:30", "32/05/2024"),
            "received",
            "'32/05/2024' is not a date",
        ),
        (GOOD[0].replace(",có,có,có", ",có,có,hmm"), "digitised", "'hmm' is not yes or no"),
        (GOOD[0].replace("test:p-tthcc", "test:q"), "unit", "unit 'test:q' is not known"),
        (
            GOOD[0].replace("10/05/2024 16:00", "01/05/2024"),
            "appointment",
            "before the dossier was received",
        ),
        (GOOD[0].replace("HS-001", "HS-002"), "code", "already on row 2"),
    ],
    ids=[
        "an impossible date",
        "a yes/no that is neither",
        "a unit outside the importer's scope",
        "an appointment before receipt",
        "a code twice in one file",
    ],
)
def test_one_bad_row_stores_nothing_and_is_located(
    site: Site, row: str, column: str, message: str
) -> None:
    report = import_dossiers("motcua.csv", csv(GOOD[1], row), site.province)  # type: ignore[arg-type]
    assert report.value is None
    assert len(report.findings) == 1, str(report)
    (finding,) = report.findings
    assert (finding.file, finding.line, finding.node) == ("motcua.csv", 3, column)
    assert message in finding.message
    assert Dossier.objects.count() == 0


def test_a_file_that_is_not_a_table_is_named(site: Site) -> None:
    report = import_dossiers("motcua.pdf", b"%PDF", site.province)  # type: ignore[arg-type]
    assert report.value is None and "motcua.pdf" in report.findings[0].message


def push(client: Client, token: str, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/ingest/dossiers",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


DOSSIER = {
    "code": "HS-100",
    "procedure": "1.001",
    "unit": "test:p-tthcc",
    "received": "2024-05-06T08:30:00+07:00",
    "appointment": "2024-05-10T16:00:00+07:00",
    "online": True,
    "supplementations": [["2024-05-07", "2024-05-08"]],
}


def test_a_json_push_with_a_token_stores_dossiers(site: Site, client: Client) -> None:
    response = push(
        client, site.dossier_token, {"dossiers": [DOSSIER, {**DOSSIER, "code": "HS-101"}]}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0}
    assert Dossier.objects.get(code="HS-100").online is True


def test_a_push_naming_a_unit_outside_the_tokens_scope_stores_nothing(
    site: Site, client: Client
) -> None:
    response = push(
        client,
        site.dossier_token,
        {"dossiers": [DOSSIER, {**DOSSIER, "code": "X", "unit": "test:q"}]},
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "nothing stored: dossiers[1].unit: unit 'test:q' is not known"
            " or not in this account's scope",
        }
    }
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize("token", ["", "wrong"], ids=["no token", "an unknown token"])
def test_a_push_without_a_valid_token_is_refused(site: Site, client: Client, token: str) -> None:
    refused = push(client, token, {"dossiers": [DOSSIER]})
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthorized"
    # A ratings token does not push dossiers either.
    assert push(client, site.rating_token, {"dossiers": [DOSSIER]}).status_code == 401
