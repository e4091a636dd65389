"""The one runner of background jobs, with kinds made for the test: the run holds no
transaction (each progress step is visible to others at once), a refusal is recorded with its
reason and stores nothing, a crash is recorded and raised to the worker's log, the staged upload
goes in every case and a render's file is served to those who may see the job."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from parindex.core.roles import Role
from parindex.server.accounts.models import Unit
from parindex.server.jobs import kinds, runner
from parindex.server.jobs.kinds import JobRefused, Kind, Outcome, Progress
from parindex.server.jobs.models import Job

pytestmark = pytest.mark.django_db(transaction=True)

seen: dict[str, object] = {}


def _run(job: Job, progress: Progress) -> Outcome:
    progress("reading", 30)
    seen["in transaction"] = connection.in_atomic_block
    seen["progress seen by others"] = Job.objects.get(pk=job.pk).progress
    seen["upload"] = runner.staged_bytes(job)
    if job.params.get("refuse"):
        raise JobRefused(["tep.csv, dòng 2: sai", "tep.csv, dòng 3: sai"])
    if job.params.get("crash"):
        raise RuntimeError("a bug")
    return Outcome({"n": 1}, b"%PDF-1.4 test", "ket-qua.pdf", "application/pdf")


@pytest.fixture(autouse=True)
def test_kind(settings, tmp_path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.UPLOAD_STAGING_ROOT = tmp_path / "uploads"
    kinds.register(
        Kind(
            "test-kind",
            "test",
            "accounts.view_unit",
            _run,
            lambda job: f"xong {job.result['n']}",
            lambda job: ("/", "về"),
            imports=False,
        )
    )
    yield
    del kinds._KINDS["test-kind"]
    seen.clear()


def queue(unit: Unit, **params: object) -> Job:
    upload = SimpleUploadedFile("tep.csv", b"a,b\n1,2\n")
    return runner.start("test-kind", unit, None, dict(params), upload=upload)


def test_a_run_holds_no_transaction_and_its_file_is_served_within_scope(
    reference_units: None,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    lang_son = Unit.objects.get(ref="province:20")
    job = queue(lang_son)
    assert job.state == Job.State.QUEUED and len(list(runner.staging().iterdir())) == 1
    runner.run(job.pk)
    job.refresh_from_db()
    assert seen == {"in transaction": False, "progress seen by others": 30, "upload": b"a,b\n1,2\n"}
    assert (job.state, job.progress, job.result) == (Job.State.DONE, 100, {"n": 1})
    assert list(runner.staging().iterdir()) == [], "the staged upload is gone"

    inside, outside = Client(), Client()
    inside.force_login(make_user("lanh-dao-ls", Role.LEADER, lang_son))
    outside.force_login(make_user("lanh-dao-cb", Role.LEADER, Unit.objects.get(ref="province:04")))
    page = inside.get(f"/jobs/{job.pk}/")
    assert "xong 1" in page.text and f"/jobs/{job.pk}/file" in page.text
    download = inside.get(f"/jobs/{job.pk}/file")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"  # type: ignore[attr-defined]
    assert 'filename="ket-qua.pdf"' in download["Content-Disposition"]
    assert outside.get(f"/jobs/{job.pk}/").status_code == 403
    assert outside.get(f"/jobs/{job.pk}/file").status_code == 403
    assert Client().get(f"/jobs/{job.pk}/file").status_code == 403, "anonymous"
    runner.run(job.pk)
    assert Job.objects.get(pk=job.pk).finished_at == job.finished_at, "a job runs once"


def test_a_refusal_is_recorded_line_by_line_and_a_crash_reaches_the_log(
    reference_units: None,
    make_user,  # type: ignore[no-untyped-def]
) -> None:
    lang_son = Unit.objects.get(ref="province:20")
    refused = queue(lang_son, refuse=True)
    runner.run(refused.pk)
    refused.refresh_from_db()
    assert refused.state == Job.State.FAILED and refused.output == ""
    client = Client()
    client.force_login(make_user("lanh-dao-ls", Role.LEADER, lang_son))
    page = client.get(f"/jobs/{refused.pk}/")
    assert "Không tạo được tệp" in page.text
    assert (
        "<li>tep.csv, dòng 2: sai</li>" in page.text
        and "<li>tep.csv, dòng 3: sai</li>" in page.text
    )
    assert client.get(f"/jobs/{refused.pk}/file").status_code == 404

    crashed = queue(lang_son, crash=True)
    with pytest.raises(RuntimeError):
        runner.run(crashed.pk)
    crashed.refresh_from_db()
    assert crashed.state == Job.State.FAILED
    assert (
        crashed.error
        == "lỗi nội bộ đã dừng công việc; chi tiết có trong nhật ký của tiến trình nền"
    )
    assert list(runner.staging().iterdir()) == [], "no staged upload left behind"
