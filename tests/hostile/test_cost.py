"""Costs linear in the input (issue 9, point 9). Never timed here (bench/bench_hostile.py measures
the whole build at 10k and 80k paragraphs, 10k and 200k-deep nesting); these tests run the sizes
through the parts that were quadratic, which finish in seconds only when they are linear."""

from __future__ import annotations

from annalist.markdown import annotate
from annalist.ingest import ingest_source
from annalist.ingest.decode import MAX_HTML_DEPTH, check_nesting
from annalist.ingest.errors import IngestError
from annalist.model import Annotated, Mention, Sentence

PARAGRAPHS = 80_000


def long_text(n: int) -> bytes:
    return ("A very long report from Palmyra\n\n" + "\n\n".join(f"Line {i} of the report." for i in range(n))).encode()


def test_an_article_of_80k_paragraphs_is_read_and_annotated_whole():
    raw = long_text(PARAGRAPHS)
    assert len(raw) < 3_000_000
    article = ingest_source("long.txt", raw, None)
    assert len(article.paragraphs) == PARAGRAPHS
    sentences = tuple(Sentence(article.id, p.n, 0, len(p.text), p.text) for p in article.paragraphs)
    mentions = tuple(Mention("palmyra", "Line", p.n, 0, 4) for p in article.paragraphs)
    markdown = annotate.to_markdown(Annotated(article, mentions, sentences, ()), {})
    assert markdown.count("{#p") == PARAGRAPHS
    assert markdown.count("]{entity=palmyra}") == PARAGRAPHS
    assert f"{{#p{PARAGRAPHS}}}\n[[Line]{{entity=palmyra}} {PARAGRAPHS - 1} of the report.]{{.single}}" in markdown


def test_nesting_200k_deep_is_refused_before_parsing_in_one_line():
    page = "<html><body>" + "<div>" * 200_000 + "<p>Palmyra.</p>" + "</div>" * 200_000 + "</body></html>"
    try:
        check_nesting(page)
    except IngestError as exc:
        assert exc.message == f"HTML elements nested more than {MAX_HTML_DEPTH} deep: not a page Annalist can read safely"
    else:
        raise AssertionError("200,000-deep nesting was accepted")


def test_nesting_counts_only_elements_that_nest():
    # unclosed <p>, <li>, void elements, comments and script text do not count as depth
    check_nesting("<div>" * 200 + "<p>a" * 5000 + "<li>b" * 5000 + "<br><img src=x>" * 5000
                  + "<!--" + "<div>" * 5000 + "-->" + "<script>" + "<div>" * 5000 + "</script>" + "</div>" * 200)
    check_nesting("<section><div><span>" * 80 + "</span></div></section>" * 80)
