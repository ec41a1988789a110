"""The only place links are made. Every link in the site is relative to the page it is on,
so `site/` works from any folder, under any sub-path of a static host, and from file://.

Paths here are POSIX paths from the site root, e.g. "articles/<id>.html". Pages are files, never
directories ("page/" → "page/index.html" breaks file:// browsing).
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re

from .text import slugify

UNKNOWN_OUTLET = "unknown-outlet"
_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def safe_segment(name: str) -> str:
    """A single path segment that cannot escape its folder (no '/', no '..', no leading dot)."""
    if not _SAFE_SEGMENT.match(name) or ".." in name:
        raise ValueError(f"unsafe file name for the site: {name!r}")
    return name


def home() -> str:
    return "index.html"


def article(article_id: str) -> str:
    return f"articles/{safe_segment(article_id)}.html"


def article_markdown(article_id: str) -> str:
    return f"articles/{safe_segment(article_id)}.md"


def article_json(article_id: str) -> str:
    return f"data/articles/{safe_segment(article_id)}.json"


CITATION_FORMATS = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}


def citation(article_id: str, fmt: str) -> str:
    """Per-article citation download: data/cite/<id>.bib | .ris | .json."""
    return f"data/cite/{safe_segment(article_id)}.{fmt}"


def bibliography(fmt: str) -> str:
    """The whole archive's bibliography: data/archive.bib | data/archive.json."""
    return f"data/archive.{fmt}"


def outlet_slug(outlet: str | None) -> str:
    """The outlet's page name; a name with no Latin letters or digits (عربي) gets one from its hash."""
    if not outlet or not any(ch.isalnum() for ch in outlet):
        return UNKNOWN_OUTLET
    return slugify(outlet) or "outlet-" + hashlib.sha256(outlet.strip().encode("utf-8")).hexdigest()[:8]


def _page(stem: str, page: int) -> str:
    """A list's page: the first at the list's own address, the next at <stem>.page-<n>.html (stems are
    slugs without dots: these never collide with another list's first page)."""
    return f"{stem}.html" if page <= 1 else f"{stem}.page-{page}.html"


def outlet(outlet_name: str | None, page: int = 1) -> str:
    """An outlet's articles; beyond the first page's, outlets/<slug>.page-<n>.html."""
    return _page(f"outlets/{outlet_slug(outlet_name)}", page)


def month(key: str, page: int = 1) -> str:
    """The articles of one month, key "2016-03" (or "undated"): dates/2016-03.html, then
    dates/2016-03.page-2.html, ..."""
    return _page(f"dates/{safe_segment(key)}", page)


def entity(entity_id: str, page: int = 1) -> str:
    """An entity's page; its mentions in context beyond the first page's continue on
    entities/<id>.page-<n>.html."""
    return _page(f"entities/{safe_segment(entity_id)}", page)


def entities_index() -> str:
    return "entities/index.html"


def entities_review(page: int = 1) -> str:
    """The names awaiting review, a page at a time: review.html, review-2.html, …"""
    return "entities/review.html" if page <= 1 else f"entities/review-{page}.html"


def unreviewed(slug: str) -> str:
    """A name discovery found that the authority file does not know yet: its own page, at an
    address made from the name alone (entities/unreviewed/<slug>.html), so that an article
    linking it never changes when other names come, go or move in the review list."""
    return f"entities/unreviewed/{safe_segment(slug)}.html"


def story(story_id: str, page: int = 1) -> str:
    """A story's page; its claims and disagreements beyond the first page's continue on
    stories/<id>.page-<n>.html (story ids are slugs without dots: these never collide with one)."""
    if page == 1:
        return f"stories/{safe_segment(story_id)}.html"
    return f"stories/{safe_segment(story_id)}.page-{page}.html"


def coverage(page: int = 1) -> str:
    """The list of stories, split into pages: coverage.html, coverage-2.html, ..."""
    return "coverage.html" if page == 1 else f"coverage-{page}.html"


def source(original: str) -> str:
    """The untouched original as received, published under a safe name (Article.original, made
    by ingest.ids.original_path); nested folders are kept, each segment checked."""
    return "sources/" + "/".join(safe_segment(part) for part in original.split("/"))


def paragraph(article_id: str, n: int) -> str:
    return f"{article(article_id)}#p{n}"


def relative(from_page: str, to_path: str) -> str:
    """The link from one site page to another site path (which may carry a #fragment)."""
    path, _, fragment = to_path.partition("#")
    if path == from_page and fragment:
        return f"#{fragment}"
    return _relative_from(posixpath.dirname(from_page), path, fragment)


@functools.lru_cache(maxsize=8192)  # the pages of one folder link to the same places (menus, styles)
def _relative_from(folder: str, path: str, fragment: str) -> str:
    link = _relpath(path, folder)
    return f"{link}#{fragment}" if fragment else link


def _relpath(path: str, folder: str) -> str:
    """posixpath.relpath(path, folder or "."), for the plain site paths links are made of without
    its cost (it makes both absolute against the working directory): a path or folder that is not
    plain (absolute, empty, "." or ".." parts, doubled or trailing slashes) goes to relpath itself."""
    if not path or _UNPLAIN.search(path) or (folder and _UNPLAIN.search(folder)):
        return posixpath.relpath(path, folder or ".")
    parts = path.split("/")
    into = folder.split("/") if folder else []
    same = 0
    for a, b in zip(parts, into):
        if a != b:
            break
        same += 1
    return "/".join([".."] * (len(into) - same) + parts[same:]) or "."


_UNPLAIN = re.compile(r"^/|//|/$|(?:^|/)\.\.?(?:/|$)")


def absolute(base_url: str, to_path: str) -> str:
    """An absolute URL when a base URL is configured, else the site-root path itself."""
    return f"{base_url}{to_path}" if base_url else to_path
