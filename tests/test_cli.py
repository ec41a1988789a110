"""The command line on the real seeds: verify, zip bundle, entity review, and the built page's
reference-manager metadata as Zotero would read it."""

from __future__ import annotations

import json
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


def test_entities_without_review_summarises(tmp_path, capsys):
    content = copy_content(tmp_path, {"museum.txt": UNKNOWN_NAME_ARTICLE})
    assert main(["entities", "--content", str(content)]) == 0
    out = capsys.readouterr().out
    assert "1 names await review" in out and "annalist entities --review" in out


def test_curation_decisions_take_effect_and_rejected_names_stay_rejected(tmp_path, capsys):
    content = copy_content(tmp_path, {"museum.txt": UNKNOWN_NAME_ARTICLE})
    (content / "curation.yaml").write_text("- name: Khaled al-Asaad\n  decision: reject\n", encoding="utf-8")
    for _ in range(2):  # and again at the next build
        assert main(["entities", "--review", "--content", str(content)]) == 0
        assert "Khaled al-Asaad" not in capsys.readouterr().out
    (content / "curation.yaml").write_text(
        "- name: Khaled al-Asaad\n  decision: accept\n  type: person\n", encoding="utf-8")
    assert main(["entities", "--content", str(content)]) == 0
    assert "0 names await review" in capsys.readouterr().out
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
    assert meta("citation_journal_title") is None and meta("citation_publisher") is None
    assert all("source archive" not in (meta(k) or "") for k in ("DC.source", "prism.publicationName"))
    ld = json.loads(head.find("script", attrs={"type": "application/ld+json"}).string)
    assert ld["@type"] == "NewsArticle" and ld["publisher"]["name"] == "Ynetnews"
    assert "rft.type=newspaperArticle" in head.select_one("span.Z3988")["title"]
    cite = head.select_one("#cite")
    for style in ("Chicago", "APA", "MLA"):
        assert style in cite.get_text()
    assert "Ynetnews" in cite.select_one("dl.citations").get_text()
