"""Story pages in a real browser: an address named after another article of a story leads to it,
and the coverage list links to every story."""

from __future__ import annotations

import pytest
from browser_helpers import page_types, story_alias

pytestmark = pytest.mark.browser


def test_a_story_address_named_after_another_article_leads_to_the_story(page, served_site, built_site):
    page.goto(served_site + story_alias(built_site))
    page.get_by_role("link", name="Syrian regime forces retake Palmyra citadel from DAESH").click()
    page.wait_for_url(served_site + page_types(built_site)["story"])
    assert page.locator("ol.timeline li").count() == 5


def test_coverage_list_leads_to_the_story_and_on_to_a_paragraph(page, served_site, built_site):
    page.goto(served_site + "coverage.html")
    page.locator("table.stories tbody a").first.click()
    page.wait_for_url(served_site + page_types(built_site)["story"])
    page.locator("table.coverage tbody a").first.click()
    assert "/articles/" in page.url and "#p" in page.url
    assert page.evaluate("document.getElementById(location.hash.slice(1)) !== null")
