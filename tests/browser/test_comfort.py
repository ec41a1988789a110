"""Comfort: dark mode from the system setting, a print stylesheet, pages usable at 320 px."""

from __future__ import annotations

import pytest
from browser_helpers import YNET_ARTICLE, page_types

pytestmark = pytest.mark.browser

BACKGROUND = "getComputedStyle(document.body).backgroundColor"


def test_dark_mode_follows_the_system(page, served_site):
    page.goto(served_site + YNET_ARTICLE)
    page.emulate_media(color_scheme="light")
    light = page.evaluate(BACKGROUND)
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate(BACKGROUND)
    assert light != dark
    channels = [int(c) for c in dark[dark.index("(") + 1:dark.index(")")].split(",")[:3]]
    assert sum(channels) < 3 * 80  # dark indeed


def visible(page, selector: str) -> bool:
    return page.eval_on_selector(selector, "n => getComputedStyle(n).display !== 'none' && "
                                           "getComputedStyle(n).visibility !== 'hidden' && n.getClientRects().length > 0")


def test_print_stylesheet(page, served_site):
    page.goto(served_site + YNET_ARTICLE)
    page.emulate_media(media="print")
    assert visible(page, ".pnum")
    assert visible(page, ".footnotes")
    assert not visible(page, ".site-header nav")
    assert not visible(page, ".skip-link") if page.locator(".skip-link").count() else True


def test_print_shows_the_citation_box(page, served_site):
    page.goto(served_site + YNET_ARTICLE)
    if not page.locator(".cite").count():
        pytest.skip("no citation box (.cite) on article pages yet: templates/partials/cite.html is a stub")
    page.emulate_media(media="print")
    assert visible(page, ".cite")


@pytest.mark.parametrize("kind", ["article", "coverage", "story", "entity", "home", "search"])
def test_no_horizontal_scroll_at_320_px(browser, served_site, built_site, kind):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        path = YNET_ARTICLE if kind == "article" else page_types(built_site)[kind]
        page.goto(served_site + path)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(n => n.getBoundingClientRect().right > 321 && !n.closest('.table-wrap'))
            .slice(0, 5).map(n => n.tagName + '.' + n.className)""")
        assert width <= 320, (width, wide)
    finally:
        context.close()
