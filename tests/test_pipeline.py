"""The whole build on the real seeds: atomic, deterministic, safe with bad and hostile input."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from annalist import pipeline
from annalist.cli import main

from support import CONTENT, ROOT, SOURCE_DATE_EPOCH, copy_content


def tree_digest(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)


def test_every_page_type_is_built(built_site):
    for path in ["index.html", "about.html", "search.html", "404.html", "coverage.html",
                 "entities/index.html", "entities/review.html", "entities/palmyra.html",
                 "data/entities.json", "data/archive.bib", "data/archive.json",
                 "manifest-sha256.txt", "sitemap.xml", "feed.xml", "robots.txt",
                 "static/css/annalist.css", "static/js/annalist.js", "_pagefind/bundles.json",
                 "_pagefind/other/pagefind.js"]:
        assert (built_site / path).is_file(), path
    articles = sorted((built_site / "articles").glob("*.html"))
    assert len(articles) == 5
    for page in articles:
        assert page.with_suffix(".md").is_file()
        assert (built_site / "data" / "articles" / f"{page.stem}.json").is_file()
    assert len(list((built_site / "outlets").glob("*.html"))) >= 3
    assert len(list((built_site / "stories").glob("*.html"))) == 5  # the one story, and an address per other article
    assert len(list((built_site / "sources").glob("*.txt"))) == 5


def test_originals_are_published_untouched(built_site):
    for raw in (CONTENT / "sources").glob("*.txt"):
        assert (built_site / "sources" / raw.name).read_bytes() == raw.read_bytes()


def test_same_input_same_output_byte_for_byte(tmp_path, epoch):
    pipeline.build(CONTENT, tmp_path / "one")
    pipeline.build(CONTENT, tmp_path / "two")
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_hostile_article_text_is_shown_as_text(tmp_path, epoch):
    content = copy_content(tmp_path, {"hostile.txt": (
        "Hostile headline <script>alert('h')</script>\n\n"
        "A paragraph with <script>alert(1)</script> in it.\n\n"
        "Another with <img src=x onerror=alert(2)> and [a link](javascript:alert(3)) and {#id .cls}.\n"
    )})
    site = tmp_path / "site"
    result = pipeline.build(content, site, index=False)
    assert not result.errors
    page = next(p for p in (site / "articles").glob("*.html") if "hostile" in p.name)
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    for other in site.rglob("*.html"):
        assert "<script>alert" not in other.read_text(encoding="utf-8"), other


def test_bad_input_is_reported_and_the_rest_builds(tmp_path, epoch, capsys):
    content = copy_content(tmp_path)
    (content / "sources" / "empty.txt").write_bytes(b"")
    (content / "sources" / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (content / "sources" / "latin.txt").write_bytes("Caf\xe9 headline\n\nA na\xefve paragraph \x93quoted\x94.\n".encode("latin-1"))
    site = tmp_path / "site"
    code = main(["build", "--content", str(content), "--out", str(site), "--no-search"])
    err = capsys.readouterr().err
    assert code == 1
    assert "empty.txt" in err and "binary.txt" in err
    assert not [line for line in err.splitlines() if line.startswith("error:") and "latin.txt" in line]
    assert len(list((site / "articles").glob("*.html"))) == 6  # five seeds + the cp1252 one


def test_broken_manifest_names_file_and_line(tmp_path, epoch, capsys):
    content = copy_content(tmp_path)
    manifest = content / "sources.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "\nbroken: [unclosed\n", encoding="utf-8")
    code = main(["build", "--content", str(content), "--out", str(tmp_path / "site"), "--no-search"])
    err = capsys.readouterr().err
    assert code == 1
    assert "sources.yaml:" in err


def test_failed_build_leaves_previous_site(tmp_path, epoch, capsys):
    content = copy_content(tmp_path)
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--out", str(site), "--no-search"]) == 0
    before = tree_digest(site)
    (content / "entities.yaml").write_text("- id: x\n  name: X\n  type: nonsense\n", encoding="utf-8")
    assert main(["build", "--content", str(content), "--out", str(site), "--no-search"]) == 1
    assert "entities.yaml" in capsys.readouterr().err
    assert tree_digest(site) == before
    assert not any(p.name.startswith(".site.") for p in tmp_path.iterdir())


def test_curator_correction_survives_rebuild(tmp_path, epoch):
    content = copy_content(tmp_path)
    site = tmp_path / "site"
    pipeline.build(content, site, index=False)
    generated = next((site / "articles").glob("2016-03-27-trt-world*.md"))
    corrected = generated.read_text(encoding="utf-8").replace(
        "[Palmyra]{entity=palmyra}", "[Palmyra]{entity=palmyra} (Tadmur)", 1
    )
    (content / "corrections").mkdir()
    (content / "corrections" / generated.name).write_text(corrected, encoding="utf-8")
    result = pipeline.build(content, site, index=False)
    assert not result.problems
    assert "(Tadmur)" in generated.read_text(encoding="utf-8")
    page = generated.with_suffix(".html").read_text(encoding="utf-8")
    assert "(Tadmur)" in page and "corrected by hand" in page


def test_build_py_is_the_cli(tmp_path):
    out = tmp_path / "site"
    run = subprocess.run([sys.executable, str(ROOT / "build.py"), "--out", str(out), "--no-search"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "built 5 articles" in run.stderr
    assert (out / "index.html").is_file()


def test_a_build_failing_after_its_swap_has_deleted_the_previous_site_before_it_lets_go(tmp_path, epoch, monkeypatch):
    """The previous site is deleted on a thread after the swap (pipeline._Remover). A build that
    fails after the swap (here: recording the ids) must not leave that thread running once it
    returns: the next build in the same process (`annalist serve`) stages into the very folder
    the thread is deleting."""
    import shutil
    import threading
    import time

    from annalist.publish import output

    content, site = copy_content(tmp_path), tmp_path / "site"
    assert not pipeline.build(content, site, index=False).errors
    staging = output.staging_folder(site.resolve())
    real = shutil.rmtree

    def slow(path, *args, **kwargs):  # the remover's deletion takes a while, as on a large site
        if Path(path) == staging and threading.current_thread() is not threading.main_thread():
            time.sleep(0.5)
        return real(path, *args, **kwargs)

    def fails(*args):
        raise RuntimeError("after the swap")

    monkeypatch.setattr(shutil, "rmtree", slow)
    monkeypatch.setattr(pipeline, "record_published", fails)
    with pytest.raises(RuntimeError, match="after the swap"):
        pipeline.build(content, site, index=False, reuse=False)
    assert not staging.exists()  # the previous site, deleted before build() returned
    assert (site / "index.html").is_file()


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork: pages are rendered in this process")
def test_a_killed_worker_is_a_one_line_error_and_the_site_stays(tmp_path, epoch, monkeypatch, capsys):
    """A worker rendering and writing pages (parallel.stream) killed mid-build (the OOM killer,
    a user's kill) fails the build with one line, not concurrent.futures' traceback; the staging
    folder is gone and the previous site untouched."""
    import os
    import signal

    from annalist.publish import output

    content, site = copy_content(tmp_path), tmp_path / "site"
    assert not pipeline.build(content, site, index=False, jobs=2).errors
    before = (site / "index.html").read_bytes()
    main_pid, real = os.getpid(), pipeline._rendered

    def dies(env, edition, writer, item):
        if os.getpid() != main_pid:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(env, edition, writer, item)

    monkeypatch.setattr(pipeline, "_rendered", dies)
    with pytest.raises(pipeline.BuildFailed, match="worker process"):
        pipeline.build(content, site, index=False, jobs=2, reuse=False)
    assert not output.staging_folder(site.resolve()).exists()
    assert (site / "index.html").read_bytes() == before
