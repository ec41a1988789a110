"""Browser tests: one headless Chromium per test session, driven by Playwright.

The pages come from the `built_site` (file://) and `served_site` (http) fixtures of
tests/conftest.py. Chromium is Debian's (/usr/bin/chromium); Playwright never downloads one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.keywords and not CHROMIUM.exists():
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (run .ci/setup)"))


@pytest.fixture(scope="session")
def browser(built_site):  # the site first: Playwright's sync API holds an event loop from here on
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (run .ci/setup)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page (own context: no shared storage, focus or media emulation between tests)."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def offline_site(built_site) -> Path:
    """The built site, which must carry the offline search index for file:// search."""
    if not (built_site / "static" / "search-index.js").is_file():
        pytest.skip("static/search-index.js not written: pipeline.build does not call search.write_offline_index yet")
    return built_site
