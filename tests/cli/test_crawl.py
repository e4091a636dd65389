"""The walker used on the demo finds what it looks for (so a clean walk means something)."""

from __future__ import annotations

from tests.cli.crawl import english_sentences, walk

PAGES = {
    "/": (200, '<a href="/a/">a</a> <a href="/b/">b</a> <a href="/c/">c</a> <a href="?x=1">x</a>'),
    "/a/": (200, "<table><tr><td>web</td><td>Hà Nội</td></tr></table><p>straight_lining</p>"),
    "/b/": (200, "<p>Mã %s has already been counted</p><label><input> m</label>"),
    "/c/": (403, ""),
    "/?x=1": (200, "<p>Không có gì.</p>"),
}


def get(path: str) -> tuple[int, str, str]:
    status, body = PAGES[path]
    return status, "text/html; charset=utf-8", body


def test_the_walker_reports_raw_codes_english_and_refused_links() -> None:
    found = walk(get, ["/"], english_sentences())
    assert set(found.pages) == set(PAGES)
    assert sorted(found.problems) == [
        "/a/: raw code 'straight_lining'",
        "/a/: raw code 'web' shown as a value",
        "/b/: English 'has already been counted'",
        "/b/: raw code 'm' shown as a value",
        "/c/: answers 403",
    ]


def test_the_catalogue_gives_english_sentences_to_look_for() -> None:
    sentences = english_sentences()
    assert "No response has been counted yet." in sentences
    assert len(sentences) > 100
