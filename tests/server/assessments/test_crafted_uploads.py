"""Hostile and broken files on the determination's pages: survey points, the scoring sheet and
evidence. Each is refused with its reason (never a 500), nothing is kept, no file is left on disk,
and identical evidence is stored once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parindex.server.assessments import services
from parindex.server.assessments.models import Cycle, Evidence, Round, ScoreEntry
from tests import crafted
from tests.server.assessments.conftest import PROVINCES, People

pytestmark = pytest.mark.django_db
LANG_SON = PROVINCES[0]
PDF = crafted.pdf()


def stored_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "p.xlsx",
            crafted.truncated(crafted.workbook([["unit", "component", "points"]] * 40)),
            "p.xlsx: not an Excel workbook (.xlsx), or the file is damaged or truncated",
            id="truncated workbook",
        ),
        pytest.param(
            "p.xlsx", crafted.zip_bomb(), "p.xlsx: xl/worksheets/sheet1.xml expands", id="zip bomb"
        ),
        pytest.param(
            "p.csv",
            crafted.long_field_csv(),
            "p.csv, row 2: a value longer than 131,072 characters",
            id="131k-character field",
        ),
        pytest.param("p.csv", crafted.big_csv(25), "p.csv: tệp lớn hơn 10 MB", id="25 MB CSV"),
    ],
)
def test_crafted_survey_points_are_refused_and_nothing_is_imported(
    client, cycle: Cycle, people: People, name: str, data: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people.admin)
    page = reverse("assessment-survey", kwargs={"pk": cycle.pk})
    response = client.post(page, {"points": SimpleUploadedFile(name, data)}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ScoreEntry.objects.filter(round=Round.SURVEY).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(crafted.zip_bomb(), "expands 293 times (a zip bomb?)", id="zip bomb"),
        pytest.param(
            crafted.truncated(crafted.workbook([["STT"]] * 40)),
            "damaged or truncated",
            id="truncated workbook",
        ),
    ],
)
def test_a_crafted_scoring_sheet_is_refused(
    client, cycle: Cycle, people: People, data: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people.focal[LANG_SON])
    page = reverse("assessment-sheet", kwargs={"pk": cycle.pk, "ref": LANG_SON})
    response = client.post(page, {"sheet": SimpleUploadedFile("bang.xlsx", data)}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "không phải tệp Excel (.xlsx) đọc được" in html and message in html
    assert not cycle.assessments.get(unit__ref=LANG_SON).scores.exists()


def test_a_refused_page_leaves_no_file_and_identical_evidence_is_stored_once(
    client, cycle: Cycle, people: People, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people.focal[LANG_SON])
    page = reverse("assessment-field", kwargs={"pk": cycle.pk, "ref": LANG_SON, "field_id": "1"})
    with django_capture_on_commit_callbacks(execute=True) as written:
        refused = client.post(
            page,
            {"points-1.1.2": "9", "evidence-1.1.1": SimpleUploadedFile("ke-hoach.pdf", PDF)},
        )
    assert refused.status_code == 400
    assert written == [] and stored_files() == [], "no orphan file"
    assert not Evidence.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        kept = client.post(
            page,
            {
                "evidence-1.1.1": SimpleUploadedFile("ke-hoach.pdf", PDF),
                "evidence-1.1.2": SimpleUploadedFile("ban-sao.pdf", PDF),
            },
        )
    assert kept.status_code == 302
    assert Evidence.objects.count() == 2
    assert [p.read_bytes() for p in stored_files()] == [PDF], "one file for one content"
    assert len(set(Evidence.objects.values_list("file", flat=True))) == 1


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        pytest.param(
            "bao-cao.pdf",
            crafted.polyglot_pdf(),
            "bao-cao.pdf: tệp có chứa một trang web nên bị từ chối",
            id="PDF/HTML polyglot",
        ),
        pytest.param(
            "bao-cao.pdf",
            crafted.POLYGLOT,
            "bao-cao.pdf: tệp có chứa một trang web nên bị từ chối",
            id="HTML behind a PDF header",
        ),
        pytest.param(
            "bang.xlsx",
            crafted.truncated(crafted.workbook([["a"]] * 40)),
            "bang.xlsx: tệp .xlsx bị hỏng, không mở được",
            id="malformed workbook",
        ),
        pytest.param(
            "anh.png",
            crafted.png()[:-20],
            "anh.png: tệp .png bị hỏng, không mở được",
            id="cut image",
        ),
    ],
)
def test_crafted_evidence_is_refused_on_the_page_and_nothing_is_stored(
    client,
    cycle: Cycle,
    people: People,
    django_capture_on_commit_callbacks,
    name: str,
    data: bytes,
    message: str,
) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people.focal[LANG_SON])
    page = reverse("assessment-field", kwargs={"pk": cycle.pk, "ref": LANG_SON, "field_id": "1"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page, {"evidence-1.1.1": SimpleUploadedFile(name, data)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Evidence.objects.exists() and stored_files() == []


POINTS_ROWS = st.lists(
    st.tuples(
        st.sampled_from(["province:20", "province:04", "province:99", "", "tỉnh"]),
        st.sampled_from(["8.1.1", "8.1.2", "1.1.1", "", "x"]),
        st.sampled_from(["0,5", "1", "0.25", "abc", "-1", "1e9", "nan", "", "1.000,5"]),
    ),
    max_size=6,
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=POINTS_ROWS, separator=st.sampled_from([",", ";"]))
def test_generated_survey_points_are_imported_whole_or_refused_with_the_file_named(
    cycle: Cycle, people: People, rows: list[tuple[str, str, str]], separator: str
) -> None:  # type: ignore[no-untyped-def]
    lines = [separator.join(("unit", "component", "points"))]
    lines += [separator.join(f'"{v}"' for v in row) for row in rows]
    upload = SimpleUploadedFile("diem.csv", "\n".join(lines).encode())
    before = ScoreEntry.objects.filter(round=Round.SURVEY).count()
    report = services.import_survey_file(cycle, people.admin, upload)
    count = report.value or 0
    assert report.value is not None or all(f.file == "diem.csv" for f in report.findings)
    assert ScoreEntry.objects.filter(round=Round.SURVEY).count() == before + count, "all or nothing"
