"""Fixity manifest, verification, and the deterministic zip (annalist/publish/fixity.py, annalist/publish/bundle.py)."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from annalist.publish.bundle import write_zip
from annalist.publish.fixity import MANIFEST, failures, verify, write_manifest


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    files = {
        "index.html": "<!doctype html><title>Palmyra 2016</title><a href=\"articles/a.html\">a</a>",
        "articles/a.html": "<p id=\"p1\">Syria’s regime forces recaptured Palmyra on Sunday.</p>",
        "articles/b.html": "<p>BEIRUT - Syrian government forces recaptured Palmyra</p>",
        "data/entities.json": "{\"palmyra\": {\"type\": \"place\"}}\n",
        "static/css/site.css": "body { font-family: serif; }\n",
        "ünïcode name.txt": "kept as UTF-8 in the manifest\n",
    }
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_manifest_from_the_builds_checksums_is_the_same(site):
    """A build hands over every file's checksum (complete=True): the manifest is the walk's."""
    walked = write_manifest(site).read_bytes()
    known = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in walked.decode("utf-8").splitlines()}
    (site / MANIFEST).unlink()
    assert write_manifest(site, known, complete=True).read_bytes() == walked


def test_manifest_lists_every_published_file_sorted(site):
    manifest = write_manifest(site)
    assert manifest == site / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines()
    paths = [line.split("  ", 1)[1] for line in lines]
    assert paths == sorted(paths)
    assert MANIFEST not in paths
    assert "articles/a.html" in paths and "ünïcode name.txt" in paths
    digest = hashlib.sha256((site / "articles/a.html").read_bytes()).hexdigest()
    assert f"{digest}  articles/a.html" in lines
    assert write_manifest(site).read_bytes() == manifest.read_bytes()


def test_verify_passes_on_a_fresh_manifest(site):
    write_manifest(site)
    assert verify(site) == []


def test_verify_catches_one_changed_byte_and_one_missing_file(site):
    write_manifest(site)
    page = site / "articles/a.html"
    data = bytearray(page.read_bytes())
    data[5] ^= 0x01
    page.write_bytes(bytes(data))
    (site / "data/entities.json").unlink()
    problems = verify(site)
    assert problems == ["changed: articles/a.html", "missing: data/entities.json"]
    assert failures(problems) == problems


def test_unlisted_files_are_failures(site):
    """A changed file whose manifest line was deleted is only 'unlisted': the copy is not intact."""
    write_manifest(site)
    (site / "extra.html").write_text("stray", encoding="utf-8")
    problems = verify(site)
    assert problems == ["unlisted: extra.html"]
    assert failures(problems) == problems


def test_changed_file_with_its_manifest_line_deleted_is_not_intact(site):
    write_manifest(site)
    manifest = site / MANIFEST
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(line for line in lines if not line.endswith("  articles/a.html\n")), encoding="utf-8")
    (site / "articles/a.html").write_text("changed", encoding="utf-8")
    assert failures(verify(site)) == ["unlisted: articles/a.html"]


def test_manifest_that_is_not_utf8_names_its_bad_line(site):
    write_manifest(site)
    manifest = site / MANIFEST
    manifest.write_bytes(manifest.read_bytes() + b"\xff\xfe  broken\n")
    n = manifest.read_bytes().count(b"\n")
    assert verify(site) == [f"malformed: {MANIFEST} line {n} (not UTF-8)"]


def test_missing_manifest_is_a_problem(site):
    assert verify(site) == [f"missing: {MANIFEST}"]


def test_zip_is_byte_identical_across_runs_and_opens_under_one_folder(site, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    write_manifest(site)
    first = write_zip(site, tmp_path / "one" / "palmyra.zip", "palmyra-2016")
    # Touch every file: modification times must not leak into the archive.
    for path in site.rglob("*"):
        if path.is_file():
            path.touch()
    second = write_zip(site, tmp_path / "two" / "palmyra.zip", "palmyra-2016")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert all(name.startswith("palmyra-2016/") for name in names)
        assert "palmyra-2016/index.html" in names
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.read("palmyra-2016/articles/a.html") == (site / "articles/a.html").read_bytes()
        out = tmp_path / "unzipped"
        archive.extractall(out)
    assert verify(out / "palmyra-2016") == []  # the manifest travels with the bundle


def test_zip_timestamps_follow_source_date_epoch(site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1459036800")  # 2016-03-27T00:00:00Z
    path = write_zip(site, tmp_path / "p.zip", "palmyra")
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2016, 3, 27, 0, 0, 0)}
