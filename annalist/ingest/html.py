"""An HTML page → units (title, paragraphs, captions) and the metadata its <meta> tags give."""

from __future__ import annotations

import re
import warnings

from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, Tag

from ..model import Removed
from .clean import Unit

# Elements that are never the article: dropped before anything is read.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "form", "button", "nav", "footer", "aside")
# Class or id words of comment, share, related-content and advertising widgets.
WIDGET = re.compile(
    r"^(?:comments?|comment[-_].*|.*[-_]comments?|disqus.*|share|sharing|share[-_].*|social.*|related.*|newsletter.*"
    r"|advert.*|ads?|ad[-_].*|promo.*|cookie.*|sidebar.*|breadcrumbs?|tags?|tag[-_]list)$",
    re.I,
)
BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "pre")
META_FIELDS = {
    "og:site_name": "outlet",
    "article:published_time": "published",
    "og:url": "url",
    "og:title": "title",
}
_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")  # not U+00A0: a source's non-breaking spaces are kept


def read_html(text: str) -> tuple[list[Unit], dict[str, str], list[Removed]]:
    """Units of the article's text, page metadata (outlet, published, url, title, language), chrome dropped."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "html.parser")
    meta = _meta(soup)
    removed = _drop_chrome(soup)
    root = soup.find("article") or soup.find("main") or soup.body or soup
    units = _units(root if isinstance(root, Tag) else soup)
    if not any(u.hint == "headline" for u in units):
        units = _page_title(soup, meta) + units
    return units, meta, removed


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and key.lower() in META_FIELDS and content.strip():
            meta.setdefault(META_FIELDS[key.lower()], content.strip())
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag) and isinstance(canonical.get("href"), str):
        meta.setdefault("url", str(canonical["href"]))
    html = soup.find("html")
    if isinstance(html, Tag) and isinstance(html.get("lang"), str) and str(html["lang"]).strip():
        meta["language"] = str(html["lang"]).strip()
    time = soup.find("time", datetime=True)
    if "published" not in meta and isinstance(time, Tag):
        meta["published"] = str(time["datetime"])
        meta["published_from"] = "<time datetime>"
    return meta


def _drop_chrome(soup: BeautifulSoup) -> list[Removed]:
    removed = []
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.parent is None:
            continue
        words = [*(tag.get("class") or []), str(tag.get("id") or "")]
        if tag.name in DROP_TAGS or any(WIDGET.match(w) for w in words if w):
            text = _SPACE_RUN.sub(" ", tag.get_text(" ")).strip()
            if text and tag.name not in ("script", "style", "template", "svg"):
                short = text if len(text) <= 200 else text[:199] + "…"
                removed.append(Removed(tag.sourceline or 1, short, f"page chrome (<{tag.name}>)"))
            tag.decompose()
    return removed


def _units(root: Tag) -> list[Unit]:
    units = []
    for el in root.find_all(BLOCKS):
        if el.find_parent(BLOCKS) is not None:
            continue
        text = _text(el)
        if text:
            hint = "headline" if el.name == "h1" else "caption" if el.name == "figcaption" else None
            units.append(Unit(el.sourceline or 1, text, True, hint))
    first_h1 = next((i for i, u in enumerate(units) if u.hint == "headline"), None)
    return [u if u.hint != "headline" or i == first_h1 else Unit(u.line, u.text) for i, u in enumerate(units)]


def _page_title(soup: BeautifulSoup, meta: dict[str, str]) -> list[Unit]:
    title = meta.get("title") or (soup.title.get_text() if soup.title else "")
    title = _SPACE_RUN.sub(" ", title).strip()
    line = soup.title.sourceline if soup.title and soup.title.sourceline else 1
    return [Unit(line, title, True, "headline")] if title else []


def _text(el: Tag) -> str:
    for br in el.find_all("br"):
        br.replace_with(" ")
    return _SPACE_RUN.sub(" ", el.get_text()).strip()
