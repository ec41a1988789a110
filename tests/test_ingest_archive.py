"""Ingest of real scraped archives: web archives (WARC), permanent ids, templates, titles, outlets, dates.

WARC fixtures are written here with warcio itself (no corpora copied into the repository).
"""

from __future__ import annotations

import gzip
import io
import re
from pathlib import Path

import pytest
from support import copy_content
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from annalist import urls
from annalist.ingest import Source, ingest_corpus, ingest_source, ingest_sources
from annalist.ingest.ids import REGISTRY_FILE, load_registry
from annalist.pipeline import build

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Lakeside Courier</title>
<meta property="og:site_name" content="Lakeside Courier"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{title}</h1>
<p>LAKESIDE (AP) — The town council voted on Monday to rebuild the old harbour wall, which storms broke last winter.</p>
<p>{extra}The new wall will be two metres higher than the old one, the harbour master told reporters at the quay.</p>
<p>Work is to start in spring and last eighteen months, at a cost the council put at four million euros.</p>
</article><footer><p>© 2019 Lakeside Courier. All rights reserved.</p></footer></body></html>"""


def page(title: str = "Council votes to rebuild harbour wall", extra: str = "") -> bytes:
    return PAGE.format(title=title, extra=extra).encode("utf-8")


def warc(records: list[tuple[str, str, str, bytes]], gz: bool = True) -> bytes:
    """A WARC file of `response` records: (target URI, WARC-Date, Content-Type, payload)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for uri, date, content_type, payload in records:
        http = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        record = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=http,
                                           warc_headers_dict={"WARC-Date": date})
        writer.write_record(record)
    return buffer.getvalue()


URI = "https://courier.example/2019/03/harbour"


# --- web archives -------------------------------------------------------------------------------


def test_warc_records_become_articles_with_capture_provenance(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    (content / "sources" / "crawl.warc.gz").write_bytes(warc([
        (URI, "2019-03-05T10:00:00Z", "text/html; charset=utf-8", page()),
        ("https://courier.example/logo.png", "2019-03-05T10:00:01Z", "image/png", b"\x89PNG\r\n\x1a\n"),
        (URI, "2019-03-06T08:30:00Z", "text/html", page(extra="Updated: ")),
    ]))
    articles, problems = ingest_corpus(content)
    captured = sorted((a for a in articles if a.capture), key=lambda a: a.capture.version)
    assert len(captured) == 2, "two captures of one URL are two versions, not one duplicate"
    first, second = captured
    assert (first.capture.version, first.capture.versions, second.capture.version) == (1, 2, 2)
    assert first.capture.date < second.capture.date and first.id != second.id
    assert first.id.endswith("-captured-20190305100000") and second.id.endswith("-captured-20190306083000")
    for a in captured:
        assert a.source_file == "crawl.warc.gz" and a.capture.target_uri == URI
        assert a.capture.digest.startswith("sha1:")
        assert a.title == "Council votes to rebuild harbour wall" and a.title_origin == "text"
        assert (a.url.value, a.url.origin) == (URI, "capture")
        assert (a.outlet.value, a.outlet.origin) == ("Lakeside Courier", "metadata")
        assert (a.agency.value, a.agency.origin) == ("Associated Press", "text") and a.agency_copy
        assert (a.published.value, a.published.origin) == (a.capture.date[:10], "capture")
        assert "Home News" in {r.text for r in a.removed}  # what the extractor dropped is still listed
    skipped = [p for p in problems if "crawl.warc.gz" in p.file]
    assert len(skipped) == 1 and skipped[0].severity == "warning" and "not an HTML page (image/png)" in skipped[0].message


def test_bad_web_archives_and_pages_are_one_line_problems_and_the_rest_builds(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    sources = content / "sources"
    good = (URI, "2019-03-05T10:00:00Z", "text/html", page())
    empty = ("https://courier.example/empty", "2019-03-05T10:00:02Z", "text/html",
             b"<html><body><nav><a href='/'>Home</a></nav><div class='share'>Share this</div></body></html>")
    cp1252 = (PAGE.format(title="Caf\u00e9 owners protest the \u201cnew\u201d harbour fees", extra="").replace(
        'charset="utf-8"', 'charset="utf-8"').encode("cp1252"))
    (sources / "truncated.warc").write_bytes(warc([good, ("https://courier.example/b", "2019-03-05T11:00:00Z", "text/html", page("Second page of the crawl here"))], gz=False)[:-150])
    whole = warc([good, ("https://courier.example/c", "2019-03-05T12:00:00Z", "text/html", page("Third page of the crawl here"))])
    first_member = len(warc([good]))
    corrupt = bytearray(whole)
    for i in range(first_member + 40, first_member + 80):
        corrupt[i] ^= 0x5A
    (sources / "corrupt.warc.gz").write_bytes(bytes(corrupt))
    (sources / "mixed.warc.gz").write_bytes(warc([empty, ("https://courier.example/x", "2019-03-05T13:00:00Z", "text/html", page("A page that is fine in a mixed crawl"))]))
    (sources / "old.html").write_bytes(cp1252)
    (sources / "nothing.html").write_bytes(empty[3])
    result = build(content, tmp_path / "site", index=False)
    by_file: dict[str, list[str]] = {}
    for p in result.problems:
        assert "\n" not in str(p)
        by_file.setdefault(p.file, []).append(f"{p.severity}: {p.message}")
    assert any("truncated record" in m for m in by_file["sources/truncated.warc"]), by_file
    assert any(m.startswith("error") and "corrupt gzip member" in m for m in by_file["sources/corrupt.warc.gz"]), by_file
    assert any(m.startswith("error") and "no main text found" in m for f, ms in by_file.items() for m in ms if "mixed.warc.gz#" in f)
    assert any(m.startswith("error") and "no main text found" in m for m in by_file["sources/nothing.html"])
    assert any(m.startswith("warning") and "declares charset 'utf-8'" in m and "Windows-1252" in m for m in by_file["sources/old.html"])
    titles = {a.title for a in ingest_corpus(content)[0]}
    assert {"Council votes to rebuild harbour wall", "A page that is fine in a mixed crawl",
            "Caf\u00e9 owners protest the \u201cnew\u201d harbour fees"} <= titles  # the rest of each file, and the rest of the build
    assert result.articles >= 5 + 3
    assert (tmp_path / "site" / "sources" / "mixed.warc.gz").is_file()  # the original record, published beside its article


def test_digest_mismatch_is_reported_with_its_record(tmp_path: Path) -> None:
    raw = warc([(URI, "2019-03-05T10:00:00Z", "text/html", page())], gz=False)
    tampered = raw.replace(b"eighteen months", b"eighteen weeks!")
    content = tmp_path / "content"
    (content / "sources").mkdir(parents=True)
    (content / "sources" / "tampered.warc").write_bytes(tampered)
    (content / "sources" / "ok.txt").write_text("A story that stays in the archive\n\nIt has one paragraph.\n")
    articles, problems = ingest_corpus(content)
    assert [a.source_file for a in articles] == ["ok.txt"]
    assert len(problems) == 1 and "digest does not match" in problems[0].message and "urn:uuid:" in problems[0].message


# --- permanent ids ------------------------------------------------------------------------------


def test_correcting_a_title_keeps_every_old_url_working(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    (content / REGISTRY_FILE).unlink()  # as a new archive: the first build records its ids
    site = tmp_path / "site"
    build(content, site, index=False)
    registry = load_registry(content)
    assert len(registry) == 5
    published = {p.relative_to(site).as_posix() for p in (site / "articles").glob("*.html")}
    manifest = content / "sources.yaml"
    corrected = manifest.read_text(encoding="utf-8").replace(
        "000_9d269a9147bf14e2.txt:\n", "000_9d269a9147bf14e2.txt:\n  title: Palmyra retaken (corrected headline)\n"
        "  published: 2016-03-28\n", 1)
    assert corrected != manifest.read_text(encoding="utf-8")
    manifest.write_text(corrected, encoding="utf-8")
    build(content, site, index=False)
    articles = {a.source_file: a for a in ingest_corpus(content)[0]}
    assert articles["000_9d269a9147bf14e2.txt"].title == "Palmyra retaken (corrected headline)"
    assert articles["000_9d269a9147bf14e2.txt"].id == registry["000_9d269a9147bf14e2.txt"].id
    assert published <= {p.relative_to(site).as_posix() for p in (site / "articles").glob("*.html")}
    # A curator who does want a new id pins it: the old URL then redirects, anchors and all.
    old = registry["000_9d269a9147bf14e2.txt"].id
    manifest.write_text(corrected.replace("000_9d269a9147bf14e2.txt:\n", "000_9d269a9147bf14e2.txt:\n  id: palmyra-retaken\n", 1), encoding="utf-8")
    build(content, site, index=False)
    assert load_registry(content)["000_9d269a9147bf14e2.txt"].former == (old,)
    redirect = (site / urls.article(old)).read_text(encoding="utf-8")
    assert 'url=palmyra-retaken.html"' in redirect and "location.hash" in redirect
    assert (site / urls.article("palmyra-retaken")).is_file()
    assert published - {urls.article(old)} <= {p.relative_to(site).as_posix() for p in (site / "articles").glob("*.html")}


def test_a_new_article_never_takes_a_recorded_id(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    recorded = load_registry(content)["000_9d269a9147bf14e2.txt"].id
    text = (content / "sources" / "000_9d269a9147bf14e2.txt").read_text(encoding="utf-8")
    (content / "sources" / "000_9d269a9147bf14e2.txt").unlink()
    (content / "sources" / "copy.txt").write_text(text, encoding="utf-8")
    (content / "sources.yaml").write_text((content / "sources.yaml").read_text().replace("000_9d269a9147bf14e2.txt:", "copy.txt:"))
    articles, problems = ingest_corpus(content)
    copy = next(a for a in articles if a.source_file == "copy.txt")
    assert copy.id != recorded and copy.id.startswith(recorded)
    assert any("copy.txt" in p.file and p.severity == "warning" for p in problems)


def test_the_seed_ids_are_recorded() -> None:
    from support import CONTENT

    articles, _ = ingest_corpus(CONTENT)
    assert {a.source_file: a.id for a in articles} == {k: r.id for k, r in load_registry(CONTENT).items()}


# --- furniture, titles, outlets, dates ------------------------------------------------------------


def _archive(texts: dict[str, str]):
    return ingest_sources([Source(k, k, v.encode()) for k, v in texts.items()], {})


def test_a_line_repeated_in_unrelated_articles_is_a_template_but_shared_agency_copy_is_not() -> None:
    widget = "The Lakeside Courier, local news since 1887"
    story = ("The council voted on Monday to rebuild the harbour wall that storms broke last winter, "
             "the harbour master said at the quay.")
    articles, problems = _archive({
        "a.txt": f"Harbour wall to be rebuilt after storms\n\n{story}\n\n{widget}\n",
        "b.txt": f"Council approves harbour plan for the town\n\n{story}\n\nThe work starts in spring.\n",
        "c.txt": f"Orchestra names a new conductor for the season\n\nThe city orchestra named its new conductor on Friday.\n\n{widget}\n",
    })
    assert problems == []
    by = {a.source_file: a for a in articles}
    assert [r.reason for r in by["a.txt"].removed if r.text == widget] == ["template line: also in c.txt, which tell other stories"]
    assert story in [p.text for p in by["b.txt"].paragraphs]  # syndicated wording stays in both bodies
    assert story in [p.text for p in by["a.txt"].paragraphs]


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("By Laura Woods/GoBankingRates\n\nThe average American spends more on coffee than on books, a survey found.\n",
         "The average American spends more on coffee than on books, a survey found"),
        ("Image copyright Getty Images\n\nLATEST HEADLINES\n\nNEW YORK (Reuters) - New York City residents braced for a "
         "second storm on Tuesday as power cuts spread across the boroughs.\n",
         "New York City residents braced for a second storm on Tuesday as power cuts spread across…"),
        ("Getty Images Elon Musk\n\nAbstract\n\nTesla's chief executive said on Monday that the company would build "
         "a factory in Texas.\n", "Tesla's chief executive said on Monday that the company would build a factory in Texas"),
        ("Former football star and actor O.J. Simpson was granted parole on Thursday after nine years in prison.\n",
         "Former football star and actor O.J. Simpson was granted parole on Thursday after nine…"),
        ("Sen. Mark Warner said on Sunday that a shutdown would be embarrassing for everyone in Congress and beyond.\n",
         "Sen. Mark Warner said on Sunday that a shutdown would be embarrassing for everyone in…"),
    ],
)
def test_titles_are_headlines_or_marked_inferred_from_the_lede(raw: str, title: str) -> None:
    article = ingest_source("x.txt", raw.encode(), None)
    assert (article.title, article.title_origin) == (title, "inferred")
    assert len(article.title) <= 91 and "lede" in article.title_note


@pytest.mark.parametrize(
    ("lede", "outlet", "agency"),
    [
        ("WASHINGTON (AP) — The Senate passed the bill late on Friday.", "Associated Press", "Associated Press"),
        ("LIMA, Dec 1 (Reuters) - Peru suspended its top organized crime investigator.", "Reuters", "Reuters"),
        ("(CNN) -- A man was rescued from the river on Sunday.", "CNN", None),
        ("KUALA LUMPUR, Malaysia (AP) — The banned nerve agent was used in the attack.", "Associated Press", "Associated Press"),
    ],
)
def test_outlets_and_agencies_from_datelines(lede: str, outlet: str, agency: str | None) -> None:
    article = ingest_source("x.txt", f"A headline for this story\n\n{lede}\n\nMore of the story follows here.\n".encode(), None)
    assert (article.outlet.value, article.outlet.origin) == (outlet, "text")
    assert article.agency.value == agency
    assert "dateline" in article.outlet.note


def test_agency_copy_republished_by_an_outlet_keeps_both() -> None:
    raw = b"Storm closes the port\n\nROTTERDAM (Reuters) - The port was closed on Monday.\n\nIt reopens on Friday.\n"
    article = ingest_source("x.txt", raw, {"outlet": "The Herald"})
    assert (article.outlet.value, article.outlet.origin) == ("The Herald", "curator")
    assert (article.agency.value, article.agency.origin) == ("Reuters", "text")
    assert article.agency_copy


def test_credit_line_names_the_outlet() -> None:
    raw = b"Assad hails army's recapture of Palmyra\n\nThe army took the city on Sunday.\n\nCredit: Sky News\n"
    article = ingest_source("x.txt", raw, None)
    assert (article.outlet.value, article.outlet.origin) == ("Sky News", "text")


def test_an_inferred_date_never_contradicts_a_printed_one() -> None:
    raw = ("Talks resume in the capital\n\nNegotiators met again on Thursday, a week after talks broke down "
           "on November 15, 2012.\n\nThis article appeared November 16, 2012, in the print edition.\n").encode()
    article = ingest_source("x.txt", raw, None)
    assert (article.published.value, article.published.origin) == ("2012-11-16", "text")
    assert "appeared November 16, 2012" in article.published.note


def test_furniture_shapes_are_removed_with_their_reasons() -> None:
    lines = {
        "CLOSE Skip in Skip x Embed x Share": "video player or gallery text",
        "Share this story Facebook Twitter Email Print": "share bar or widget",
        "LISTEN TO ARTICLE 4:34 SHARE THIS ARTICLE": "share bar or widget",
        "Newsletter Sign Up Please verify you're not a robot by clicking the box.": "widget or prompt addressed to the reader",
        "Please enable JavaScript to view the comments powered by Disqus.": "widget or prompt addressed to the reader",
        "Thanks to all who spoke out https://t.co/DezeSnr6Gj — A Name (@aname) November 4, 2017": "embedded tweet",
        "Protesters march in Manama, Bahrain, Saturday, Feb. 19, 2011. The deputy chief of the army... (Associated Press)": "photo caption (kept in captions)",
        "By Laura Woods/GoBankingRates": "byline (kept in credits)",
    }
    body = "The council voted on Monday to rebuild the harbour wall that storms broke last winter."
    raw = "Harbour wall to be rebuilt after storms\n\n" + body + "\n\n" + "\n\n".join(lines) + "\n\nWork starts in spring.\n"
    article = ingest_source("x.txt", raw.encode(), None)
    assert [p.text for p in article.paragraphs] == [body, "Work starts in spring."]
    reasons = {r.text: r.reason for r in article.removed}
    for line, reason in lines.items():
        assert reasons[line] == reason, line


def test_html_metadata_and_extractor_drops_keep_their_origin() -> None:
    article = ingest_source("p.html", page(), None)
    assert article.title == "Council votes to rebuild harbour wall" and article.title_origin == "text"
    assert [r.reason for r in article.removed if r.text == "Home News"] == ["page chrome (<nav>)"]
    assert any(r.text.startswith("© 2019 Lakeside Courier") for r in article.removed)
    assert len(article.paragraphs) == 3
    assert re.match(r"<meta property=\"og:site_name\">", article.outlet.note)


def test_gzip_member_truncated_in_the_middle_is_named() -> None:
    from annalist.ingest.warc import read_warc

    raw = warc([(URI, "2019-03-05T10:00:00Z", "text/html", page()),
                ("https://courier.example/2", "2019-03-05T10:00:01Z", "text/html", page("Another page in this crawl"))])
    records, skipped = read_warc("c.warc.gz", raw[:-100])
    assert len(records) == 1 and records[0].capture.target_uri == URI
    assert len(skipped) == 1 and skipped[0].error and "truncated record" in skipped[0].message
    assert gzip.decompress(raw)  # the intact file is a valid gzip stream


def test_an_unreadable_id_record_stops_the_build_and_keeps_the_site(tmp_path: Path) -> None:
    from annalist.pipeline import BuildFailed

    content = copy_content(tmp_path)
    site = tmp_path / "site"
    build(content, site, index=False)
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    (content / REGISTRY_FILE).write_text("- not\n- a mapping\n", encoding="utf-8")
    with pytest.raises(BuildFailed, match="ids.yaml"):
        build(content, site, index=False)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before


def test_export_carries_agency_capture_and_former_ids(tmp_path: Path) -> None:
    import json

    content = copy_content(tmp_path)
    (content / "sources" / "crawl.warc.gz").write_bytes(warc([(URI, "2019-03-05T10:00:00Z", "text/html", page())]))
    build(content, tmp_path / "site", index=False)
    article = next(a for a in ingest_corpus(content)[0] if a.capture)
    record = json.loads((tmp_path / "site" / urls.article_json(article.id)).read_text(encoding="utf-8"))
    assert record["capture"]["target_uri"] == URI and record["capture"]["version"] == 1
    assert record["metadata"]["agency"] == {"value": "Associated Press", "origin": "text",
                                            "note": "the dateline “LAKESIDE (AP)” names the agency"}
    assert record["agency_copy"] is True and record["former_ids"] == []
    assert record["metadata"]["published"]["origin"] == "capture"
    page_html = (tmp_path / "site" / urls.article(article.id)).read_text(encoding="utf-8")
    assert "Web archive capture" in page_html and "the only capture of this URL" in page_html


def test_a_comment_section_stays_out_of_the_body() -> None:
    body = [f"Paragraph {n} of the story about the harbour wall, which the council will rebuild." for n in range(1, 6)]
    comments = ["harbourfan says: About time they fixed it!", "Reply", "Jo Bloggs: What a waste of money."]
    raw = "Harbour wall to be rebuilt after storms\n\n" + "\n\n".join(body) + "\n\n3 Comments\n\n" + "\n\n".join(comments) + "\n"
    article = ingest_source("x.txt", raw.encode(), None)
    assert [p.text for p in article.paragraphs] == body
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons["harbourfan says: About time they fixed it!"] == "comment section (below \u201c3 Comments\u201d)"
    assert reasons["Jo Bloggs: What a waste of money."].startswith("comment section")


def test_a_repeated_date_line_is_read_not_dropped_and_a_shared_quote_stays() -> None:
    quote = "\u201cIt is a sad day for the town,\u201d the mayor said."
    articles, problems = _archive({
        "a.txt": f"Harbour wall collapses after storm\n\nJune 6, 2013\n\nThe harbour wall fell on Wednesday night.\n\n{quote}\n",
        "b.txt": f"Orchestra names a new conductor\n\nJune 6, 2013\n\nThe city orchestra named its conductor.\n\n{quote}\n",
    })
    assert problems == []
    for article in articles:
        assert (article.published.value, article.published.origin) == ("2013-06-06", "text")
        assert quote in [p.text for p in article.paragraphs]


def test_a_page_without_paragraph_elements_loses_nothing_from_provenance() -> None:
    html = (b'<html><head><title>Storm hits the coast hard</title></head><body><div class="menu">Home | World | Sport</div>'
            b'<div id="story"><h1>Storm hits the coast hard</h1>'
            b'<div>The storm hit the coast on Monday, flooding <b>hundreds</b> of homes along the bay and cutting power.</div>'
            b'<div>Rescue teams worked through the night to reach families cut off by the water, the coastguard said.</div>'
            b'<div>Forecasters expect the wind to drop by Wednesday, but warned that more rain could follow.</div></div>'
            b'<div class="promo">Subscribe to our newsletter for daily updates</div></body></html>')
    article = ingest_source("storm.html", html, None)
    assert [p.text[:20] for p in article.paragraphs] == ["The storm hit the co", "Rescue teams worked ", "Forecasters expect t"]
    assert {r.text for r in article.removed} == {"Home | World | Sport", "Subscribe to our newsletter for daily updates"}
