"""Printable ballot sheets (PDF through Typst): one A5 page per selected household or respondent,
with the ballot code in print and as a QR code that opens the web form with the code filled in.

Typst's own embedded fonts are used (system fonts ignored), so a sheet prints the same on every
machine; Libertinus Serif and DejaVu Sans Mono cover Vietnamese.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

import segno
import typst


@dataclass(frozen=True)
class Ballot:
    code: str
    """As printed, in groups of four."""
    label: str
    """Who it is for: the household or respondent as the frame names it."""
    area: str
    url: str
    """The web form's address with the code in it; the QR code holds exactly this."""


@dataclass(frozen=True)
class SheetText:
    address: str
    """The web form's address as printed, for those who type rather than scan."""
    issuer: str
    title: str
    household: str
    area: str
    code: str
    instructions: str
    footer: str


def ballot_sheets(ballots: Sequence[Ballot], text: SheetText, lang: str = "vi") -> bytes:
    """The PDF of all ``ballots``, in the order given."""
    if not ballots:
        raise ValueError("no ballots to print")
    data = {
        "lang": lang,
        "address": text.address,
        "issuer": text.issuer,
        "title": text.title,
        "labels": {
            "household": text.household,
            "area": text.area,
            "code": text.code,
            "instructions": text.instructions,
            "footer": text.footer,
        },
        "ballots": [
            {**asdict(ballot), "qr": segno.make(ballot.url, error="m").svg_inline(border=1)}
            for ballot in ballots
        ],
    }
    template = Path(str(resources.files("parindex.reports") / "templates" / "ballots.typ"))
    result = typst.compile(
        template, ignore_system_fonts=True, sys_inputs={"data": json.dumps(data)}
    )
    assert isinstance(result, bytes)
    return result
