"""sitemap.xml, an Atom feed and robots.txt. URLs are absolute only when a base URL is
configured; otherwise they are relative to the site root (the archive is then meant to be
browsed from a folder, where absolute URLs would point nowhere)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .. import urls
from ..config import Edition
from ..model import Corpus
from ..text import slugify


def _url(edition: Edition, path: str) -> str:
    return urls.absolute(edition.settings.base_url, path)


def sitemap(corpus: Corpus, edition: Edition, page_paths: list[str]) -> str:
    lastmod = {urls.article(i.article.id): i.article.published.value for i in corpus.articles}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for path in sorted(p for p in page_paths if p != "404.html"):
        mod = lastmod.get(path)
        lines.append(f"  <url><loc>{escape(_url(edition, path))}</loc>"
                     + (f"<lastmod>{mod}</lastmod>" if mod else "") + "</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def atom(corpus: Corpus, edition: Edition) -> str:
    s = edition.settings
    feed_id = _url(edition, "feed.xml") if s.base_url else f"urn:annalist:{slugify(s.name) or 'archive'}"
    updated = f"{edition.build_date}T00:00:00Z"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        f"  <title>{escape(s.name)}</title>",
        f"  <subtitle>{escape(s.description)}</subtitle>",
        f"  <id>{escape(feed_id)}</id>",
        f"  <updated>{updated}</updated>",
        f"  <link rel=\"self\" href={quoteattr(_url(edition, 'feed.xml'))}/>",
        f"  <link rel=\"alternate\" type=\"text/html\" href={quoteattr(_url(edition, urls.home()))}/>",
        f"  <author><name>{escape(s.name)}</name></author>",
        '  <generator>Annalist</generator>',
    ]
    items = sorted(corpus.articles, key=lambda i: (i.article.published.value or "", i.article.id), reverse=True)
    for item in items:
        a = item.article
        path = urls.article(a.id)
        entry_id = _url(edition, path) if s.base_url else f"{feed_id}:{a.id}"
        stamp = f"{a.published.value}T00:00:00Z" if a.published.value else updated
        summary = a.standfirst or (a.paragraphs[0].text if a.paragraphs else "")
        lines += [
            "  <entry>",
            f"    <title>{escape(a.title)}</title>",
            f"    <id>{escape(entry_id)}</id>",
            f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(_url(edition, path))}/>",
            f"    <updated>{stamp}</updated>",
            *([f"    <published>{stamp}</published>"] if a.published.value else []),
            *([f"    <source><title>{escape(a.outlet.value)}</title></source>"] if a.outlet.value else []),
            f"    <summary>{escape(summary)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def robots(edition: Edition) -> str:
    text = "User-agent: *\nAllow: /\n"
    if edition.settings.base_url:
        text += f"Sitemap: {_url(edition, 'sitemap.xml')}\n"
    return text
