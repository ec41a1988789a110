"""Accessibility: axe-core, keyboard use (skip link, entity cards, footnotes), visible focus, language."""

from __future__ import annotations

import pytest
from browser_helpers import YNET_ARTICLE, page_types, run_axe

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("kind", ["home", "month", "article", "entity", "outlet", "coverage", "story", "search"])
def test_axe_finds_nothing_serious(page, served_site, built_site, kind):
    page.goto(served_site + page_types(built_site)[kind])
    if kind == "search":  # with results (found by Pagefind over http) and the filters showing
        page.get_by_label("Search the archive").fill("Palmyra")
        page.wait_for_selector(".search-results li")
    assert run_axe(page) == []


@pytest.mark.parametrize("kind", ["home", "article", "entity", "coverage"])
def test_axe_finds_nothing_serious_in_dark_mode(page, served_site, built_site, kind):
    page.emulate_media(color_scheme="dark")
    page.goto(served_site + page_types(built_site)[kind])
    assert run_axe(page) == []


def test_axe_on_the_offline_search(page, offline_site):
    page.goto(offline_site.as_uri() + "/search.html")
    page.get_by_role("searchbox", name="Search the archive").fill("Palmyra")
    page.wait_for_selector(".search-results li")
    assert run_axe(page) == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, served_site):
    page.goto(served_site + "index.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.id === 'main'")


def tab_to(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_entity_card_shows_on_keyboard_focus(page, served_site):
    page.goto(served_site + YNET_ARTICLE)
    tab_to(page, "a.entity[data-entity]")
    card = page.locator("#entity-card")
    assert card.is_visible()
    assert card.get_attribute("role") == "tooltip"
    assert page.evaluate("document.activeElement.getAttribute('aria-describedby')") == "entity-card"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"  # visible focus
    page.keyboard.press("Escape")
    assert not card.is_visible()


def test_footnotes_work_by_keyboard(page, served_site):
    page.goto(served_site + YNET_ARTICLE)
    tab_to(page, ".footnote-ref a")
    ref = page.evaluate("document.activeElement.getAttribute('href')")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    page.wait_for_function("h => location.hash === h", arg=ref)
    note = page.locator(ref.replace(".", "\\."))
    assert note.is_visible() and note.evaluate("n => n.getBoundingClientRect().top < innerHeight")
    # Tab now continues inside the footnote: its links, then the back link.
    tab_to(page, ".footnote-backref", limit=10)
    assert page.evaluate("document.activeElement.closest('li.footnote-item').id") == ref[1:]
    back = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_function("h => location.hash === h", arg=back)
    assert page.locator(back.replace(".", "\\.")).evaluate("n => n.getBoundingClientRect().top < innerHeight")


def test_language_and_direction(page, served_site, built_site):
    for path in page_types(built_site).values():
        page.goto(served_site + path)
        assert page.evaluate("document.documentElement.lang") == "en", path
    page.goto(served_site + YNET_ARTICLE)
    hebrew = page.locator(":is(p, span, li, td, th, h1):text-matches('[\\u0590-\\u05FF]')").first
    assert hebrew.is_visible()
    assert hebrew.evaluate("n => n.closest('[dir]') && n.closest('[dir]').getAttribute('dir')") == "auto"
    paragraphs = page.eval_on_selector_all(".article-body p.para", "ps => ps.map(p => p.getAttribute('dir'))")
    assert paragraphs and set(paragraphs) == {"auto"}
