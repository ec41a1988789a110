"""Browser tests: one headless Chromium per test session, driven by Playwright.

The pages come from the `built_site` (file://) and `served_site` (http) fixtures of
tests/conftest.py. Chromium is Debian's (/usr/bin/chromium); Playwright never downloads one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.keywords and not CHROMIUM.exists():
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (run .ci/setup)"))


@pytest.fixture(scope="session")
def browser():
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


def one(site: Path, folder: str) -> str:
    """The path from the site root of the first page (in name order) in a folder of the site."""
    return sorted(p for p in (site / folder).glob("*.html") if p.name not in ("index.html", "review.html"))[0] \
        .relative_to(site).as_posix()


def page_types(site: Path) -> dict[str, str]:
    """One page of each type: name → path from the site root."""
    return {
        "home": "index.html",
        "article": one(site, "articles"),
        "entity": "entities/islamic-state.html",
        "entities": "entities/index.html",
        "outlet": one(site, "outlets"),
        "coverage": "coverage.html",
        "about": "about.html",
        "search": "search.html",
        "review": "entities/review.html",
        "404": "404.html",
    }


YNET_ARTICLE = "articles/2016-03-27-ynetnews-syrian-military-allies-takes-control-of-palmyra.html"


def run_axe(page) -> list[dict]:
    """Serious and critical axe-core violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
