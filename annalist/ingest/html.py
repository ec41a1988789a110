"""A saved web page → units of text (title, paragraphs, captions), its metadata, and what was dropped.

Which blocks are the article is decided by trafilatura, the field's maintained main-text
extractor; the publication date by htmldate (from the page's markup only). The text of each kept
block is taken from the page itself (non-breaking spaces, quotes and line numbers are the
source's), and every block the extractor leaves out is still listed, with its line and why, so
nothing of the page is lost from the provenance view.
"""

from __future__ import annotations

import logging
import re
import warnings

import htmldate
import trafilatura
from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning, Tag

from ..model import Removed
from .clean import Unit, line_key

# Elements that are never the article: their text is listed as page chrome.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "form", "button", "nav", "footer", "aside")
# Class or id words of comment, share, related-content and advertising widgets.
WIDGET = re.compile(
    r"^(?:comments?|comment[-_].*|.*[-_]comments?|disqus.*|share|sharing|share[-_].*|social.*|related.*|newsletter.*"
    r"|advert.*|ads?|ad[-_].*|promo.*|cookie.*|sidebar.*|breadcrumbs?|tags?|tag[-_]list)$",
    re.I,
)
BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "figcaption", "pre", "td", "dd", "dt")
META_FIELDS = {
    "og:site_name": "outlet",
    "article:published_time": "published",
    "og:url": "url",
    "og:title": "title",
    "author": "author",
    "article:author": "author",
}
_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")  # not U+00A0: a source's non-breaking spaces are kept
EXTRACTOR = f"trafilatura {trafilatura.__version__}"
DATER = f"htmldate {htmldate.__version__}" if hasattr(htmldate, "__version__") else "htmldate"
_LATEST_DATE = "2099-12-31"  # htmldate's upper bound: fixed, so that the clock never changes a build

for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


def read_html(text: str, before: str | None = None) -> tuple[list[Unit], dict[str, str], list[Removed]]:
    """Units of the article's text, page metadata (outlet, published, url, title, author, language), and
    every other block of the page with the reason it is not the article's. `before`: a date the page
    cannot be later than (a web archive's capture date), for htmldate."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(text, "html.parser")
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    meta = _meta(soup)
    extracted = _extract(text)
    _extracted_meta(extracted, meta)
    _date(text, meta, before)
    blocks = _blocks(soup)
    main = [ln for ln in (extracted.text.split("\n") if extracted is not None and extracted.text else []) if ln.strip()]
    if main:
        units, removed = _units_from_extractor(main, blocks, text)
    else:
        units, removed = _units_from_markup(soup, blocks)
    if not any(u.hint == "headline" for u in units):
        units = _page_title(soup, meta) + units
    return units, meta, removed


def _extract(text: str):  # -> trafilatura Document | None
    try:
        return trafilatura.bare_extraction(
            text, with_metadata=True, include_comments=False, include_tables=True, favor_recall=True,
            deduplicate=False, include_images=False,
        )
    except (ValueError, TypeError, AttributeError, RecursionError):  # the extractor gave up on this markup
        return None


def _meta(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        content = tag.get("content")
        if isinstance(key, str) and isinstance(content, str) and key.lower() in META_FIELDS and content.strip():
            field = META_FIELDS[key.lower()]
            if field not in meta:
                meta[field] = content.strip()
                meta[f"{field}_from"] = f'<meta {"property" if tag.get("property") else "name"}="{key}">'
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag) and isinstance(canonical.get("href"), str) and "url" not in meta:
        meta["url"] = str(canonical["href"])
        meta["url_from"] = '<link rel="canonical">'
    html = soup.find("html")
    if isinstance(html, Tag) and isinstance(html.get("lang"), str) and str(html["lang"]).strip():
        meta["language"] = str(html["lang"]).strip()
        meta["language_from"] = "<html lang>"
    time = soup.find("time", datetime=True)
    if "published" not in meta and isinstance(time, Tag):
        meta["published"] = str(time["datetime"])
        meta["published_from"] = "<time datetime>"
    return meta


def _extracted_meta(doc, meta: dict[str, str]) -> None:
    """What trafilatura read from the page's metadata (JSON-LD, Dublin Core...) where <meta> said nothing."""
    if doc is None:
        return
    for ours, theirs in (("outlet", "sitename"), ("url", "url"), ("author", "author"), ("title", "title")):
        value = getattr(doc, theirs, None)
        if ours not in meta and isinstance(value, str) and value.strip():
            meta[ours] = value.strip()
            meta[f"{ours}_from"] = f"the page's metadata, as read by {EXTRACTOR}"


def _date(text: str, meta: dict[str, str], before: str | None) -> None:
    if "published" in meta:
        return
    try:
        found = htmldate.find_date(text, extensive_search=False, original_date=True, url=meta.get("url"),
                                   max_date=before or _LATEST_DATE)
    except (ValueError, TypeError, AttributeError, RecursionError):
        found = None
    if found:
        meta["published"] = found
        meta["published_from"] = f"the page's markup, as read by {DATER} (original date)"


def _blocks(soup: BeautifulSoup) -> list[tuple[Tag, str, str | None]]:
    """Every block of text in the page, in order: (element, text, why it is chrome or None)."""
    out = []
    for el in soup.find_all(BLOCKS):
        if el.find_parent(BLOCKS) is not None:
            continue
        text = _text(el)
        if text:
            out.append((el, text, _chrome(el)))
    for el in soup.find_all(("nav", "footer", "aside", "form", "button", "noscript")):  # chrome with no blocks
        if el.find(BLOCKS) is None and el.find_parent((*BLOCKS, "nav", "footer", "aside", "form", "button", "noscript")) is None:
            text = _text(el)
            if text:
                out.append((el, text, f"page chrome (<{el.name}>)"))
    out += _loose_text(soup)
    out.sort(key=lambda b: b[0].sourceline or 0)
    return out


INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "kbd", "mark", "q", "s",
          "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "br", "img", "label"}
UNREAD = ("script", "style", "template", "svg", "head", "title", "noscript", "iframe", "nav", "footer", "aside",
          "form", "button")


def _loose_text(soup: BeautifulSoup) -> list[tuple[Tag, str, str | None]]:
    """Text outside any block element (a bare <div>'s words): grouped by the element holding it, so
    that what the extractor drops from such places is listed too."""
    groups: dict[int, tuple[Tag, list[str]]] = {}
    for string in soup.find_all(string=True):
        if not string.strip() or isinstance(string, Comment):
            continue
        holder = string.parent
        while isinstance(holder, Tag) and holder.name in INLINE:
            holder = holder.parent
        if not isinstance(holder, Tag) or holder.name in ("[document]",) or holder.name in BLOCKS:
            continue
        if holder.find_parent(BLOCKS) is not None or holder.name in UNREAD or holder.find_parent(UNREAD) is not None:
            continue
        groups.setdefault(id(holder), (holder, []))[1].append(str(string))
    out = []
    for holder, parts in groups.values():
        text = _SPACE_RUN.sub(" ", "".join(parts)).strip()
        if text:
            out.append((holder, text, _chrome(holder)))
    return out


def _chrome(el: Tag) -> str | None:
    for node in (el, *el.parents):
        if not isinstance(node, Tag) or node.name in ("[document]", "html", "body"):
            continue
        words = [*(node.get("class") or []), str(node.get("id") or "")]
        if node.name in DROP_TAGS or any(WIDGET.match(w) for w in words if w):
            return f"page chrome (<{node.name}>)"
    return None


def _units_from_extractor(main: list[str], blocks: list[tuple[Tag, str, str | None]], raw: str) -> tuple[list[Unit], list[Removed]]:
    by_key: dict[str, list[tuple[Tag, str, str | None]]] = {}
    for block in blocks:
        by_key.setdefault(line_key(block[1]), []).append(block)
    wanted = {line_key(t) for t in main}
    units: list[Unit] = []
    used: set[int] = set()
    first_h1 = True
    for text in main:
        candidates = [b for b in by_key.get(line_key(text), []) if id(b[0]) not in used]
        if candidates:
            el, original, _ = candidates[0]
            used.add(id(el))
            hint = "headline" if el.name == "h1" and first_h1 else None
            first_h1 = first_h1 and hint is None
            units.append(Unit(el.sourceline or 1, original, True, hint))
        else:  # text the extractor found outside the blocks walked here (e.g. a bare <div>)
            units.append(Unit(_line_of(raw, text), _SPACE_RUN.sub(" ", text).strip(), True))
    removed = []
    for el, text, chrome in blocks:
        if id(el) in used:
            continue
        if el.name == "figcaption" and not chrome:
            units.append(Unit(el.sourceline or 1, text, True, "caption"))
            continue
        if line_key(text) in wanted:
            continue  # the same words again (a block repeated on the page); the extractor kept one
        short = text if len(text) <= 200 else text[:199] + "…"
        removed.append(Removed(el.sourceline or 1, short, chrome or f"not the article's main text ({EXTRACTOR})"))
    units.sort(key=lambda u: u.line)
    return units, removed


def _units_from_markup(soup: BeautifulSoup, blocks: list[tuple[Tag, str, str | None]]) -> tuple[list[Unit], list[Removed]]:
    """When the extractor finds no main text: the blocks of <article>, else <main>, else the page, less chrome."""
    root = soup.find("article") or soup.find("main") or soup.body or soup
    units, removed = [], []
    first_h1 = True
    for el, text, chrome in blocks:
        inside = root is soup or root in el.parents
        if chrome or not inside:
            short = text if len(text) <= 200 else text[:199] + "…"
            removed.append(Removed(el.sourceline or 1, short, chrome or "outside the page's <article>/<main>"))
            continue
        hint = "headline" if el.name == "h1" and first_h1 else "caption" if el.name == "figcaption" else None
        first_h1 = first_h1 and hint != "headline"
        units.append(Unit(el.sourceline or 1, text, True, hint))
    return units, removed


def _line_of(raw: str, text: str) -> int:
    probe = " ".join(text.split()[:4])
    at = raw.find(probe) if probe else -1
    return raw.count("\n", 0, at) + 1 if at >= 0 else 1


def _page_title(soup: BeautifulSoup, meta: dict[str, str]) -> list[Unit]:
    title = meta.get("title") or (soup.title.get_text() if soup.title else "")
    title = _SPACE_RUN.sub(" ", title).strip()
    line = soup.title.sourceline if soup.title and soup.title.sourceline else 1
    return [Unit(line, title, True, "headline")] if title else []


def _text(el: Tag) -> str:
    for br in el.find_all("br"):
        br.replace_with(" ")
    return _SPACE_RUN.sub(" ", el.get_text()).strip()
