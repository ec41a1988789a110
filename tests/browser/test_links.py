"""The whole built site: every relative link, image, script and stylesheet resolves on disk, and
every #fragment to an element id of the page it points to. (No browser needed.)"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINKING = {("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"), ("source", "src"), ("iframe", "src")}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if attrs.get(name):
                self.ids.add(attrs[name])
        for t, attr in LINKING:
            if tag == t and attrs.get(attr) is not None:
                self.links.append((tag, attrs[attr]))


def _parse(path: Path, cache: dict) -> _Page:
    if path not in cache:
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        cache[path] = parser
    return cache[path]


def broken_links(site: Path) -> list[str]:
    cache: dict[Path, _Page] = {}
    broken = []
    for page in sorted(site.rglob("*.html")):
        for tag, value in _parse(page, cache).links:
            parts = urlsplit(value)
            if parts.scheme or parts.netloc:
                continue  # external (authority records): a link, never loaded by the page
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            where = f"{page.relative_to(site)}: <{tag}> {value!r}"
            if not target.is_relative_to(site.resolve()):
                broken.append(f"{where} leaves the site")
            elif not target.is_file():
                broken.append(f"{where}: no file {target}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in _parse(target, cache).ids:
                broken.append(f"{where}: no element with id {parts.fragment!r}")
    return broken


def test_every_link_and_anchor_resolves(built_site):
    pages = list(built_site.rglob("*.html"))
    assert len(pages) > 50
    assert broken_links(built_site) == []


def test_the_check_finds_broken_links(tmp_path):
    (tmp_path / "a.html").write_text('<p id="x"><a href="b.html#y">b</a> <a href="#x">x</a> <a href="#z">z</a>'
                                     '<img src="missing.png" alt=""> <a href="https://example.org/">ext</a></p>')
    (tmp_path / "b.html").write_text('<p id="w"><a href="../outside.html">out</a></p>')
    found = broken_links(tmp_path)
    assert len(found) == 4, found
    assert any("'y'" in f for f in found) and any("'z'" in f for f in found)
    assert any("missing.png" in f for f in found) and any("leaves the site" in f for f in found)
