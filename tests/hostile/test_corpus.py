"""The whole hostile corpus in one content folder: exit status 1, one error line per bad file,
every good file published (its untouched original under a safe name), nothing written outside
the output folder, nothing executable published."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

import corpus
from conftest import tree




def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


def records(site):
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((site / "data" / "articles").glob("*.json"))]


def test_corpus_has_at_least_fifty_cases_with_the_other_modules():
    # corpus.py's source cases; settings, authority, --out, swap and fault cases are in their own modules
    assert len(corpus.CASES) >= 40


def test_build_of_all_cases_ends_with_exit_status_1(hostile):
    assert hostile.status == 1, hostile.stderr


@pytest.mark.parametrize("case", corpus.BAD, ids=lambda c: c.shown)
def test_each_bad_file_is_exactly_one_error_line(hostile, case):
    shown = case.shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace").replace("\n", "\\n")
    where = f"sources/{shown}" + (f":{case.line}" if case.line else "")
    lines = [line for line in error_lines(hostile.stderr) if line.startswith(f"error: sources/{shown}")]
    assert lines == [f"error: {where}: {case.error}"]


def test_no_other_errors_and_no_traceback(hostile):
    expected = {f"error: sources/{c.shown}" for c in corpus.BAD}
    manifest = [line for line in error_lines(hostile.stderr) if line.startswith("error: sources.yaml:")]
    assert [line.split(": ", 2)[2] for line in manifest] == list(corpus.MANIFEST_ERRORS)
    assert len(error_lines(hostile.stderr)) == len(corpus.BAD) + len(corpus.MANIFEST_ERRORS), hostile.stderr
    assert "Traceback" not in hostile.stderr
    assert len(expected) == len(corpus.BAD)
    summary = next(line for line in hostile.stderr.splitlines() if line.startswith("built "))
    assert f"{len(corpus.BAD) + len(corpus.MANIFEST_ERRORS)} errors" in summary


def test_every_good_file_is_published_byte_for_byte_with_its_checksum(hostile):
    by_source = {r["source_file"]: r for r in records(hostile.site)}
    for case in corpus.GOOD:
        record = by_source[case.name]
        published = hostile.site / record["original"]
        original = (hostile.content / "sources" / case.name).read_bytes()  # links followed
        assert published.read_bytes() == original, case.name
        assert hashlib.sha256(original).hexdigest() == record["sha256"]
        assert (hostile.site / record["url"]).is_file()
    seeds = [p.name for p in (hostile.content / "sources").glob("00*.txt")]
    assert all(s in by_source for s in seeds)
    assert len(by_source) == len(corpus.GOOD) + len(seeds)


def test_published_names_are_safe_and_distinct(hostile):
    originals = [r["original"] for r in records(hostile.site)]
    assert len({o.casefold() for o in originals}) == len(originals)
    for original in originals:
        assert re.fullmatch(r"sources/([A-Za-z0-9][A-Za-z0-9._-]*/)*[A-Za-z0-9][A-Za-z0-9._-]*", original), original
        assert ".." not in original


def test_saved_pages_are_published_as_text_and_never_indexed(hostile):
    by_source = {r["source_file"]: r for r in records(hostile.site)}
    for name in ("saved page.html", "windows-1252.html", "bad-lang.html"):
        assert by_source[name]["original"].endswith(".html.txt")
    assert not list((hostile.site / "sources").rglob("*.html"))
    assert not list((hostile.site / "sources").rglob("*.htm"))
    # Pagefind's fragments name every indexed page: none is an original
    fragments = list((hostile.site / "_pagefind").glob("*/fragment/*.pf_fragment"))  # in every bundle
    assert fragments
    import gzip

    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes()).decode("utf-8", "replace")
        assert "/sources/" not in data, fragment.name


def test_the_provenance_link_names_the_published_original(hostile):
    record = next(r for r in records(hostile.site) if r["source_file"] == "saved page.html")
    page = (hostile.site / record["url"]).read_text(encoding="utf-8")
    link = "../" + record["original"]
    assert f'href="{link}" type="text/plain">the original as received</a>' in page
    assert "shown as plain text, so that nothing in it runs" in page
    assert "<code>saved page.html</code>" in page


def test_nothing_is_written_outside_the_output_folder(hostile):
    """Only the site, content/ids.yaml (the record of published ids that keeps URLs permanent) and
    the build's cache, .annalist-cache/ beside content/ (README: safe to delete, git-ignored)."""
    registry = ("'content/ids.yaml'", "'content' ", "'.annalist-cache")  # the file, and the folder's time it was written in
    after = {line for line in tree(hostile.root, skip="site") if not line.startswith(registry)}
    assert after == {line for line in hostile.before if not line.startswith(registry)}
    assert sorted(p.name for p in hostile.root.iterdir()) == [".annalist-cache", "content", "site"]


def test_javascript_urls_never_reach_pages_or_data(hostile):
    for path in hostile.site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".bib", ".ris", ".js") and "_pagefind" not in path.parts:
            text = path.read_text(encoding="utf-8")
            assert "javascript:window.__xss=20" not in text, path
            assert "javascript:window.__xss=30" not in text, path


def test_outlet_spellings_sharing_a_page_are_a_warning(hostile):
    assert ("warning: sources/sky-2.txt: outlet 'SKY-news!' shares the page outlets/sky-news.html with 'Sky News' "
            "(sources/004_9af7f51b18733aac.txt): one outlet under two spellings? Give one spelling in sources.yaml") in hostile.stderr


def test_folder_links_are_not_followed(hostile):
    assert "warning: sources/etc-folder: ignored: a symbolic link to a folder (not followed)" in hostile.stderr
    assert not (hostile.site / "sources" / "etc-folder").exists()


def test_the_site_verifies_intact(hostile):
    from annalist.publish.fixity import verify

    assert verify(hostile.site) == []
