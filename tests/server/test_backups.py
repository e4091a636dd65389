"""Backups round trip: a determined and published world is backed up, restored into a new
database by ``parindex restore`` (SQLite, or PostgreSQL when the suite runs on it), and the
restored installation republishes exactly the same results from the same evidence."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from parindex.core.assessment.workflow import State
from parindex.core.roles import Role
from parindex.server.backups import BackupError, make_backup, restore_backup

PARINDEX = Path(sys.executable).parent / "parindex"
PROVINCES = ("province:20", "province:04", "province:01", "province:02")


def pdf(title: str) -> bytes:
    """A real one-page PDF (evidence is judged by parsing), its title making each one unique."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _world(make_user: Any) -> dict[str, Any]:
    """Two cycles of four provinces, every assessment final with self, appraisal and council
    scores; last year's published, this year's ready to publish; evidence files; a survey."""
    from parindex.core.methodology.rules import ManualRule
    from parindex.server.accounts.models import Unit
    from parindex.server.assessments import services
    from parindex.server.assessments.models import Assessment, Cycle, Round, ScoreEntry
    from parindex.server.surveys.models import Response, SampledUnit, Survey

    admin = make_user("admin", Role.ADMIN, None)
    now = timezone.now()
    cycles = []
    for year in (2025, 2026):
        cycle = Cycle.objects.create(
            year=year,
            name=f"CCHC {year}",
            edition="par-index-province/2023",
            self_assessment_deadline=now + timedelta(days=10),
            explanation_deadline=now + timedelta(days=20),
            appraisal_deadline=now + timedelta(days=30),
            is_open=True,
        )
        edition = services.edition_of(cycle)
        for number, ref in enumerate(PROVINCES):
            unit = Unit.objects.get(ref=ref)
            assessment = Assessment.objects.create(cycle=cycle, unit=unit, state=State.FINAL)
            for index, component in enumerate(services.components(edition, unit.kind)):
                if not isinstance(component.spec.rule, ManualRule):
                    continue
                share = ((number * 7 + index * 3 + year) % 10) / 10
                points = round(component.spec.max_points * share, 2)
                ScoreEntry.objects.create(
                    assessment=assessment,
                    component=component.id,
                    round=Round.SELF,
                    points=points,
                    explanation="Hồ sơ lưu tại Sở Nội vụ",
                    author=admin,
                )
                if index % 4 == 0:
                    ScoreEntry.objects.create(
                        assessment=assessment,
                        component=component.id,
                        round=Round.APPRAISAL_1,
                        points=round(points / 2, 2),
                        previous=points,
                        reason="thiếu tài liệu kiểm chứng",
                        author=admin,
                    )
            first = services.components(edition, unit.kind)[0]
            services.store_evidence(
                assessment,
                admin,
                first.id,
                SimpleUploadedFile(f"kiem-chung-{number}.pdf", pdf(f"{year} {ref}")),
                Round.SELF,
            )
        cycles.append(cycle)
    services.publish(cycles[0], admin)
    survey = Survey.objects.create(
        slug="sipas-backup",
        name="SIPAS",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=3),
    )
    for position in range(5):
        unit = SampledUnit.objects.create(
            survey=survey,
            position=position,
            code=f"C{position:010d}",
            domain="Lạng Sơn",
            stratum="1",
            clusters=[1, position, position],
            population=[10, 5, 100],
            inclusion_probability=0.0125,
        )
        Response.objects.create(
            unit=unit, channel="web", received_at=now, answers={"gender": "f", "q": position}
        )
    return {"admin": admin, "published": cycles[0], "current": cycles[1]}


# What a restored installation reports: run in the restored one and here, then compared.
REPORT = """
import hashlib, json
from django.db import transaction
from parindex.server.accounts.models import User
from parindex.server.assessments import services
from parindex.server.assessments.models import Cycle, Evidence
from parindex.server.surveys.models import Response

def report(admin_name):
    published = Cycle.objects.get(year=2025)
    current = Cycle.objects.get(year=2026)
    with transaction.atomic():
        services.publish(current, User.objects.get(username=admin_name))
        current.refresh_from_db()
        republished = current.published_table
        transaction.set_rollback(True)
    return {
        "published": published.published_table,
        "provenance": published.provenance,
        "recomputed": [(r.unit, r.points, r.rank) for r in services.score_table(published).results],
        "republished": republished,
        "evidence": sorted(
            (e.assessment.unit.ref, e.sha256, hashlib.sha256(e.file.read()).hexdigest())
            for e in Evidence.objects.select_related("assessment__unit")
        ),
        "responses": sorted((r.unit.code, json.dumps(r.answers)) for r in Response.objects.all()),
        "urls": sorted(Cycle.objects.values_list("pk", "year")),
    }
"""


def _here() -> dict[str, Any]:
    scope: dict[str, Any] = {}
    exec(REPORT, scope)  # the same report code runs in the restored installation
    return json.loads(json.dumps(scope["report"]("admin"), default=str))


def _restored_database(tmp_path: Path) -> tuple[dict[str, str], Any]:
    """Environment for a new, empty database of the vendor this suite runs on."""
    environ = {"PARINDEX_DATA_DIR": str(tmp_path / "restored")}
    if connection.vendor != "postgresql":
        return environ, None
    import psycopg

    url = urlparse(os.environ["DATABASE_URL"])
    name = f"{connection.settings_dict['NAME']}_restore"
    admin_url = urlunparse(url._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    environ["DATABASE_URL"] = urlunparse(url._replace(path=f"/{name}"))
    return environ, drop


def _run(args: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARINDEX_")}
    env.pop("DATABASE_URL", None)
    env.update(environ)
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_republishes_identical_results(
    reference_units: None, make_user: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    _world(make_user)
    before = _here()
    assert len(before["evidence"]) == 8 and len(before["published"]) == 4

    archive = tmp_path / "parindex.zip"
    summary = make_backup(archive)
    assert summary.files == 8
    assert summary.editions == ["par-index-province/2023", "sipas/2023"]
    assert summary.records["assessments.scoreentry"] > 100

    environ, drop = _restored_database(tmp_path)
    try:
        restored = _run([str(PARINDEX), "restore", str(archive)], environ)
        assert restored.returncode == 0, restored.stderr
        assert "8 files" in restored.stdout
        script = (
            "import json, django, os;"
            "os.environ['DJANGO_SETTINGS_MODULE']='parindex.server.settings'; django.setup();"
            + f"exec({REPORT!r});"
            + "print(json.dumps(report('admin'), default=str))"
        )
        after = _run([sys.executable, "-c", script], environ)
        assert after.returncode == 0, after.stderr
        assert json.loads(after.stdout.splitlines()[-1]) == before
        again = _run([str(PARINDEX), "restore", str(archive)], environ)
        assert again.returncode == 1 and "the database is not empty" in again.stderr
    finally:
        if drop is not None:
            drop()


@pytest.mark.django_db(transaction=True)
def test_a_damaged_archive_restores_nothing(
    reference_units: None, make_user: Any, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("someone", Role.PUBLIC, None)
    archive = tmp_path / "parindex.zip"
    make_backup(archive)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "database.json":
                data = data.replace(b'"someone"', b'"intruder"')
            target.writestr(item, data)
    with pytest.raises(BackupError, match=r"database\.json: its content does not match"):
        restore_backup(damaged)
    # An intact archive is still refused here: this database already holds records.
    with pytest.raises(BackupError, match="the database is not empty"):
        restore_backup(archive)
    assert hashlib.sha256(archive.read_bytes()).hexdigest()  # the archive itself is untouched
    with transaction.atomic():
        from parindex.server.accounts.models import User

        assert list(User.objects.values_list("username", flat=True)) == ["someone"]


def _sample_rows(survey: Any, start: int, count: int) -> None:
    """Sampled households with long cluster names: about 1 KB of export each."""
    from parindex.server.surveys.models import SampledUnit

    SampledUnit.objects.bulk_create(
        SampledUnit(
            survey=survey,
            position=k,
            code=f"{k:011d}",
            domain="Lạng Sơn",
            stratum="1",
            clusters=[f"commune {k // 100}", f"village {k // 10} " + "x" * 900, k],
            population=[10, 20, 30],
            inclusion_probability=0.01,
        )
        for k in range(start, start + count)
    )


def _backup_peak(archive: Path) -> tuple[int, int]:
    """The backup's peak Python memory and the size of its database export."""
    import tracemalloc

    tracemalloc.start()
    try:
        summary = make_backup(archive)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(archive) as zipped:
        assert len(json.loads(zipped.read("database.json"))) == sum(summary.records.values())
        return peak, zipped.getinfo("database.json").file_size


@pytest.mark.django_db(transaction=True)
def test_a_backup_never_holds_the_export_or_a_file_whole(settings: Any, tmp_path: Path) -> None:
    """The database export goes from ``dumpdata`` to the archive in pieces, and so does each
    evidence file, so the backup's memory does not grow with the export: four times the
    records, the same peak (Django's reads of 2,000 rows at a time bound it). It used to read
    the export whole, parse all of it to count the records and compress it from memory, then
    read each file whole: a peak of several times the export, and at least the largest file.
    Peak memory of the demo's backup: benchmarks/RESULTS.md."""
    from parindex.server.surveys.models import Survey

    settings.MEDIA_ROOT = tmp_path / "media"
    evidence = tmp_path / "media" / "evidence" / "scan.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(os.urandom(1 << 20) * 32)  # 32 MiB, as a scanned dossier may be
    now = timezone.now()
    survey = Survey.objects.create(
        slug="big",
        name="Big",
        questionnaire="sipas-2023-citizens",
        edition="sipas/2023",
        opens_at=now,
        closes_at=now + timedelta(days=1),
    )
    _sample_rows(survey, 0, 4_000)
    small_peak, small = _backup_peak(tmp_path / "small.zip")
    _sample_rows(survey, 4_000, 12_000)
    large_peak, large = _backup_peak(tmp_path / "large.zip")
    assert large > 3.5 * small > 14_000_000
    assert large_peak < 1.5 * small_peak, f"peaks {small_peak:,} and {large_peak:,} bytes"
    assert large_peak < large / 3, f"peak {large_peak:,} bytes for an export of {large:,}"
    assert large_peak < evidence.stat().st_size / 4, f"peak {large_peak:,} for a 32 MiB file"
    with zipfile.ZipFile(tmp_path / "large.zip") as zipped:
        assert zipped.read("media/evidence/scan.pdf") == evidence.read_bytes()
