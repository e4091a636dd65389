"""Backups: the database, the evidence files and the methodology editions in use, in one zip.

An archive holds ``database.json`` (Django's portable serialisation, primary keys kept so every
address stays valid: a backup made on SQLite restores on PostgreSQL and back), ``media/`` (the
evidence files as stored), ``editions/`` (each edition a cycle or survey uses, as the YAML it
was computed with) and ``manifest.json`` (format, migrations, record counts and the SHA-256 of
every member). A restore checks all of that before it writes anything, loads into an empty
database in one transaction, and puts back the files; nothing is half-restored.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from parindex.core.errors import ParindexError
from parindex.core.methodology.shipped import edition_path, shipped_edition_ids

FORMAT = "parindex-backup"
VERSION = 1
# Rebuilt by ``migrate`` (content types, permissions) or short-lived (sessions, login attempts,
# refused ballot codes), or reproducible (background jobs and the task queue: a job's file is
# rendered again on request, and housekeeping deletes old ones anyway; the dashboard's monthly
# rating sums, which housekeeping rebuilds): not worth carrying to the next installation.
EXCLUDED = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
    "surveys.codeattempt",
    "jobs.job",
    "jobs.housekeeping",
    "ratings.ratingmonth",
    "django_tasks_database",
)
JOB_FILES = "jobs"
"""The media folder's sub-folder of job outputs (``jobs.runner.outputs``), left out too."""


class BackupError(ParindexError):
    """A backup that cannot be made or restored; the message says what and why."""


@dataclass(frozen=True)
class Summary:
    archive: Path
    records: dict[str, int]
    files: int
    editions: list[str]
    size: int


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_of(stream: IO[bytes]) -> str:
    """The digest of a file read in chunks (never held whole)."""
    digest = hashlib.sha256()
    while chunk := stream.read(1 << 20):
        digest.update(chunk)
    return digest.hexdigest()


def _records(dump: Path) -> Iterator[dict[str, Any]]:
    """The objects of ``dumpdata``'s JSON array one at a time, read in chunks: a national
    survey's dump is hundreds of megabytes, and ``json.loads`` of all of it would hold every
    record as Python objects at once."""
    decoder = json.JSONDecoder()
    with dump.open(encoding="utf-8") as stream:
        buffer, position, opened = "", 0, False
        more = True
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if not opened and position < len(buffer):
                if buffer[position] != "[":
                    raise BackupError("database.json: not a JSON array")
                opened, position = True, position + 1
                continue
            if position < len(buffer) and buffer[position] == "]":
                return
            try:
                record, position = decoder.raw_decode(buffer, position)
            except json.JSONDecodeError:
                if not more:
                    raise BackupError("database.json: cut short") from None
                chunk = stream.read(1 << 16)
                more = bool(chunk)
                buffer, position = buffer[position:] + chunk, 0
                continue
            yield record


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file())


def _applied_migrations() -> dict[str, list[str]]:
    loader = MigrationLoader(connection)
    applied: dict[str, list[str]] = {}
    for app, name in sorted(loader.applied_migrations):
        applied.setdefault(app, []).append(name)
    return applied


def _edition_ids() -> list[str]:
    used = set(apps.get_model("assessments", "Cycle").objects.values_list("edition", flat=True))
    used |= set(apps.get_model("surveys", "Survey").objects.values_list("edition", flat=True))
    return sorted(used & set(shipped_edition_ids()))


def _dump(output: Path) -> None:
    """``dumpdata`` from one consistent snapshot, without holding the site's write lock."""
    options: dict[str, Any] = {
        "exclude": list(EXCLUDED),
        "natural_foreign": True,
        "output": str(output),
        "verbosity": 0,
    }
    inside_transaction = connection.in_atomic_block
    if connection.vendor == "sqlite":
        # The site's transactions begin IMMEDIATE (they take the write lock at once); a
        # DEFERRED one only reads, from one snapshot, while writers go on (WAL).
        connection.ensure_connection()
        mode = connection.transaction_mode  # type: ignore[attr-defined]
        connection.transaction_mode = "DEFERRED"  # type: ignore[attr-defined]
        try:
            with transaction.atomic():
                call_command("dumpdata", **options)
        finally:
            connection.transaction_mode = mode  # type: ignore[attr-defined]
        return
    with transaction.atomic():
        if connection.vendor == "postgresql" and not inside_transaction:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        call_command("dumpdata", **options)


def make_backup(archive: Path) -> Summary:
    """Write the backup archive to ``archive`` (replaced only once complete)."""
    media_root = Path(settings.MEDIA_ROOT)
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_name(archive.name + ".partial")
    # Nothing is held whole: dumpdata streams its records to a file, which is counted and
    # hashed in chunks and copied into the zip in chunks, as are the evidence files
    # (benchmarks/RESULTS.md, "Backup memory").
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "database.json"
        _dump(dump)
        records = dict(sorted(Counter(row["model"] for row in _records(dump)).items()))
        members: dict[str, str] = {}
        editions = _edition_ids()

        def add(path: Path, name: str) -> None:
            with path.open("rb") as stream:
                members[name] = _sha256_of(stream)
            out.write(path, name)

        with ZipFile(partial, "w", ZIP_DEFLATED, allowZip64=True) as out:
            add(dump, "database.json")
            files = 0
            for path in _files(media_root):
                if path.relative_to(media_root).parts[0] == JOB_FILES:
                    continue
                add(path, "media/" + path.relative_to(media_root).as_posix())
                files += 1
            for edition in editions:
                root = edition_path(edition)
                for path in _files(root):
                    add(path, f"editions/{edition}/" + path.relative_to(root).as_posix())
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "database": connection.vendor,
                "migrations": _applied_migrations(),
                "records": records,
                "editions": editions,
                "members": members,
            }
            out.writestr("manifest.json", json.dumps(manifest, indent=1, ensure_ascii=False))
    partial.replace(archive)
    return Summary(archive, records, files, editions, archive.stat().st_size)


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"archive member {name!r}: not a plain relative path")
    return path


def _check_archive(zipped: ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zipped.read("manifest.json"))
    except (KeyError, ValueError):
        raise BackupError("not a parindex backup: no readable manifest.json") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(
            f"not a parindex backup of version {VERSION}: format {manifest.get('format')!r}, "
            f"version {manifest.get('version')!r}"
        )
    names = set(zipped.namelist()) - {"manifest.json"}
    members: dict[str, str] = manifest["members"]
    if names != set(members):
        unexpected = sorted(names ^ set(members))[:5]
        raise BackupError(f"the archive's members differ from its manifest: {unexpected}")
    for name, digest in members.items():
        _safe_name(name)
        with zipped.open(name) as member:
            found = _sha256_of(member)
        if found != digest:
            raise BackupError(f"{name}: its content does not match the manifest (damaged?)")
    return dict(manifest)


def _check_migrations(manifest: dict[str, Any]) -> None:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            "the backup was made by a newer parindex (migrations unknown here: "
            f"{', '.join(unknown[:5])}); restore it with that version"
        )


def _check_editions(zipped: ZipFile, manifest: dict[str, Any]) -> None:
    for edition in manifest["editions"]:
        if edition not in shipped_edition_ids():
            raise BackupError(f"edition {edition}: not shipped with this parindex")
        prefix = f"editions/{edition}/"
        archived = {
            name[len(prefix) :]: digest
            for name, digest in manifest["members"].items()
            if name.startswith(prefix)
        }
        root = edition_path(edition)
        installed = {p.relative_to(root).as_posix(): _sha256(p.read_bytes()) for p in _files(root)}
        if archived != installed:
            changed = sorted(set(archived.items()) ^ set(installed.items()))[:3]
            raise BackupError(
                f"edition {edition} differs from the one the backup's results were computed "
                f"with ({', '.join(name for name, _d in changed)}); results would not republish "
                "identically"
            )


def _check_empty() -> None:
    skipped = {"contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in skipped or model._meta.app_label in skipped:
            continue
        if model._default_manager.exists():
            raise BackupError(
                f"the database is not empty ({model._meta.label} has records); restore into a "
                "new database"
            )


def restore_backup(archive: Path) -> Summary:
    """Restore ``archive`` into this installation's (empty) database and media folder."""
    media_root = Path(settings.MEDIA_ROOT)
    with ZipFile(archive) as zipped:
        manifest = _check_archive(zipped)
        _check_migrations(manifest)
        _check_editions(zipped, manifest)
        call_command("migrate", interactive=False, verbosity=0)
        _check_empty()
        media = [name for name in manifest["members"] if name.startswith("media/")]
        for name in media:
            target = media_root / _safe_name(name).relative_to("media")
            if target.exists() and _sha256(target.read_bytes()) != manifest["members"][name]:
                raise BackupError(f"{target}: a different file is already there")
        written = []
        try:
            for name in media:
                target = media_root / _safe_name(name).relative_to("media")
                if not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(zipped.read(name))
                    written.append(target)
            with tempfile.TemporaryDirectory() as folder:
                dump = Path(folder) / "database.json"
                with zipped.open("database.json") as member, dump.open("wb") as copy:
                    shutil.copyfileobj(member, copy)
                with transaction.atomic():
                    call_command("loaddata", str(dump), verbosity=0)
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            raise
    return Summary(
        archive, manifest["records"], len(media), manifest["editions"], archive.stat().st_size
    )


def default_archive() -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return settings.CONFIG.data_dir / "backups" / f"parindex-{stamp}.zip"


__all__ = ["BackupError", "Summary", "default_archive", "make_backup", "restore_backup"]
