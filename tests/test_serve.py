"""`annalist serve` without a browser: what the server answers (the reload script added to HTML
responses only, never to the files; nothing outside the site folder), and which changes rebuild.
The whole loop — edit, rebuild, reload in Chromium, a broken edit — is tests/browser/test_serve_live.py."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from annalist import serve


@pytest.fixture
def live_server(built_site):
    live = serve.Live()
    httpd = serve.server(built_site, 0, live)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", live
    finally:
        httpd.shutdown()
        httpd.server_close()


def fetch(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_html_answers_carry_the_reload_script_and_the_files_do_not(live_server, built_site):
    base, live = live_server
    article = next((built_site / "articles").glob("*.html")).relative_to(built_site).as_posix()
    for path in ("", "index.html", article):
        status, headers, body = fetch(base + path)
        assert status == 200 and headers["Cache-Control"] == "no-store"
        tag = f'<script src="/__annalist/live.js" data-generation="{live.status.generation}"></script>\n</body>'
        assert body.count(b"/__annalist/") == 1 and tag.encode() in body
        on_disk = (built_site / (path or "index.html")).read_bytes()
        assert body.replace(tag.encode(), b"</body>") == on_disk
    assert not any(b"__annalist" in p.read_bytes() for p in built_site.rglob("*.html"))
    status, _, css = fetch(base + "static/css/annalist.css")
    assert status == 200 and css == (built_site / "static/css/annalist.css").read_bytes()
    status, headers, script = fetch(base + "__annalist/live.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and b"location.reload()" in script


def test_state_tells_the_generation_and_the_last_builds_errors(live_server):
    base, live = live_server
    first = json.loads(fetch(base + "__annalist/state")[2])
    assert first == {"generation": live.status.generation, "building": False, "failed": False, "errors": []}
    live.building()
    assert json.loads(fetch(base + "__annalist/state")[2])["building"] is True
    live.built(False, ["error: entities.yaml:3: malformed YAML"])
    failed = json.loads(fetch(base + "__annalist/state")[2])
    assert failed["generation"] == first["generation"] and failed["failed"] and failed["errors"] == [
        "error: entities.yaml:3: malformed YAML"]
    live.built(True, [])
    assert json.loads(fetch(base + "__annalist/state")[2])["generation"] != first["generation"]


def test_a_missing_page_gets_the_sites_404_with_the_script(live_server):
    base, _ = live_server
    status, _, body = fetch(base + "articles/no-such-page.html")
    assert status == 404 and b"<h1>Page not found</h1>" in body and b"/__annalist/live.js" in body
    assert fetch(base + "__annalist/no-such-thing")[0] == 404


def test_nothing_outside_the_site_folder_is_served(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><title>t</title><body><p>home</p></body>", encoding="utf-8")
    (site / "articles").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not part of the site", encoding="utf-8")
    (site / "leak.txt").symlink_to(secret)
    (site / "out").symlink_to(tmp_path)
    httpd = serve.server(site, 0, serve.Live())
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    try:
        assert httpd.server_address[0] == "127.0.0.1"
        assert fetch(base + "index.html")[0] == 200
        for path in ("leak.txt", "out/secret.txt", "out/", "articles/", "../secret.txt", "%2e%2e/secret.txt"):
            status, _, body = fetch(base + path)
            assert status == 404 and b"not part of the site" not in body, path
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_changes_worth_a_rebuild(tmp_path):
    content = tmp_path / "content"
    (content / "sources").mkdir(parents=True)
    (tmp_path / "templates").mkdir()
    (content / "ids.yaml").write_text("a: 1\n", encoding="utf-8")
    builder = serve.Builder(lambda: (True, []), content, serve.Live())
    assert builder.roots == [content.resolve(), tmp_path.resolve() / "templates"]
    root = content.resolve()
    change = lambda *paths: {(1, str(p)) for p in paths}  # noqa: E731
    assert builder.changed(change(root / "sources/a.txt", tmp_path.resolve() / "templates/base.html")) == [
        root / "sources/a.txt", tmp_path.resolve() / "templates/base.html"]
    # editors' swap files, a cache or .git folder, and the build's own ids.yaml are not changes
    assert builder.changed(change(root / "sources/.a.txt.swp", root / ".cache/x", root / "ids.yaml",
                                  tmp_path.resolve() / "site/index.html")) == []
    (content / "ids.yaml").write_text("a: 2\n", encoding="utf-8")  # the curator's own edit is one
    assert builder.changed(change(root / "ids.yaml")) == [root / "ids.yaml"]
    builder.rebuild()  # after a build, ids.yaml as the build left it is no change
    assert builder.changed(change(root / "ids.yaml")) == []


def test_with_live_script_goes_before_the_last_body_end():
    assert serve.with_live_script(b"<p></BODY></body>x", "g.1") == (
        b'<p></BODY><script src="/__annalist/live.js" data-generation="g.1"></script>\n</body>x')
    assert serve.with_live_script(b"<p>no end", "g.1").startswith(b"<p>no end<script")


def test_live_script_file_ships_beside_the_module():
    assert Path(serve.LIVE_SCRIPT).is_file()


def test_an_out_folder_the_build_may_not_replace_is_not_served(tmp_path, capsys):
    from annalist.cli import main
    from support import copy_content

    content = copy_content(tmp_path)
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "letter.txt").write_text("private", encoding="utf-8")
    assert main(["serve", "--content", str(content), "--out", str(papers), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"error: --out {papers} is a folder of other files")
