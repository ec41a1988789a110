"""urls.py is the only place links are made: every link is relative to its page."""

import pytest

from annalist import urls


@pytest.mark.parametrize(
    ("from_page", "to_path", "expected"),
    [
        ("index.html", "articles/a.html", "articles/a.html"),
        ("index.html", "articles/a.html#p3", "articles/a.html#p3"),
        ("articles/a.html", "articles/a.html#p3", "#p3"),
        ("articles/a.html", "articles/b.html#p3", "b.html#p3"),
        ("articles/a.html", "entities/x.html", "../entities/x.html"),
        ("entities/index.html", "static/css/annalist.css", "../static/css/annalist.css"),
        ("articles/a.html", "index.html", "../index.html"),
        ("search.html", "_pagefind/", "_pagefind"),
        ("articles/a.html", "sources/sub/raw.txt", "../sources/sub/raw.txt"),
    ],
)
def test_relative(from_page, to_path, expected):
    assert urls.relative(from_page, to_path) == expected


@pytest.mark.parametrize("name", ["../etc/passwd", "a/b", ".hidden", "", "a..b", "x y", "/abs"])
def test_unsafe_segments_never_become_paths(name):
    with pytest.raises(ValueError):
        urls.safe_segment(name)


def test_sources_keep_their_folders_but_not_dot_dot():
    assert urls.source("2016/raw.html") == "sources/2016/raw.html"
    with pytest.raises(ValueError):
        urls.source("../raw.html")


def test_outlet_pages():
    assert urls.outlet("TRT World") == "outlets/trt-world.html"
    assert urls.outlet(None) == "outlets/unknown-outlet.html"
    assert urls.outlet("—") == "outlets/unknown-outlet.html"


def test_absolute_only_with_base_url():
    assert urls.absolute("", "articles/a.html") == "articles/a.html"
    assert urls.absolute("https://example.org/archive/", "articles/a.html") == "https://example.org/archive/articles/a.html"


def test_story_and_coverage_pages():
    assert urls.story("palmyra-recaptured") == "stories/palmyra-recaptured.html"
    assert urls.story("palmyra-recaptured", 2) == "stories/palmyra-recaptured.page-2.html"
    assert urls.coverage() == "coverage.html" and urls.coverage(3) == "coverage-3.html"
    assert urls.relative(urls.story("a"), urls.paragraph("b", 4)) == "../articles/b.html#p4"
    with pytest.raises(ValueError):
        urls.story("../index")


def test_relative_links_are_posixpaths_relpath_for_any_pair_of_paths():
    """urls.relative works out plain site paths itself (posixpath.relpath is slow); every pair,
    plain or not, gives relpath's answer."""
    import itertools
    import posixpath

    paths = ["index.html", "articles/a.html", "articles/b.html", "articles", "entities/review-2.html",
             "stories/x.page-2.html", "sources/sub/deeper/raw.txt", "sources/sub/raw.txt", "sources/sub",
             "a/b/c", "a/b", "a", "a/bc", "ab/c", "_pagefind/", "./x.html", "a/../b.html", "a//b.html",
             "/abs/x.html", ".hidden/x.html", "a/.b/c", "a/..b/c", "..", "."]
    for from_page, to_path in itertools.product(paths, repeat=2):
        if to_path == from_page:
            continue
        assert urls.relative(from_page, to_path) == posixpath.relpath(to_path, posixpath.dirname(from_page) or "."), \
            (from_page, to_path)
