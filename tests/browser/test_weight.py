"""Page weight: an article page with every stylesheet and script it references (the search index
and Pagefind's bundle aside, which only the search page loads) stays under 100 KB."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

LIMIT = 100 * 1024
NOT_COUNTED = ("_pagefind/", "search-index.js")


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.found.append(attrs["src"])
        elif tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.found.append(attrs["href"])


def weight(page: Path) -> dict[str, int]:
    """Bytes of the page and of each stylesheet and script it references, by path."""
    parser = _Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    sizes = {page.name: page.stat().st_size}
    for ref in parser.found:
        if urlsplit(ref).scheme or any(n in ref for n in NOT_COUNTED):
            continue
        asset = (page.parent / urlsplit(ref).path).resolve()
        sizes[ref] = asset.stat().st_size
    return sizes


def test_every_article_page_weighs_under_100_kb(built_site):
    articles = sorted((built_site / "articles").glob("*.html"))
    assert articles
    for page in articles:
        sizes = weight(page)
        assert any(ref.endswith(".css") for ref in sizes) and any(ref.endswith(".js") for ref in sizes)
        assert sum(sizes.values()) < LIMIT, (page.name, sizes)
