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
