"""Reports of published results from the web: asking for one queues a background render and
leads to its page; the worker's run makes the file, which anyone may download (published
results are public); asking again gives the same job, rendered once."""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from parindex.server.jobs import runner
from parindex.server.jobs.models import Job
from parindex.server.results.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def years(reference_units: None, settings, tmp_path) -> dict[int, Publication]:  # type: ignore[no-untyped-def]
    from parindex.server.demo.results import build_published_years

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    return {p.year: p for p in build_published_years(np.random.default_rng(7))}


def job_of(response) -> Job:  # type: ignore[no-untyped-def]
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    return Job.objects.get(pk=int(response["Location"].split("/")[2]))


def downloaded(client: Client, job: Job) -> bytes:
    response = client.get(f"/jobs/{job.pk}/file")
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_the_national_report_is_rendered_in_the_background_for_anyone(years) -> None:  # type: ignore[no-untyped-def]
    reader = Client()
    ranking = reader.get("/results/par-index-province/2024/")
    assert "/results/par-index-province/2024/report.pdf" in ranking.text
    asked = reader.get("/results/par-index-province/2024/report.pdf")
    job = job_of(asked)
    waiting = reader.get(asked["Location"])
    assert "đang chờ" in waiting.text and 'http-equiv="refresh"' in waiting.text

    runner.run(job.pk)

    job.refresh_from_db()
    assert (job.state, job.progress) == (Job.State.DONE, 100)
    done = reader.get(asked["Location"])
    assert "Báo cáo đã sẵn sàng" in done.text and "refresh" not in done.text
    pdf = PdfReader(io.BytesIO(downloaded(reader, job)))
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "Chỉ số CCHC cấp tỉnh (PAR INDEX) 2024" in text and "88,37" in text
    assert job.output_name == "par-index-province-2024-vi.pdf"
    again = Client().get("/results/par-index-province/2024/report.pdf")
    assert again["Location"] == asked["Location"], "asked again: the same file, rendered once"
    assert Job.objects.count() == 1


def test_a_units_report_card_as_a_workbook(years) -> None:  # type: ignore[no-untyped-def]
    reader = Client()
    page = reader.get("/results/par-index-province/unit/province:20/")
    address = "/results/par-index-province/unit/province:20/report.xlsx"
    assert address in page.text
    job = job_of(reader.get(address))
    runner.run(job.pk)
    book = load_workbook(io.BytesIO(downloaded(reader, job)))
    assert book.sheetnames[0] == "Nguồn" and book["Nguồn"]["A1"].value == "Tỉnh Lạng Sơn"
    assert "Lịch sử" in book.sheetnames


def test_nothing_is_queued_for_a_report_of_nothing(years) -> None:  # type: ignore[no-untyped-def]
    reader = Client()
    assert reader.get("/results/par-index-province/1999/report.pdf").status_code == 404
    assert reader.get("/results/par-index-province/2024/report.docx").status_code == 404
    assert (
        reader.get("/results/par-index-province/unit/province:nowhere/report.pdf").status_code
        == 404
    )
    assert not Job.objects.exists()


def test_a_report_that_cannot_be_made_fails_its_job_and_leaves_no_file(years) -> None:  # type: ignore[no-untyped-def]
    """The publication was replaced between the request and the run: the job says why."""
    job = job_of(Client().get("/results/par-index-province/2024/report.xlsx"))
    job.params = {**job.params, "year": 1999}
    job.save()
    runner.run(job.pk)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.output == ""
    page = Client().get(f"/jobs/{job.pk}/")
    assert "Không tạo được tệp" in page.text
    assert "chưa có kết quả nào được công bố cho par-index-province năm 1999" in page.text
    assert Client().get(f"/jobs/{job.pk}/file").status_code == 404


def test_configuring_a_boundary_file_gives_a_new_national_pdf(years, settings) -> None:  # type: ignore[no-untyped-def]
    from tests.shared_geo import shared_geo

    reader = Client()
    settings.PARINDEX_BOUNDARIES = ()
    without = job_of(reader.get("/results/par-index-province/2024/report.pdf"))
    runner.run(without.pk)
    assert job_of(reader.get("/results/par-index-province/2024/report.pdf")) == without
    settings.PARINDEX_BOUNDARIES = (str(shared_geo("vn-provinces-63.topo.json")),)
    mapped = job_of(reader.get("/results/par-index-province/2024/report.pdf"))
    assert mapped != without, "the file rendered without the map is not served for it"
    runner.run(mapped.pk)
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(downloaded(reader, mapped))).pages
    )
    assert "Bản đồ địa lý các tỉnh, thành phố" in text
    workbook = job_of(reader.get("/results/par-index-province/2024/report.xlsx"))
    settings.PARINDEX_BOUNDARIES = ()
    assert job_of(reader.get("/results/par-index-province/2024/report.xlsx")) == workbook, (
        "a workbook has no map: the same one either way"
    )
