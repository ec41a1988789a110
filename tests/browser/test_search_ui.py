"""The search page: one interface over Pagefind's JS API (http) and the archive's own index (file://).

Every behaviour is checked both ways: `root` is the site over http, then the same site from a folder.
"""

from __future__ import annotations

import shutil

import pytest
from browser_helpers import contrast_ratios, run_axe

from support import serve

pytestmark = pytest.mark.browser

YNET = "articles/2016-03-27-ynetnews-syrian-military-allies-takes-control-of-palmyra.html"
RESULT = ".search-results li"
LINKS = ".search-results li > a"


def article_paths(site) -> set[str]:
    return {p.relative_to(site).as_posix() for p in (site / "articles").glob("*.html")}


@pytest.fixture(params=["http", "file"])
def root(request, served_site, offline_site):
    """The site's root URL: over http (Pagefind), then from a folder (the offline index)."""
    return served_site if request.param == "http" else offline_site.as_uri() + "/"


def engine_of(root: str) -> str:
    return "offline" if root.startswith("file:") else "pagefind"


def listed(page, root: str) -> list[str]:
    hrefs = page.eval_on_selector_all(LINKS, "links => links.map(a => a.href)")
    return [h.split("#")[0].removeprefix(root) for h in hrefs]


def show_all(page) -> None:
    while page.locator("button", has_text="Show more results").is_visible():
        n = page.locator(RESULT).count()
        page.locator("button", has_text="Show more results").click()
        page.wait_for_function("n => document.querySelectorAll('.search-results li').length > n", arg=n)


def search(page, root: str, query: str) -> None:
    page.goto(root + "search.html")
    page.get_by_role("searchbox", name="Search the archive").fill(query)
    page.wait_for_selector(RESULT)
    assert page.get_attribute("#search", "data-engine") == engine_of(root)


def test_lists_all_five_seed_articles_articles_first(page, root, built_site):
    search(page, root, "Palmyra")
    show_all(page)
    found = listed(page, root)
    assert article_paths(built_site) <= set(found)
    kinds = [p.split("/")[0] for p in found]
    assert kinds == sorted(kinds)  # every article before any entity page
    assert page.get_by_role("status").inner_text().endswith("results")


def test_the_matching_entity_is_a_card_above_the_results(page, root):
    search(page, root, "Palmyra")
    card = page.locator(".entity-matches .entity-match")
    card.wait_for()
    assert card.count() == 1
    assert card.locator("a").get_attribute("href").endswith("entities/palmyra.html")
    assert page.eval_on_selector(".entity-matches", "c => !!(c.compareDocumentPosition(document.querySelector('.search-results')) & 4)")


def test_an_alias_finds_articles_that_never_use_it(page, root):
    """DAESH: the card is Islamic State, and the Ynet article (which only says ISIS) is listed."""
    search(page, root, "DAESH")
    page.wait_for_selector(".entity-match a")
    first = page.eval_on_selector("#search", "box => box.querySelector('.entity-matches a[href]').href")
    assert first.removeprefix(root) == "entities/islamic-state.html"
    show_all(page)
    assert YNET in listed(page, root)


def test_excerpts_are_the_matching_passage(page, root):
    """'amphitheatre' is deep in two articles: the excerpt is that passage, marked, with no markers."""
    search(page, root, "amphitheatre")
    page.wait_for_selector(".search-results mark")
    excerpts = page.locator(".search-results .excerpt").all_inner_texts()
    assert excerpts
    for text in excerpts:
        assert "amphitheatre" in text.lower()
        assert text.startswith("…"), text  # not the article's opening
        assert "[" not in text and "¶" not in text, text  # no footnote markers or paragraph numbers
    marks = page.locator(".search-results mark").all_inner_texts()
    assert marks and all(m.lower() == "amphitheatre" for m in marks)


def test_excerpts_never_show_alias_lists(page, root):
    search(page, root, "Kobani")
    page.wait_for_timeout(300)
    for text in page.locator(".search-results .excerpt").all_inner_texts():
        assert "ISIL IS DAESH" not in text and "Kobane Kobani" not in text, text


def test_palmira_reaches_palmyra(page, root, built_site):
    search(page, root, "Palmira")
    assert "Palmyra" in page.locator(".search-suggestion").inner_text()
    show_all(page)
    assert article_paths(built_site) <= set(listed(page, root))


def test_query_in_the_address_runs_the_search(page, root):
    page.goto(root + "search.html?q=citadel")
    page.wait_for_selector(RESULT)
    assert page.get_by_role("searchbox", name="Search the archive").input_value() == "citadel"
    assert "articles/2016-03-25-trt-world-syrian-regime-forces-retake-palmyra-citadel-from-daesh.html" in listed(page, root)


def test_outlet_and_type_filters(page, root):
    search(page, root, "Palmyra")
    everything = listed(page, root)
    page.get_by_label("Outlet").select_option(label="TRT World")
    page.wait_for_function("n => document.querySelectorAll('.search-results li').length < n", arg=len(everything))
    narrowed = listed(page, root)
    assert narrowed and all("trt-world" in p for p in narrowed)
    page.get_by_label("Outlet").select_option(label="All")
    page.get_by_label("Type", exact=True).select_option(label="place")
    page.wait_for_function("() => { const a = [...document.querySelectorAll('.search-results li > a')];"
                           " return a.length && a.every(x => x.href.includes('/entities/')); }")


def test_entity_filter(page, root):
    search(page, root, "Palmyra")
    page.get_by_label("Entity").select_option(label="Vladimir Putin")
    page.wait_for_function("() => !document.querySelector('.search-results a[href$=\"islamic-state.html\"]')"
                           " && document.querySelectorAll('.search-results li').length > 0")
    assert not page.locator(".entity-matches .entity-match").count()  # the filter is the entity


def test_story_filter(page, root, built_site):
    """The seeds are one story of five reports: the filter keeps its articles, not entity pages."""
    search(page, root, "Palmyra")
    story = page.get_by_label("Story")
    options = story.locator("option").all_inner_texts()
    assert len(options) == 2 and options[1].endswith("(5 articles)")
    story.select_option(index=1)
    page.wait_for_function("() => { const a = [...document.querySelectorAll('.search-results li > a')];"
                           " return a.length === 5 && a.every(x => x.href.includes('/articles/')); }")
    assert set(listed(page, root)) == article_paths(built_site)


def test_date_range_and_sort_by_date(page, root):
    search(page, root, "Palmyra")
    page.get_by_label("Type", exact=True).select_option(label="article")
    page.get_by_label("From").fill("2016-03-25")
    page.get_by_label("To", exact=True).fill("2016-03-25")
    page.wait_for_function("() => document.querySelectorAll('.search-results li').length === 1")
    assert "25 March 2016" in page.locator(".search-results .meta").inner_text()
    page.get_by_label("From").fill("")
    page.get_by_label("To", exact=True).fill("")
    page.get_by_label("Sort").select_option(label="Newest first")
    page.wait_for_function("() => document.querySelectorAll('.search-results li').length === 5")
    page.wait_for_timeout(200)
    metas = page.locator(".search-results .meta").all_inner_texts()
    days = [m.split(" · ")[1] for m in metas]
    assert days[:3] == ["27 March 2016", "27 March 2016 (inferred)", "25 March 2016"] or \
        days[:3] == ["27 March 2016 (inferred)", "27 March 2016", "25 March 2016"], metas
    assert days[3:] == ["date unknown", "date unknown"], metas  # undated last


def test_sub_path_hosting(page, built_site, tmp_path):
    """Hosted at /archive/, result links and the entity card stay inside /archive/."""
    shutil.copytree(built_site, tmp_path / "archive")
    with serve(tmp_path) as host:
        page.goto(host + "archive/search.html?q=DAESH")
        page.wait_for_selector(RESULT)
        page.wait_for_selector(".entity-match a")
        hrefs = page.eval_on_selector_all("#search a[href]", "links => links.map(a => a.href)")
        assert hrefs and all(h.startswith(host + "archive/") for h in hrefs), hrefs
        assert hrefs[0] == host + "archive/entities/islamic-state.html"
        for href in hrefs:  # every result link opens a real page (not the 404 page)
            assert page.request.get(href).status == 200, href
        page.goto(hrefs[1])
        assert page.locator("h1").count() == 1


RESULT_TEXT = (".search-results a, .search-results .meta, .search-results .excerpt, .search-results mark, "
               ".entity-match a, .entity-match p, .search-status, .search-suggestion")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_are_readable_in_both_colour_schemes(page, root, scheme):
    page.emulate_media(color_scheme=scheme)
    search(page, root, "Palmira")
    page.wait_for_selector(".search-results mark")
    ratios = contrast_ratios(page, RESULT_TEXT)
    assert len(ratios) > 10
    low = [(name, round(r, 2)) for name, r in ratios if r < 4.5]
    assert not low, low
    assert run_axe(page) == []


def merged_pagefind(page, root: str, script: str):
    """Run `script` (an async function of the pagefind module) on the search page's Pagefind: the
    primary bundle's pagefind.js with every other bundle merged into it (static/js/search.js)."""
    page.goto(root + "search.html")
    page.wait_for_selector("#search[data-engine=pagefind]")
    return page.evaluate("""async script => {
        const list = await (await fetch('_pagefind/bundles.json')).json();
        const pagefind = await import(new URL('_pagefind/' + list.bundles[0] + '/pagefind.js', document.baseURI).href);
        return (0, eval)('(' + script + ')')(pagefind);
    }""", script)


def test_pagefind_indexes_article_text_only(page, served_site, built_site):
    """What Pagefind holds for each article (what its excerpts are cut from): no footnote markers,
    no paragraph numbers, no hidden alias lists, no filter values."""
    contents = merged_pagefind(page, served_site, """async pagefind => {
        const search = await pagefind.search(null, {filters: {type: 'article'}});
        return Promise.all(search.results.map(r => r.data().then(d => [d.url, d.content])));
    }""")
    assert len(contents) == len(article_paths(built_site))
    for url, content in contents:
        assert not __import__("re").search(r"\[\d+\]", content), url
        assert "¶" not in content and "ISIL IS DAESH" not in content, url
        assert not content.rstrip().endswith("article"), url  # the hidden type filter is not text


@pytest.mark.parametrize("query", ["Palmyra", "DAESH", "Palmira"])
def test_one_look_and_the_same_results_both_ways(page, served_site, offline_site, query):
    """The same form and the same results over http (Pagefind) and from a folder (the offline index)."""
    seen = []
    for root in (served_site, offline_site.as_uri() + "/"):
        search(page, root, query)
        show_all(page)
        page.wait_for_timeout(200)
        controls = page.eval_on_selector_all("#search input, #search select", "cs => cs.map(c => c.id)")
        seen.append((controls, sorted(listed(page, root)), page.locator(".entity-match a").all_inner_texts()))
    assert seen[0] == seen[1]


def test_results_and_filters_span_the_bundles(page, served_site, built_site):
    """Over http the index is split into bundles (by a hash of the page's path, and one for the
    other pages) merged at query time: one search lists the pages of every bundle, and a ticked
    filter keeps the matching pages of each (TRT World's two reports are in two bundles)."""
    import json

    from annalist.publish.search import BUNDLE_DIR, BUNDLES_FILE, bundle_name

    bundles = json.loads((built_site / BUNDLE_DIR / BUNDLES_FILE).read_text())["bundles"]
    search(page, served_site, "Palmyra")
    show_all(page)
    assert {bundle_name(p) for p in listed(page, served_site)} == set(bundles)
    page.get_by_label("Outlet").select_option(label="TRT World")
    page.wait_for_function("() => document.querySelectorAll('.search-results li').length === 2")
    trt = listed(page, served_site)
    assert all("trt-world" in p for p in trt) and len({bundle_name(p) for p in trt}) == 2
    page.get_by_label("Outlet").select_option(label="All")
    page.get_by_label("Sort").select_option(label="Oldest first")
    page.get_by_label("Entity").select_option(label="Vladimir Putin")
    page.wait_for_function("() => document.querySelectorAll('.search-results li').length > 1"
                           " && !document.querySelector('.search-results a[href*=\"/entities/\"]')")
    page.wait_for_timeout(300)
    putin = listed(page, served_site)
    assert len({bundle_name(p) for p in putin}) > 1, putin
    dates = [m.split(" · ")[1] for m in page.locator(".search-results .meta").all_inner_texts()]
    dated = [d for d in dates if d != "date unknown"]
    assert dates == dated + ["date unknown"] * (len(dates) - len(dated))  # undated last
    assert dated == sorted(dated, key=lambda d: (d.split()[2], d.split()[1], int(d.split()[0])))
