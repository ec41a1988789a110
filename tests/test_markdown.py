"""The markdown-it plugins, checked against plain-text fixtures (title / input / expected HTML)."""

from pathlib import Path

import pytest
from markdown_it.utils import read_fixture_file

from annalist.markdown import annotate
from annalist.markdown import RenderEnv, render, split_front_matter
from annalist.model import Entity

FIXTURES = Path(__file__).parent / "fixtures" / "markdown" / "render.md"
ENTITIES = {"palmyra": Entity("palmyra", "Palmyra", "place")}


@pytest.mark.parametrize(("line", "title", "source", "expected"), read_fixture_file(FIXTURES),
                         ids=[f[1] for f in read_fixture_file(FIXTURES)])
def test_render(line, title, source, expected):
    assert render(source, RenderEnv("articles/a.html", ENTITIES)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "# not a heading",
        "1. not a list",
        "- not a list",
        "> not a quote",
        "[not a link](x) and {.not-attrs} and *not emphasis* and `code` and <b>tag</b> & amp",
        "a\\b [^fn] ![img](x) ~~s~~ | pipe",
    ],
)
def test_escaped_text_renders_literally(text):
    html = render(annotate.escape(text), RenderEnv("articles/a.html", ENTITIES))
    from html import unescape
    import re

    assert unescape(re.sub(r"<[^>]+>", "", html)).strip() == text


def test_front_matter_is_split_off():
    meta, body = split_front_matter("---\ntitle: T\n---\n\n{#p1}\nText.\n")
    assert meta == {"title": "T"}
    assert body.strip() == "{#p1}\nText."


def test_a_link_to_another_article_names_its_date_and_headline():
    """Two articles of one outlet are told apart in footnotes: the date shown, the headline on hover."""
    source = "Claim.[^p2.1]\n\n[^p2.1]: Also reported by 1 other outlet:\n    - **TRT World**, [¶ 4](b.html#p4): “Claim.”\n"
    labels = {"articles/b.html": ('Palmyra "retaken" <again>', "25 March 2016")}
    html = render(source, RenderEnv("articles/a.html", ENTITIES, articles=labels))
    assert '<a href="b.html#p4" title="Palmyra &quot;retaken&quot; &lt;again&gt;">25 March 2016, ¶ 4</a>' in html


def test_an_unreviewed_name_links_to_its_own_page_by_its_slug_alone():
    """The link never carries a review page's number: names coming, going or moving in the review
    list change no article page (docs/rebuild.md)."""
    html = render("[Tadmur]{candidate=tadmur}", RenderEnv("articles/a.html", ENTITIES, candidates={"tadmur", "x"}))
    assert 'href="../entities/unreviewed/tadmur.html" data-candidate="tadmur"' in html


# --- attribute sets read at once (speed) -------------------------------------------------------

ATTRIBUTE_STRINGS = [
    "{#p7}", "{.single}", "{entity=palmyra}", "{candidate=name-x}", "{class=x}", "{a:b=c:d}", "{#p7} rest",
    "{.single}]{x}", "{entity=a b}", "{#}", "{.}", "{x=}", "{=x}", "{#a.b}", "{.a:b}", "{entity=é}", "{#p7\n}",
    '{key="v"}', "{.a .b}", "{#a #b}", "{%c%}", "{.x}}", "{{.x}", "{ .single }", "{entity=x-}", "{.-}",
]


@pytest.mark.parametrize("string", ATTRIBUTE_STRINGS)
def test_attribute_sets_read_as_mdit_py_plugins_reads_them(string):
    from mdit_py_plugins.attrs import parse as original

    from annalist import markdown

    def outcome(parse):
        try:
            return parse(string)
        except original.ParseError as exc:
            return ("ParseError", exc.pos)

    assert outcome(markdown._parse_attributes) == outcome(original.parse)


def test_pages_render_as_with_mdit_py_plugins_own_attribute_parser(monkeypatch):
    """Every golden article, and the render fixtures, give the same HTML either way."""
    from mdit_py_plugins.attrs import index, parse as original

    golden = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).parent / "golden").glob("*.md"))]
    sources = golden + [source for _, _, source, _ in read_fixture_file(FIXTURES)]
    assert index.parse is not original.parse  # the fast reader is in use
    fast = [render(s, RenderEnv("articles/a.html", ENTITIES)) for s in sources]
    monkeypatch.setattr(index, "parse", original.parse)
    assert [render(s, RenderEnv("articles/a.html", ENTITIES)) for s in sources] == fast
