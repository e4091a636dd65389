"""Hostile and broken files, built in memory: what an attacker or a damaged disk hands an upload
form. Each is small on the wire; the tests check it is refused with a named reason."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook


def workbook(rows: list[list[object]], title: str = "Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _replace_sheet(data: bytes, sheet_xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "xl/worksheets/sheet1.xml":
                content = sheet_xml
            target.writestr(entry.filename, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _sheet_xml(rows: int, dimension: bool) -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}">'.encode()
    if dimension:
        head += f'<dimension ref="A1:C{rows}"/>'.encode()
    # Rows and cells without their optional references repeat byte for byte: deflate loves it.
    body = b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c><c><v>2</v></c></row>' * rows
    return head + b"<sheetData>" + body + b"</sheetData></worksheet>"


def zip_bomb(rows: int = 300_000, dimension: bool = True) -> bytes:
    """A workbook a few hundred kB on the wire whose first sheet holds ``rows`` rows."""
    return _replace_sheet(workbook([["a", "b", "c"]]), _sheet_xml(rows, dimension))


def zero_bomb(megabytes: int = 64) -> bytes:
    """A workbook with an extra part of zeros that inflates a thousandfold."""
    data = workbook([["a"], ["1"]])
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/zeros.bin", b"\0" * (megabytes * 1024 * 1024))
    return out.getvalue()


def truncated(data: bytes) -> bytes:
    """The first half of a file, as an interrupted upload or copy leaves it."""
    return data[: len(data) // 2]


def big_csv(megabytes: int = 25) -> bytes:
    line = b"province:01,commune-0001,village-01,household-0001,Nguyen Van A,12\n"
    return b"unit,commune,village,household,name,size\n" + line * (
        megabytes * 1024 * 1024 // len(line) + 1
    )


def long_field_csv(length: int = 131_073) -> bytes:
    return b'unit,component,points\nprovince:01,1.1,"' + b"9" * length + b'"\n'


# A file that a PDF reader and a browser would both accept: a PDF header, then a page.
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n"


def pdf() -> bytes:
    """A real one-page PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def polyglot_pdf() -> bytes:
    """A real PDF that also opens as a web page: HTML in a comment right after the header, where
    a browser sniffing the first bytes would find it. PDF readers recover the shifted offsets."""
    data = pdf()
    header, rest = data.split(b"\n", 1)
    return header + b"\n%<html><body><script>alert(document.cookie)</script></body></html>\n" + rest


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()
