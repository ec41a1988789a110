"""Browser tests: one headless Chromium per test session, driven by Playwright.

The pages come from the `built_site` (file://) and `served_site` (http) fixtures, and the
`browser` and `page` fixtures, of tests/conftest.py. Chromium is Debian's (/usr/bin/chromium); Playwright never downloads one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import CHROMIUM


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.keywords and not CHROMIUM.exists():
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (run .ci/setup)"))


@pytest.fixture(scope="session")
def offline_site(built_site) -> Path:
    """The built site, which must carry the offline search index for file:// search."""
    if not (built_site / "static" / "search-index.js").is_file():
        pytest.skip("static/search-index.js not written: pipeline.build does not call search.write_offline_index yet")
    return built_site
