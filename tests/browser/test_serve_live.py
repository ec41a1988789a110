"""Live preview in a real Chromium: `annalist serve` on a copy of the seeds; an edit to an article's
source rebuilds the site and reloads the open page with the new text; a broken edit (a malformed
authority file) shows the error over the page and keeps the site as it was; Ctrl-C stops cleanly."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from browser_helpers import YNET_ARTICLE

from support import ROOT, SOURCE_DATE_EPOCH, copy_content

pytestmark = pytest.mark.browser


class Serving:
    """`python -m annalist.cli serve` in a process of its own, its terminal lines collected."""

    def __init__(self, tmp_path):
        self.content = copy_content(tmp_path)
        self.site = tmp_path / "site"
        env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONUNBUFFERED": "1",
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "annalist.cli", "serve", "--content", "content", "--out", "site", "--port", "0",
             "--no-search", "--jobs", "1"],
            cwd=tmp_path, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.base = re.search(r"http://127\.0\.0\.1:\d+/", self.line_with("serving")).group(0)

    def _read(self):
        for line in self.proc.stderr:
            self.lines.put(line)

    def line_with(self, text: str, timeout: float = 60) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.log.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} from annalist serve; got:\n{''.join(self.log)}")

    def state(self) -> dict:
        with urllib.request.urlopen(self.base + "__annalist/state", timeout=10) as response:
            return json.loads(response.read())


@pytest.fixture
def serving(tmp_path, browser):
    s = Serving(tmp_path)
    try:
        yield s
    finally:
        if s.proc.poll() is None:
            s.proc.kill()
            s.proc.wait(timeout=10)


def test_an_edit_reloads_the_open_page_and_a_broken_edit_shows_the_error(serving, page):
    serving.line_with("built 5 articles")
    page.goto(serving.base + YNET_ARTICLE)
    heading = page.locator("h1").first.inner_text()
    record = json.loads((serving.site / "data/articles" / (YNET_ARTICLE.split("/")[1][:-5] + ".json")).read_text("utf-8"))
    source = serving.content / "sources" / record["source_file"]

    # An edit to the article's source: the page reloads by itself and shows the new paragraph.
    added = "Live preview check: this paragraph was added while the page was open."
    source.write_text(source.read_text(encoding="utf-8") + f"\n\n{added}\n", encoding="utf-8")
    serving.line_with("changed: content/sources/")
    page.get_by_text(added).wait_for(timeout=30_000)
    assert page.locator("h1").first.inner_text() == heading
    page.evaluate("window.notReloaded = true")  # gone if the page reloads from here on

    # A broken edit: the build stops, the error shows over the page, the site stays as it was.
    authority = serving.content / "entities.yaml"
    good = authority.read_text(encoding="utf-8")
    authority.write_text(good + "\n- id: [unclosed\n", encoding="utf-8")
    serving.line_with("build failed; still serving the site as it was before")
    banner = page.locator("#annalist-live")
    banner.wait_for(timeout=15_000)
    assert "The last build failed" in banner.inner_text() and "entities.yaml" in banner.inner_text()
    assert page.evaluate("window.notReloaded") is True and page.get_by_text(added).is_visible()
    with urllib.request.urlopen(serving.base + YNET_ARTICLE, timeout=10) as response:
        assert added in response.read().decode("utf-8")  # the previous site is still served
    assert serving.state()["failed"] is True

    # Fixed: the next build succeeds, the page reloads without the banner.
    authority.write_text(good, encoding="utf-8")
    page.wait_for_function("window.notReloaded === undefined", timeout=30_000)
    page.get_by_text(added).wait_for()
    assert page.locator("#annalist-live").count() == 0 and serving.state()["failed"] is False

    # The site on disk is what `annalist build` writes: no reload script in any page.
    assert not any("__annalist" in p.read_text(encoding="utf-8") for p in serving.site.rglob("*.html"))

    # Ctrl-C: the server stops, exit status 0, no staging folder left behind.
    serving.proc.send_signal(signal.SIGINT)
    # a build the watcher started meanwhile is finished first, by design (serve.serve): on a loaded
    # machine the seeds' build can take most of a minute, so the bound is generous
    assert serving.proc.wait(timeout=120) == 0
    # (.annalist-cache/ is the build cache beside content/, kept between builds on purpose)
    assert sorted(p.name for p in serving.site.parent.iterdir()) == [".annalist-cache", "content", "site"]
