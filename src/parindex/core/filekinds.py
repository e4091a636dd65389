"""The kinds of file a unit may give as evidence, each judged by parsing it, not by its name or
first bytes: a PDF must open in a PDF reader, a workbook or document must be a sound zip with its
main part, an image must decode. A file a browser would take for a web page is refused whatever
else it is (a PDF/HTML polyglot served inline could run script on the site's origin).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree
import zipfile
from enum import StrEnum

from parindex.core.errors import ParindexError
from parindex.core.workbook import Limits, WorkbookError, open_workbook


class Refusal(StrEnum):
    """Why a file is not what its name says; the server words each in the user's language."""

    WEB_PAGE = "web-page"
    NOT_THE_KIND = "not-the-kind"
    DAMAGED = "damaged"
    TOO_LARGE = "too-large"


class FileKindError(ParindexError):
    def __init__(self, reason: Refusal, detail: str) -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}")


EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}
# Browsers sniff the first 512 bytes (WHATWG MIME sniffing); 1 kB leaves a margin.
_SNIFFED = 1024
_HTML = (b"<html", b"<script", b"<body", b"<!doctype html", b"<svg", b"<iframe", b"<head")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An Office document of 20 MB may hold images; its parts may expand further than a workbook.
_DOCUMENT = Limits(uncompressed_bytes=200 * 1024 * 1024, ratio=200)
_MAIN_PART = {
    ".docx": "word/document.xml",
    ".odt": "content.xml",
    ".ods": "content.xml",
}


def check_kind(data: bytes, suffix: str) -> str:
    """The content type of ``data`` if it is a sound file of the kind ``suffix`` names.

    Raises :class:`FileKindError` with the reason otherwise.

    >>> check_kind(b"%PDF-1.4 <script>alert(1)</script>", ".pdf")
    Traceback (most recent call last):
    parindex.core.filekinds.FileKindError: web-page: HTML in the first 1024 bytes
    """
    content_type = EVIDENCE_TYPES.get(suffix)
    if content_type is None:
        raise FileKindError(Refusal.NOT_THE_KIND, f"'{suffix}' is not a kind of evidence")
    if any(marker in data[:_SNIFFED].lower() for marker in _HTML):
        raise FileKindError(Refusal.WEB_PAGE, f"HTML in the first {_SNIFFED} bytes")
    if suffix == ".pdf":
        _pdf(data)
    elif suffix in (".png", ".jpg", ".jpeg"):
        _image(data, "PNG" if suffix == ".png" else "JPEG")
    elif suffix in (".doc", ".xls"):
        _ole(data)
    elif suffix == ".xlsx":
        _xlsx(data)
    else:
        _package(data, suffix, content_type)
    return content_type


def _pdf(data: bytes) -> None:
    from pypdf import PdfReader

    if not data.startswith(b"%PDF-"):
        raise FileKindError(Refusal.NOT_THE_KIND, "no %PDF- header")
    try:
        pages = len(PdfReader(io.BytesIO(data), strict=False).pages)
    except Exception as error:  # pypdf raises many kinds for a damaged file
        raise FileKindError(Refusal.DAMAGED, f"a PDF reader cannot open it ({error})") from None
    if pages == 0:
        raise FileKindError(Refusal.DAMAGED, "a PDF without pages")


def _image(data: bytes, expected: str) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            found = image.format
            image.verify()
    except Image.DecompressionBombError:
        raise FileKindError(Refusal.TOO_LARGE, "more pixels than an image may have") from None
    except UnidentifiedImageError:
        raise FileKindError(Refusal.NOT_THE_KIND, "not an image") from None
    except Exception:  # Pillow raises many kinds for a file that is not an image
        raise FileKindError(Refusal.DAMAGED, "does not decode as an image") from None
    if found != expected:
        raise FileKindError(Refusal.NOT_THE_KIND, f"a {found} image, not {expected}")


def _ole(data: bytes) -> None:
    # The compound-file header of Word 97 and Excel 97: signature, byte order, sector size.
    if len(data) < 512 or not data.startswith(_OLE):
        raise FileKindError(Refusal.NOT_THE_KIND, "not an Office 97-2003 compound file")
    if data[28:30] != b"\xfe\xff" or data[30] not in (9, 12):
        raise FileKindError(Refusal.DAMAGED, "a damaged compound-file header")


def _xlsx(data: bytes) -> None:
    try:
        open_workbook(data, "evidence.xlsx", _DOCUMENT).close()
    except WorkbookError as error:
        reason = Refusal.TOO_LARGE if "expands" in str(error) else Refusal.DAMAGED
        raise FileKindError(reason, str(error)) from None


def _package(data: bytes, suffix: str, content_type: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileKindError(Refusal.NOT_THE_KIND, "not a zip package") from None
    with archive:
        names = set(archive.namelist())
        main = _MAIN_PART[suffix]
        if main not in names:
            raise FileKindError(Refusal.NOT_THE_KIND, f"no {main}")
        entry = archive.getinfo(main)
        if entry.file_size > _DOCUMENT.uncompressed_bytes or entry.file_size > (
            _DOCUMENT.ratio * max(entry.compress_size, 1) + 1048576
        ):
            raise FileKindError(Refusal.TOO_LARGE, f"{main} expands too far")
        try:
            if suffix in (".odt", ".ods"):
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared != content_type:
                    raise FileKindError(Refusal.NOT_THE_KIND, f"declares '{declared}'")
            # Python's expat refuses entity expansion bombs; a damaged part fails to parse.
            ElementTree.fromstring(archive.read(main))
        except FileKindError:
            raise
        except Exception:  # zipfile, zlib and expat raise many kinds for a damaged part
            raise FileKindError(Refusal.DAMAGED, f"{main} does not parse") from None
