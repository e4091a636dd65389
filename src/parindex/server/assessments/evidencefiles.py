"""Evidence files on disk (or any Django storage): judged by parsing, stored once per content.

The file is named by its SHA-256, so identical content uploaded twice (by two units, or twice
by one) is one file. It is written only after the transaction that records it commits: a page
refused halfway leaves no file behind, and a row never points at a file that was not kept.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from parindex.core.errors import ParindexError
from parindex.core.filekinds import EVIDENCE_TYPES, FileKindError, Refusal, check_kind

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


class EvidenceFileError(ParindexError):
    """A file refused, with the reason in the user's language."""


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """(content type, SHA-256) of an acceptable evidence file; raises EvidenceFileError."""
    name = upload.name or "file"
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in EVIDENCE_TYPES:
        raise EvidenceFileError(
            _(
                "{name}: evidence must be PDF, an Office document or an image (not '{suffix}')"
            ).format(name=name, suffix=suffix)
        )
    if upload.size is None or upload.size > MAX_EVIDENCE_BYTES:
        raise EvidenceFileError(_("{name}: larger than 20 MB").format(name=name))
    if upload.size == 0:
        raise EvidenceFileError(_("{name}: the file is empty").format(name=name))
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        content_type = check_kind(data, suffix)
    except FileKindError as error:
        raise EvidenceFileError(_refusal(error.reason, name, suffix)) from None
    return content_type, hashlib.sha256(data).hexdigest()


def _refusal(reason: Refusal, name: str, suffix: str) -> str:
    if reason is Refusal.WEB_PAGE:
        return _("{name}: the file contains a web page; it is refused").format(name=name)
    if reason is Refusal.DAMAGED:
        return _("{name}: the {suffix} file is damaged and cannot be opened").format(
            name=name, suffix=suffix
        )
    if reason is Refusal.TOO_LARGE:
        return _("{name}: the file expands far beyond its size; it is refused").format(name=name)
    return _("{name}: the content is not a {suffix} file").format(name=name, suffix=suffix)


def stored_name(sha256: str) -> str:
    return f"evidence/{sha256[:2]}/{sha256}"


def keep_after_commit(sha256: str, upload: UploadedFile) -> str:
    """The storage name the file will have; it is written when the transaction commits, unless
    the same content is already stored."""
    name = stored_name(sha256)
    # Kept in memory (20 MB at most): the upload's temporary file may be gone by the commit.
    upload.seek(0)
    content = upload.read()

    def write() -> None:
        if not default_storage.exists(name):
            saved = default_storage.save(name, ContentFile(content))
            if saved != name:  # another request wrote the same content meanwhile
                default_storage.delete(saved)

    transaction.on_commit(write, robust=False)
    return name
