"""Pages of sane size: the lists that grow with the archive (home, months, outlets, an entity's
mentions, coverage, a story's claims) are split into pages; every article stays reachable from the
home page, each page's previous/next links are right, and the first page keeps the list's old
address (historians cite it).

The archive: the seeds plus a slice of BBC News (when ../shared/corpora is present), built with
the page sizes lowered so that a small archive has many pages. How large the pages are at 10,000
articles is measured by bench/bench_pages.py, not here.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from annalist import pipeline, urls
from annalist.entities import review
from annalist.publish import views
from support import CORPORA, SOURCE_DATE_EPOCH, copy_content

BBC = CORPORA / "bulk" / "bbc"
PER_PAGE = 3


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("paged")
    content = copy_content(tmp)
    if BBC.is_dir():  # 8 articles of each category; the business ones attributed to their outlet
        manifest = []
        for folder in sorted(p for p in BBC.iterdir() if p.is_dir()):
            for source in sorted(folder.glob("*.txt"))[:8]:
                name = f"bbc-{folder.name}-{source.name}"
                shutil.copyfile(source, content / "sources" / name)
                if folder.name == "business":
                    manifest.append(f"\n{name}:\n  outlet: BBC News\n")
        with (content / "sources.yaml").open("a", encoding="utf-8") as f:
            f.write("".join(manifest))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        mp.setattr(views, "ARTICLES_PER_PAGE", PER_PAGE)
        mp.setattr(views, "HOME_LATEST", 4)
        mp.setattr(views, "CONTEXTS_PER_PAGE", 5)
        mp.setattr(views, "STORIES_PER_PAGE", 2)
        mp.setattr(views, "CLAIMS_PER_PAGE", 2)
        mp.setattr(review, "PER_PAGE", 2)
        result = pipeline.build(content, tmp / "site", index=False, jobs=1)
    assert not result.errors, result.errors
    return tmp / "site"


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def resolve(page: str, href: str) -> str:
    """A link on `page` as a path from the site root, without its #fragment."""
    import posixpath

    return posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))


def chain(site: Path, first: str) -> list[str]:
    """The pages of one list, by following "next page" from its first; checks each "previous page"."""
    pages = [first]
    while True:
        nav = soup(site, pages[-1]).select_one("nav.pager")
        if nav is None:
            return pages
        prev, nxt = nav.select_one("a[rel=prev]"), nav.select_one("a[rel=next]")
        assert (resolve(pages[-1], prev["href"]) if prev else None) == (pages[-2] if len(pages) > 1 else None), pages
        current = nav.select_one("a[aria-current=page]")
        assert resolve(pages[-1], current["href"]) == pages[-1] and current.get_text() == str(len(pages))
        numbered = [resolve(pages[-1], a["href"]) for a in nav.select("a:not([rel])")]
        assert numbered[0] == first  # the first page is the list's own address
        if nxt is None:
            assert numbered[-1] == pages[-1]
            return pages
        pages.append(resolve(pages[-1], nxt["href"]))
        assert len(pages) <= len(numbered)


def article_links(site: Path, page: str) -> list[str]:
    return [resolve(page, a["href"]) for a in soup(site, page).select("main ul.article-list a")]


def all_articles(site: Path) -> dict[str, dict]:
    records = [json.loads(p.read_text(encoding="utf-8")) for p in (site / "data" / "articles").glob("*.json")]
    return {urls.article(r["id"]): r for r in records}


def test_every_article_is_reachable_from_the_home_page_by_month(paged_site):
    articles = all_articles(paged_site)
    home = soup(paged_site, "index.html")
    assert len(home.select("#latest ~ ul.article-list li, section[aria-labelledby=latest] li")) == 4
    months = [resolve("index.html", a["href"]) for a in home.select("ul.months a")]
    assert months[0] == "dates/2016-03.html" and months[-1] == "dates/undated.html"
    found: Counter = Counter()
    for first in months:
        pages = chain(paged_site, first)
        listed = [link for page in pages for link in article_links(paged_site, page)]
        assert all(len(article_links(paged_site, page)) <= PER_PAGE for page in pages)
        assert all(len(article_links(paged_site, page)) == PER_PAGE for page in pages[:-1])
        key = first.split("/")[1][:-5]
        expected = sorted((r["published"] or "", r["id"]) for r in articles.values()
                          if (r["published"] or "undated")[:7] == key[:7])
        assert listed == [urls.article(i) for _, i in expected], first  # oldest first, each once
        found.update(listed)
    assert set(found) == set(articles) and max(found.values()) == 1


def test_months_lead_to_the_months_before_and_after(paged_site):
    march = soup(paged_site, "dates/2016-03.html").select("nav.months-nav a")
    assert [resolve("dates/2016-03.html", a["href"]) for a in march] == ["dates/undated.html"]
    undated = soup(paged_site, "dates/undated.html").select("nav.months-nav a")
    assert [resolve("dates/undated.html", a["href"]) for a in undated] == ["dates/2016-03.html"]


def test_every_article_is_on_its_outlets_pages_once(paged_site):
    articles = all_articles(paged_site)
    outlets = [resolve("index.html", a["href"]) for a in soup(paged_site, "index.html").select("ul.outlets a")]
    assert "outlets/unknown-outlet.html" in outlets  # the old address of the whole list: its first page now
    found: Counter = Counter()
    for first in outlets:
        pages = chain(paged_site, first)
        listed = [link for page in pages for link in article_links(paged_site, page)]
        expected = sorted(articles, key=lambda p: (articles[p]["published"] or "9999", articles[p]["id"]))
        assert listed == [p for p in expected if urls.outlet(articles[p]["outlet"]) == first]
        found.update(listed)
    assert set(found) == set(articles) and max(found.values()) == 1
    if BBC.is_dir():
        assert len(chain(paged_site, "outlets/unknown-outlet.html")) > 2
        assert len(chain(paged_site, "outlets/bbc-news.html")) == 3  # 8 articles, 3 a page


def test_an_entitys_mentions_continue_on_further_pages(paged_site):
    first = "entities/palmyra.html"
    pages = chain(paged_site, first)
    assert len(pages) > 2 and pages[1] == "entities/palmyra.page-2.html"
    contexts = [li for page in pages for li in soup(paged_site, page).select("ul.kwic li")]
    count = int(soup(paged_site, first).select_one("p.counts").get_text().split()[0])
    assert len(contexts) == count
    head = soup(paged_site, first)
    assert head.select_one("[data-pagefind-body]") and head.select_one("#names")
    later = soup(paged_site, pages[1])
    assert later.select_one("[data-pagefind-body]") is None  # search finds the entity once, on its page
    assert resolve(pages[1], later.select_one("main p a")["href"]) == first


def test_coverage_review_and_story_pages_chain(paged_site):
    assert len(chain(paged_site, "coverage.html")) > 1
    stories = sorted(p.relative_to(paged_site).as_posix() for p in (paged_site / "stories").glob("*.page-2.html"))
    assert stories, "no story long enough for two pages of claims"
    assert len(chain(paged_site, stories[0].replace(".page-2", ""))) >= 2
    links = [a["href"] for a in soup(paged_site, "entities/review.html").select("nav.pager a")]
    assert "review-2.html" in links


def test_fill_pages_by_count_and_by_weight():
    assert views.fill([], len, 10, 5) == [()]
    assert views.fill(["aaa", "bb", "cccc", "d", "e"], len, 6, 2) == [("aaa", "bb"), ("cccc", "d"), ("e",)]
    assert views.fill(["aaaaaaaa", "b"], len, 6, 5) == [("aaaaaaaa",), ("b",)]  # too heavy alone: a page of its own
    assert views.fill(["aa", "bb"], len, 6, 5, used_first=5) == [("aa",), ("bb",)]


def test_a_story_of_wide_rows_gets_fewer_claims_a_page(monkeypatch):
    from support import CONTENT

    corpus, _ = pipeline.gather(CONTENT, jobs=1)
    (story,) = corpus.stories
    items = [next(i for i in corpus.articles if i.article.id == a) for a in story.articles]
    whole = views.story_view(story, items)
    (_, claims, differ), = whole.pages
    assert len(claims) > 10
    budget = views.claim_bytes(claims[0]) * 4 + sum(120 + len(c.label.encode()) for c in whole.columns)
    monkeypatch.setattr(views, "CLAIM_BYTES", budget)
    split = views.story_view(story, items)
    assert len(split.pages) > 2
    assert [c for _, chunk, _ in split.pages for c in chunk] == list(claims)  # each claim once, in order
    assert [d for _, _, chunk in split.pages for d in chunk] == list(differ)
    header = sum(120 + len(c.label.encode()) for c in whole.columns)
    for _, chunk, _ in split.pages[1:]:
        assert len(chunk) == 1 or header + sum(map(views.claim_bytes, chunk)) <= budget
