"""The command line on the real seeds: verify, zip bundle, entity review, and the built page's
reference-manager metadata as Zotero would read it."""

from __future__ import annotations

import json
import re
import zipfile

from bs4 import BeautifulSoup

from annalist.cli import main
from annalist.pipeline import build
from support import SOURCE_DATE_EPOCH, UNKNOWN_NAME_ARTICLE, copy_content


def test_verify_catches_a_changed_byte_and_a_missing_file(built_site, tmp_path, capsys):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built_site, copy)
    assert main(["verify", str(copy)]) == 0
    page = next((copy / "articles").glob("*.html"))
    data = bytearray(page.read_bytes())
    data[100] ^= 1
    page.write_bytes(bytes(data))
    (copy / "data" / "entities.json").unlink()
    (copy / "stray.html").write_text("x", encoding="utf-8")
    capsys.readouterr()
    assert main(["verify", str(copy)]) == 1
    out = capsys.readouterr().out
    assert f"changed: articles/{page.name}" in out
    assert "missing: data/entities.json" in out
    assert "unlisted: stray.html" in out


def test_build_zip_opens_offline(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    content = copy_content(tmp_path)
    bundle = tmp_path / "archive.zip"
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "site"), "--zip", str(bundle)]) == 0
    with zipfile.ZipFile(bundle) as z:
        names = z.namelist()
        z.extractall(tmp_path / "unzipped")
    assert "site/index.html" in names and "site/manifest-sha256.txt" in names
    assert main(["verify", str(tmp_path / "unzipped" / "site")]) == 0


def test_entities_review_prints_unknown_names(tmp_path, capsys):
    content = copy_content(tmp_path, {"museum.txt": UNKNOWN_NAME_ARTICLE})
    assert main(["entities", "--review", "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert "Khaled al-Asaad" in out and "- name: Khaled al-Asaad" in out and "decision: accept" in out
    assert "Page 1 of 1" in out


def test_entities_without_review_prints_the_review(tmp_path, capsys):
    content = copy_content(tmp_path, {"museum.txt": UNKNOWN_NAME_ARTICLE})
    assert main(["entities", "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert "1 names not in entities.yaml" in out and "- name: Khaled al-Asaad" in out


def test_curation_decisions_take_effect_and_rejected_names_stay_rejected(tmp_path, capsys):
    content = copy_content(tmp_path, {"museum.txt": UNKNOWN_NAME_ARTICLE})
    (content / "curation.yaml").write_text("- name: Khaled al-Asaad\n  decision: reject\n", encoding="utf-8")
    for _ in range(2):  # and again at the next build
        assert main(["entities", "--review", "--content", str(content)]) == 0
        assert "Khaled al-Asaad" not in capsys.readouterr().out
    (content / "curation.yaml").write_text(
        "- name: Khaled al-Asaad\n  decision: accept\n  type: person\n", encoding="utf-8")
    assert main(["entities", "--content", str(content)]) == 0
    assert "No names outside the authority file" in capsys.readouterr().out
    build(content, tmp_path / "site", index=False)
    page = tmp_path / "site" / "entities" / "khaled-al-asaad.html"
    assert page.is_file() and "Khaled al-Asaad" in page.read_text(encoding="utf-8")


def test_built_article_page_reads_as_a_newspaper_article(built_site):
    path = next((built_site / "articles").glob("2016-03-27-ynet*.html"))
    head = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")

    def meta(key):
        tag = head.find("meta", attrs={"name": key}) or head.find("meta", attrs={"property": key})
        return tag["content"] if tag else None

    assert meta("DC.type") == "newspaperArticle" and meta("z:itemType") == "newspaperArticle"
    assert meta("citation_title") == "Syrian military, allies takes control of Palmyra"
    assert meta("DC.source") == meta("prism.publicationName") == "Ynetnews"
    assert meta("citation_publication_date") == "2016/03/27"
    assert meta("og:site_name") == "Palmyra 2016 — a source archive" and meta("og:type") == "article"
    assert meta("citation_journal_title") is None and meta("citation_publisher") == "Ynetnews"
    assert all("source archive" not in (meta(k) or "") for k in ("DC.source", "prism.publicationName"))
    ld = json.loads(head.find("script", attrs={"type": "application/ld+json"}).string)
    assert ld["@type"] == "NewsArticle" and ld["publisher"]["name"] == "Ynetnews"
    assert "rft.type=newspaperArticle" in head.select_one("span.Z3988")["title"]
    cite = head.select_one("#cite")
    for style in ("Chicago", "APA", "MLA"):
        assert style in cite.get_text()
    assert "Ynetnews" in cite.select_one("dl.citations").get_text()


def test_base_url_for_one_build_makes_citations_absolute(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    content = copy_content(tmp_path)
    out = tmp_path / "mirror"
    assert main(["build", "--no-search", "--content", str(content), "--out", str(out),
                 "--base-url", "https://mirror.example.org/palmyra"]) == 0
    assert "base_url is empty" not in capsys.readouterr().err
    page = next((out / "articles").glob("2016-03-27-ynet*.html"))
    permalink = f"https://mirror.example.org/palmyra/articles/{page.name}"
    assert permalink in page.read_text(encoding="utf-8")
    assert f"<loc>{permalink}</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")
    # The settings file is untouched: the next plain build is relative again, and says so once.
    assert 'base_url: ""' in (content / "annalist.yaml").read_text(encoding="utf-8")
    assert main(["build", "--no-search", "--content", str(content), "--out", str(out)]) == 0
    assert capsys.readouterr().err.count("base_url is empty: citations and permalinks will be relative") == 1
    assert permalink not in page.read_text(encoding="utf-8")


def test_serve_answers_a_missing_page_with_the_sites_404(built_site):
    """`annalist serve` over http: pages as they are, a missing path gets 404.html with status 404."""
    import os
    import subprocess
    import sys
    import urllib.error
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "annalist.cli", "serve", "--no-watch", "--out", str(built_site),
                             "--port", "0"],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = proc.stderr.readline()
        base = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.urlopen(base + "index.html", timeout=10) as response:
            assert response.status == 200
        for missing in ("no-such-page.html", "articles/deep/no-such-page.html"):
            try:
                urllib.request.urlopen(base + missing, timeout=10)
            except urllib.error.HTTPError as exc:
                assert exc.code == 404
                body = exc.read().decode("utf-8")
                assert "<h1>Page not found</h1>" in body and '<base href="/">' in body
            else:
                raise AssertionError(f"{missing} was found")
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_without_a_built_site_says_so(tmp_path, capsys):
    assert main(["serve", "--no-watch", "--out", str(tmp_path / "site"), "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no built site" in err and "annalist build" in err
