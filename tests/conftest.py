"""Shared fixtures: the real seed corpus built once per test session, and served over http."""

from __future__ import annotations

from pathlib import Path

import pytest

from annalist import pipeline
from support import CHROMIUM, CHROMIUM_ARGS, CONTENT, SOURCE_DATE_EPOCH, serve


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The demo archive (content/), built with search, into a fresh folder."""
    out = tmp_path_factory.mktemp("site") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        result = pipeline.build(CONTENT, out)
    assert not result.errors, result.errors
    return out


@pytest.fixture(scope="session")
def served_site(built_site):
    """The built site over http on a free port of 127.0.0.1; yields the base URL."""
    with serve(built_site) as url:
        yield url


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
