"""Walk the running demo in a real browser as each of its users, in Vietnamese and in English.

    uv run python scripts/walk.py --base http://127.0.0.1:8190 --out /tmp/walk \
        --accounts /tmp/demo.log

``--accounts`` is the output of ``parindex demo`` (its table of accounts, printed once) or a file
of ``username password`` lines. Every account and an anonymous visitor start at ``/`` and
``/home/`` and follow same-site links breadth first (skipping logout, the language switch, the
Django admin and downloads, which are only fetched for their status) to ``--depth``; pages of
one shape (numbers replaced) are walked ``--per-shape`` times. Each page is timed from the
navigation to its load event, screenshot at 1440×900, and its visible text checked for what a
reader must never meet: raw codes, English in Vietnamese mode, numbers or dates in the other
language's format, script errors, a page wider than the window, charts not drawn.

Writes ``OUT/walk.json`` (every page) and ``OUT/walk.md`` (the problems and the slowest pages).
Debian's /usr/bin/chromium only: no browser is ever downloaded.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SKIPPED = ("/accounts/logout", "/i18n/", "/admin/", "/static/", "/favicon.ico", "/media/")
DOWNLOADS = re.compile(r"\.(pdf|xlsx|xls|csv|json|zip|png|svg|typ)$|/download|/export|format=")

RAW = [
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "snake_case identifier"),
    (re.compile(r"\b(?:None|True|False|nan|NaN|null|undefined|Infinity)\b"), "raw value"),
    (re.compile(r"\{\{|\{%|%\(|%s\b|\{\w+\}"), "template placeholder"),
    (re.compile(r"<\w+ object at|Decimal\(|datetime\.|\[\]|\{'|\(\)"), "Python repr"),
]
ENGLISH = re.compile(
    r"(?<![\w/.-])(?:the|of|and|with|for|from|this|that|is|are|has|have|not|no|yes|"
    r"Submit|Save|Download|Upload|Cancel|Delete|Edit|Search|Next|Previous|Back|Total|Score|"
    r"Scores|Rank|Page|Home|Log in|Login|Log out|Password|Results?|Survey|Province|Unit|Status|"
    r"Error|Warning|Required|Open|Closed|Draft|Published|Overall|Year|Name|Index|Method|"
    r"Respondents?|Responses?|Sample|Average|Median|Mean|Lower|Upper|Confidence|Interval|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"synthetic|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|ago|day|days|hours?|minutes?)"
    r"(?![\w-])"
)
# A decimal point in Vietnamese text ("88.37", "82.0"), but not a criterion's code ("6.1", "2.2").
VI_NUMBER = re.compile(
    r"(?<![\d.,])(?:\d{2,}\.\d{1,2}|\d\.\d{2}|\d+\.0)(?![\d.,])|\d,\d{3},\d{3}|(?<![\d.])\d+\.\d{4,}"
)
EN_NUMBER = re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d.,])|\d\.\d{3}\.\d{3}")
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2})?")


@dataclass
class Visit:
    role: str
    lang: str
    url: str
    depth: int
    status: int
    ms: float
    title: str = ""
    shot: str = ""
    text: str = ""
    problems: list[str] = field(default_factory=list)


def read_accounts(path: Path) -> dict[str, str]:
    accounts: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in re.split(r"[│|]", line) if c.strip()]
        if len(cells) >= 2 and cells[0] != "username" and re.fullmatch(r"[\w.-]+", cells[0]):
            accounts[cells[0]] = cells[1]
        elif len(words := line.split()) == 2 and not line.startswith("#"):
            accounts[words[0]] = words[1]
    return accounts


def shape(url: str) -> str:
    parts = urlsplit(url)
    query = "&".join(sorted(p.split("=")[0] for p in parts.query.split("&") if p))
    # Units' refs ("province:20/department:noi-vu") and numbers vary by data only.
    path = re.sub(r"\d+", "N", re.sub(r":[\w-]+", ":X", parts.path))
    return path + ("?" + query if query else "")


def snippet(text: str, start: int, end: int) -> str:
    return " ".join(text[max(0, start - 30) : end + 30].split())


def check_text(text: str, lang: str) -> list[str]:
    """One line per kind of problem on a page, with up to three examples."""
    found: list[str] = []
    for pattern, what in RAW:
        for m in pattern.finditer(text):
            found.append(f"{what}: {m.group(0)!r} in «{snippet(text, m.start(), m.end())}»")
    if lang == "vi":
        for m in ENGLISH.finditer(text):
            if "Tên tiếng Anh" in text[max(0, m.start() - 60) : m.start()]:
                continue  # a unit's English name, shown as such
            found.append(f"English word: {m.group(0)!r} in «{snippet(text, m.start(), m.end())}»")
        for m in VI_NUMBER.finditer(text):
            found.append(
                f"non-Vietnamese number: {m.group(0)!r} in «{snippet(text, m.start(), m.end())}»"
            )
    else:
        for m in EN_NUMBER.finditer(text):
            found.append(
                f"Vietnamese number in English: {m.group(0)!r} in «{snippet(text, m.start(), m.end())}»"
            )
    for m in ISO_DATE.finditer(text):
        found.append(f"ISO date: {m.group(0)!r} in «{snippet(text, m.start(), m.end())}»")
    kinds: dict[str, list[str]] = {}
    for line in dict.fromkeys(found):
        kind, example = line.split(": ", 1)
        kinds.setdefault(kind, []).append(example)
    return [
        f"{kind} ×{len(examples)}: " + "; ".join(examples[:3]) for kind, examples in kinds.items()
    ]


PAGE_FACTS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const charts = [...document.querySelectorAll('[data-spec], .chart, .vega-embed')];
  return {
    ms: nav ? nav.loadEventEnd - nav.startTime : -1,
    wide: document.documentElement.scrollWidth - window.innerWidth,
    text: document.body ? document.body.innerText : '',
    charts: charts.length,
    drawn: charts.filter(c => c.querySelector('svg, canvas')).length,
    brokenImages: [...document.images].filter(i => i.complete && i.naturalWidth === 0)
      .map(i => i.src),
    links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
  };
}"""


class Walker:
    def __init__(self, browser: Browser, base: str, out: Path, args: argparse.Namespace) -> None:
        self.browser = browser
        self.base = base.rstrip("/")
        self.out = out
        self.args = args
        self.visits: list[Visit] = []

    def context(self, lang: str) -> BrowserContext:
        context = self.browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
        context.set_default_timeout(30_000)
        if lang != "vi":
            host = urlsplit(self.base).hostname or "127.0.0.1"
            context.add_cookies(
                [{"name": "django_language", "value": lang, "domain": host, "path": "/"}]
            )
        return context

    def login(self, page: Page, user: str, password: str) -> bool:
        page.goto(self.base + "/accounts/login/")
        page.fill("#id_username", user)
        page.fill("#id_password", password)
        page.click("form.form button[type=submit]")
        page.wait_for_load_state("load")
        return "/accounts/login/" not in page.url

    def fetch(
        self, context: BrowserContext, role: str, lang: str, url: str, path: str, depth: int
    ) -> None:
        """A download: its status and time only (no screenshot)."""
        started = time.monotonic()
        response = context.request.get(url, max_redirects=0, fail_on_status_code=False)
        ms = (time.monotonic() - started) * 1000
        visit = Visit(role, lang, path, depth, response.status, ms)
        visit.title = "(download) " + response.headers.get("content-type", "")
        if response.status >= 400:
            visit.problems.append(f"download answers {response.status}")
        self.visits.append(visit)

    def walk(self, role: str, lang: str, password: str | None) -> None:
        context = self.context(lang)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(f"script error: {e}"))
        page.on(
            "console",
            lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
        )
        if password is not None and not self.login(page, role, password):
            self.visits.append(
                Visit(role, lang, "/accounts/login/", 0, 0, 0, problems=["login failed"])
            )
            context.close()
            return
        queue = [(self.base + start, 0) for start in self.args.start.split(",")]
        seen: set[str] = set()
        shapes: Counter[str] = Counter()
        pages = 0
        while queue and pages < self.args.limit:
            url, depth = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            path = url[len(self.base) :]
            if path.startswith(SKIPPED):
                continue
            if shapes[shape(path)] >= self.args.per_shape:
                continue
            shapes[shape(path)] += 1
            if DOWNLOADS.search(path):
                self.fetch(context, role, lang, url, path, depth)
                continue
            pages += 1
            errors.clear()
            try:
                response = page.goto(url, wait_until="load")
            except Exception as error:  # a timeout or a crash is a finding, not the end of the walk
                if "Download is starting" in str(error):  # a file behind an ordinary address
                    pages -= 1
                    self.fetch(context, role, lang, url, path, depth)
                    continue
                failed = Visit(role, lang, path, depth, 0, -1, problems=[f"navigation: {error}"])
                self.visits.append(failed)
                continue
            page.wait_for_timeout(self.args.settle)
            status = response.status if response else 0
            facts = page.evaluate(PAGE_FACTS)
            final = page.url[len(self.base) :] if page.url.startswith(self.base) else page.url
            visit = Visit(
                role,
                lang,
                path if final == path else f"{path} → {final}",
                depth,
                status,
                facts["ms"],
            )
            visit.title = page.title()
            visit.text = facts["text"]
            name = f"{role}-{lang}-{pages:03d}.png"
            page.screenshot(path=self.out / "shots" / name, full_page=self.args.full_page)
            visit.shot = str(self.out / "shots" / name)
            if status >= 400:
                visit.problems.append(f"answers {status}")
            if facts["ms"] > 1000:
                visit.problems.append(f"slow: {facts['ms']:.0f} ms")
            if facts["wide"] > 2:
                visit.problems.append(f"page {facts['wide']} px wider than the 1440 px window")
            if facts["charts"] > facts["drawn"]:
                visit.problems.append(
                    f"{facts['charts'] - facts['drawn']} of {facts['charts']} charts not drawn"
                )
            if len(facts["text"].strip()) < 40:
                visit.problems.append("page nearly blank")
            visit.problems += [f"broken image {src}" for src in facts["brokenImages"]]
            visit.problems += check_text(facts["text"], lang)
            visit.problems += list(dict.fromkeys(errors))
            self.visits.append(visit)
            print(
                f"{role:15} {lang} {status} {facts['ms']:6.0f} ms  {path}  ({len(visit.problems)})",
                flush=True,
            )
            if depth >= self.args.depth:
                continue
            here = page.url
            for href in facts["links"]:
                if href.startswith(("mailto:", "tel:", "javascript:", "#")):
                    continue
                target = urljoin(here, href).split("#")[0]
                if target.startswith(self.base + "/") and target not in seen:
                    queue.append((target, depth + 1))
        context.close()


def report(visits: list[Visit], out: Path) -> None:
    (out / "walk.json").write_text(
        json.dumps([asdict(v) for v in visits], ensure_ascii=False, indent=1), encoding="utf-8"
    )
    lines = [
        "# Walk of the demo",
        "",
        "| role | lang | pages | downloads | not 200 | median ms | slowest ms | slowest page | > 1 s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    by_role: dict[tuple[str, str], list[Visit]] = {}
    for v in visits:
        by_role.setdefault((v.role, v.lang), []).append(v)
    for (role, lang), group in by_role.items():
        timed = [v for v in group if not v.title.startswith("(download)") and v.ms >= 0]
        files = len(group) - len(timed)
        refused = sum(1 for v in group if v.status != 200)
        if not timed:
            lines.append(f"| {role} | {lang} | 0 | {files} | {refused} | | | | |")
            continue
        times = sorted(v.ms for v in timed)
        slow = max(timed, key=lambda v: v.ms)
        over = sum(1 for t in times if t > 1000)
        lines.append(
            f"| {role} | {lang} | {len(timed)} | {files} | {refused} | {times[len(times) // 2]:.0f}"
            f" | {slow.ms:.0f} | `{slow.url}` | {over} |"
        )
    lines += ["", "## Problems", ""]
    for v in visits:
        for problem in v.problems:
            lines.append(
                f"- {v.role} {v.lang} `{v.url}` ({v.status}, {v.ms:.0f} ms): {problem} — {v.shot}"
            )
    (out / "walk.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="address of the running site")
    parser.add_argument(
        "--out", required=True, type=Path, help="folder for screenshots and reports"
    )
    parser.add_argument("--accounts", type=Path, help="demo output or 'username password' lines")
    parser.add_argument("--roles", help="comma-separated usernames to walk (all; 'anonymous' too)")
    parser.add_argument("--langs", default="vi,en")
    parser.add_argument(
        "--start", default="/,/home/", help="comma-separated paths the walk starts from (/,/home/)"
    )
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--limit", type=int, default=60, help="pages per role and language")
    parser.add_argument("--per-shape", type=int, default=2, help="pages of one URL shape")
    parser.add_argument("--settle", type=int, default=300, help="ms to wait for charts to draw")
    parser.add_argument("--full-page", action="store_true", help="screenshot the whole page")
    args = parser.parse_args()
    accounts: dict[str, str | None] = {"anonymous": None}
    if args.accounts:
        accounts.update(read_accounts(args.accounts))
    if args.roles:
        wanted = args.roles.split(",")
        accounts = {k: v for k, v in accounts.items() if k in wanted}
    (args.out / "shots").mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        walker = Walker(browser, args.base, args.out, args)
        for role, password in accounts.items():
            for lang in args.langs.split(","):
                walker.walk(role, lang, password)
                report(walker.visits, args.out)
        browser.close()
    report(walker.visits, args.out)
    print(f"{len(walker.visits)} pages; {args.out / 'walk.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
