"""No script runs anywhere in the hostile site, in a real Chromium, over http and from file://:
every page, every published original, and the search page for many queries and every filter.

Each payload of corpus.PAYLOADS sets window.__xss (or parent.__xss) when it runs, so a page is
clean when, after loading and searching, window.__xss is still undefined and no dialog opened.
These tests assert behaviour only, so they hold whatever search interface the site ships.
"""

from __future__ import annotations

import pytest

import corpus

pytestmark = pytest.mark.browser

QUERIES = ("palmyra", "img", "onerror", "script", "window", "xss", "temple bel", "hostile", "sky news",
           corpus.PAYLOADS[1], corpus.PAYLOADS[0], "<", "\"><svg onload=window.__xss=99>")


@pytest.fixture
def watched(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs
    return page


def assert_clean(page, where):
    page.wait_for_timeout(30)
    ran = page.evaluate("() => [window.__xss, document.title]")
    assert ran[0] is None and not page.dialogs, f"script ran on {where}: __xss={ran[0]}, dialogs={page.dialogs}"


def site_pages(site):
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if "_pagefind" not in p.parts)


def originals(site):
    return sorted(p.relative_to(site).as_posix() for p in (site / "sources").rglob("*") if p.is_file())


def test_no_page_runs_script_over_http(watched, hostile, hostile_served):
    pages = site_pages(hostile.site)
    assert len(pages) > 60
    for rel in pages:
        watched.goto(hostile_served + rel)
        assert_clean(watched, rel)


def test_no_page_runs_script_from_file(watched, hostile):
    for rel in site_pages(hostile.site):
        watched.goto((hostile.site / rel).as_uri())
        assert_clean(watched, rel)


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_published_originals_show_as_text_and_never_run(watched, hostile, hostile_served, scheme):
    found = originals(hostile.site)
    assert any(rel.endswith(".html.txt") for rel in found)
    for rel in found:
        url = hostile_served + rel if scheme == "http" else (hostile.site / rel).as_uri()
        watched.goto(url)
        assert_clean(watched, rel)
        assert watched.evaluate("() => document.contentType") == "text/plain", rel
        assert watched.evaluate("() => document.querySelectorAll('script, img, iframe, svg').length") == 0, rel
    saved = next(r for r in found if r.endswith(".html.txt") and "saved" in r)
    watched.goto(hostile_served + saved if scheme == "http" else (hostile.site / saved).as_uri())
    assert "<script>window.__xss=21</script>" in watched.evaluate("() => document.body.innerText")


def _search(page, query):
    box = page.locator("#search input").first
    box.fill(query)
    page.wait_for_timeout(400)


def exercise_filters(page, where):
    """Open every filter group, tick every box and choose every option: each label is on screen."""
    for summary in page.locator("#search summary").all():
        if summary.is_visible():
            summary.click()
    for box in page.locator("#search input[type=checkbox]").all()[:40]:
        if box.is_visible():
            box.check()
            page.wait_for_timeout(50)
            assert_clean(page, f"{where} with a filter ticked")
    for select in page.locator("#search select").all():
        if not select.is_visible():
            continue
        for value in select.locator("option").evaluate_all("os => os.map(o => o.value)"):
            select.select_option(value)
            page.wait_for_timeout(20)
            assert_clean(page, f"{where} with a filter chosen")


def test_search_over_http_runs_no_script_for_any_query_or_filter(watched, hostile, hostile_served):
    watched.goto(hostile_served + "search.html")
    watched.wait_for_selector("#search input")
    for query in QUERIES:
        _search(watched, query)
        assert_clean(watched, f"search.html?q={query}")
    exercise_filters(watched, "search.html (http)")
    text = watched.locator("#search").inner_text()
    assert "onerror" in text  # the hostile outlet and entity names are there, as text
    assert_clean(watched, "search.html")


def test_search_from_file_runs_no_script_for_any_query_or_filter(watched, hostile):
    watched.goto((hostile.site / "search.html").as_uri())
    watched.wait_for_selector("#search input")
    for query in QUERIES:
        _search(watched, query)
        assert_clean(watched, f"search.html?q={query} (file://)")
    exercise_filters(watched, "search.html (file://)")
    assert "onerror" in watched.locator("#search").inner_text()
