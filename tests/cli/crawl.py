"""Walk a site as one user: every same-site link on every page reached, each page checked for
what a Vietnamese reader must never meet (an error, a refusal behind a link, a raw code, an
English sentence)."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from babel.messages.pofile import read_po

from parindex.core.surveys import ballot
from parindex.server.translations import LOCALE_DIR

SKIPPED = ("/accounts/logout/", "/i18n/", "/admin/", "/static/", "/favicon.ico")
DOWNLOADS = (".pdf", ".xlsx", ".json", ".csv")
PER_PATTERN = 3
"""Pages of one shape (ids replaced) walked per user: 34 provinces' pages differ by data only."""

RAW_CODES = re.compile(
    r"\b(invalid_code|out_of_sample|straight_lining|too_fast|edition_id|inputs_sha256|"
    r"self_assessment|survey:[a-z]|None|True|False)\b"
)
"""Codes and Python values that only a programmer reads."""
RAW_CELLS = frozenset(
    {"web", "paper", "kobo", "odk", "m", "f", "yes", "no", "none", "duplicate", "late"}
)
"""Codes that betray themselves as the whole text of a table cell or a choice."""


def english_sentences() -> list[str]:
    """The catalogue's English sources of four words or more (their translation differs), and
    core's English reasons: none may be read on a Vietnamese page."""
    with (LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po").open("rb") as source:
        catalog = read_po(source)
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple) or message.string == message.id:
            continue
        # The words before the first placeholder: what an untranslated page would show.
        head = re.split(r"%\(\w+\)s|%s|%d", str(message.id))[0].strip()
        if len(head.split()) >= 4:
            found.append(head)
    for template in ballot.REASONS.values():
        found += [p.strip() for p in re.split(r"'?\{\w+\}'?", template) if len(p.split()) >= 3]
    return found


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.cells: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        if tag in ("td", "label", "option"):
            self._cell = []
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if (href.startswith("/") and not href.startswith("//")) or href.startswith("?"):
                self.links.append(href.split("#")[0])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in ("td", "label", "option") and self._cell is not None:
            self.cells.append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


@dataclass
class Walk:
    pages: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def walk(
    get: Callable[[str], tuple[int, str, str]],
    start: Iterable[str],
    sentences: list[str],
    limit: int = 80,
) -> Walk:
    """``get(path)`` → (status, content type, body). Follows same-site links breadth first."""
    result = Walk()
    queue = list(start)
    shapes: Counter[str] = Counter()
    while queue and len(result.pages) < limit:
        path = queue.pop(0)
        if path in result.pages or path.startswith(SKIPPED) or path.endswith(DOWNLOADS):
            continue
        if "/evidence/" in path:
            continue
        shape = re.sub(r"\d+", "N", path.split("?")[0]) + ("?" if "?" in path else "")
        if shapes[shape] >= PER_PATTERN:
            continue
        shapes[shape] += 1
        status, kind, body = get(path)
        result.pages[path] = status
        if status != 200:
            result.problems.append(f"{path}: answers {status}")
            continue
        if not kind.startswith("text/html"):
            continue
        parsed = _Text()
        parsed.feed(body)
        text = html.unescape(" ".join(" ".join(parsed.text).split()))
        for code in sorted(set(RAW_CODES.findall(text))):
            result.problems.append(f"{path}: raw code {code!r}")
        for cell in sorted(set(parsed.cells) & RAW_CELLS):
            result.problems.append(f"{path}: raw code {cell!r} shown as a value")
        for sentence in sentences:
            if sentence in text:
                result.problems.append(f"{path}: English {sentence!r}")
        here = path.split("?")[0]
        links = [here + link if link.startswith("?") else link for link in parsed.links]
        queue += [link for link in links if link not in result.pages]
    return result


def http_get(opener: object, base: str) -> Callable[[str], tuple[int, str, str]]:
    def get(path: str) -> tuple[int, str, str]:
        address = base + urllib.parse.quote(path, safe="/?=&%:+")
        try:
            with opener.open(address, timeout=60) as response:  # type: ignore[attr-defined]
                kind = response.headers.get("Content-Type", "")
                body = response.read().decode("utf-8") if kind.startswith("text/") else ""
                return response.status, kind, body
        except urllib.error.HTTPError as error:
            return error.code, "", ""

    return get
