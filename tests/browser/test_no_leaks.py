"""Nothing leaves the site: every page type, over http and from file://, makes no request outside
the site, logs no console error and shows no broken image."""

from __future__ import annotations

import pytest

from browser_helpers import KINDS, page_types

pytestmark = pytest.mark.browser

NOT_NETWORK = ("data:", "blob:", "about:")


def visit(page, url: str, inside: str) -> list[str]:
    """Load a page (and, on the search page, search) and return every problem seen."""
    problems: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(inside) or r.url.startswith(NOT_NETWORK)
            else problems.append(f"request outside the site: {r.url}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))
    page.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.goto(url, wait_until="load")
    if url.endswith("search.html"):
        search = page.locator("#search input").first
        search.fill("Palmyra")
        page.wait_for_selector(".search-results li")
    page.wait_for_load_state("networkidle")
    broken = page.evaluate("() => [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)")
    problems += [f"broken image: {src}" for src in broken]
    return problems


@pytest.mark.parametrize("kind", KINDS)
def test_over_http(page, served_site, built_site, kind):
    path = page_types(built_site)[kind]
    assert visit(page, served_site + path, served_site) == []


@pytest.mark.parametrize("kind", KINDS)
def test_from_a_folder(page, offline_site, kind):
    path = page_types(offline_site)[kind]
    root = offline_site.as_uri() + "/"
    assert visit(page, root + path, root) == []
