"""What readers see: entity pages, coverage, about, review, article reading aids."""

import re

from bs4 import BeautifulSoup

from annalist import pipeline
from support import SOURCE_DATE_EPOCH, UNKNOWN_NAME_ARTICLE, copy_content


def soup(site, path):
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_names_used_by_outlet_on_the_islamic_state_page(built_site):
    page = soup(built_site, "entities/islamic-state.html")
    rows = {tr.th.get_text(strip=True): tr.td.get_text(" ", strip=True) for tr in page.select("#names ~ div table tbody tr")}
    assert "DAESH" in rows["TRT World"]
    assert "ISIS" in rows["Ynetnews"]
    assert "“IS”" in rows["Sky News"]
    assert "Islamic State" in page.find("h1").get_text()


def test_every_mention_in_context_links_to_its_paragraph(built_site):
    page = soup(built_site, "entities/palmyra.html")
    links = [a["href"] for a in page.select("ul.kwic a")]
    assert len(links) > 30
    assert all(re.match(r"\.\./articles/[^#]+\.html#p\d+$", href) for href in links)
    assert page.select("ul.cooccurring li")


def test_entities_index_groups_by_type_with_counts(built_site):
    page = soup(built_site, "entities/index.html")
    headings = [h.get_text(" ", strip=True) for h in page.find_all("h2")]
    assert any(h.startswith("People") for h in headings) and any(h.startswith("Places") for h in headings)
    assert any(h.startswith("Organisations") for h in headings)


def test_article_shows_numbers_provenance_and_captions(built_site):
    path = next((built_site / "articles").glob("2016-03-27-ynet*.html")).relative_to(built_site)
    page = soup(built_site, path)
    numbers = [a.get_text() for a in page.select("a.pnum")]
    assert numbers[0] == "¶\u202f1" and len(numbers) >= 10
    assert page.select_one("#provenance code.hash").get_text() == "11adbb612c49f1654cf9429f9a072ce8ec0829917677a672cf2d97771d7e7108"
    assert page.select_one("#captions-heading")
    assert page.find("span", attrs={"dir": "auto"}, string=re.compile("פרסום ראשון"))
    assert page.select("details.removed tr")
    # the original as received is one click away
    assert any(a["href"].startswith("../sources/") for a in page.select("#provenance a"))


def test_inferred_dates_are_labelled(built_site):
    inferred = [p for p in (built_site / "articles").glob("*.html") if "date-inferred" in p.read_text(encoding="utf-8")]
    assert inferred  # seed 000 prints no date: it is inferred from a caption and "on Sunday"
    for page in inferred:
        assert "(inferred)" in page.read_text(encoding="utf-8")


def test_about_page_states_method_and_public_figures(built_site):
    """The figures are the public held-out ones (ECB+), never the seeds' as the archive's own."""
    from annalist.crossref import CALIBRATION

    text = soup(built_site, "about.html").get_text(" ", strip=True)
    held = CALIBRATION["lexical"]["measured"]["held_out"]
    assert "ECB+" in text and "not a measurement of this archive" in text
    assert f"{held['precision']:.0%} of links" in text and f"{held['recall']:.0%} of such pairs" in text
    both = CALIBRATION["event"]["measured"]["held_out"]  # claim and same-event links counted together
    assert "reports the same event" in text
    assert f"{both['precision']:.0%} of links join" in text and f"{both['recall']:.0%} of such pairs" in text
    cv = CALIBRATION["cross_validation"]["pooled"]  # the whole calibration re-run on five topic folds
    assert "five parts" in text and f"{cv['precision']:.0%} of links join sentences about the same event and " \
        f"{cv['recall']:.0%} of such pairs" in text
    assert "seed" not in text.lower()


def test_review_page_lists_unknown_names_with_yaml(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    content = copy_content(tmp_path, {"museum.txt": UNKNOWN_NAME_ARTICLE})
    pipeline.build(content, tmp_path / "site", index=False)
    page = soup(tmp_path / "site", "entities/review.html")
    section = page.select_one("section#c-khaled-al-asaad")
    assert section is not None
    assert "Khaled al-Asaad" in section.select_one("pre code").get_text()
    assert section.select_one("ul.kwic a")["href"].startswith("../articles/")
    article = next(p for p in (tmp_path / "site" / "articles").glob("*.html") if "scholar" in p.name)
    assert 'class="entity entity-unreviewed"' in article.read_text(encoding="utf-8")
    # the name's own page, at an address made from the name alone: what the article links to
    link = BeautifulSoup(article.read_text(encoding="utf-8"), "html.parser").select_one(
        'a.entity-unreviewed[data-candidate="khaled-al-asaad"]')
    assert link["href"] == "../entities/unreviewed/khaled-al-asaad.html"
    assert section.select_one("h2 a")["href"] == "unreviewed/khaled-al-asaad.html"
    own = soup(tmp_path / "site", "entities/unreviewed/khaled-al-asaad.html")
    assert own.find("h1").get_text() == "Khaled al-Asaad"
    assert "Khaled al-Asaad" in own.select_one("pre code").get_text()
    assert own.select_one("ul.kwic a")["href"].startswith("../../articles/" + article.stem + ".html#p")
    assert "unreviewed/" not in (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")  # provisional


def test_demo_review_page_exists_even_when_nothing_awaits(built_site):
    assert soup(built_site, "entities/review.html").find("h1").get_text() == "Names awaiting review"


def test_every_page_has_footer_edition_and_skip_link(built_site):
    for path in built_site.rglob("*.html"):
        if "_pagefind" in path.parts:
            continue
        html = path.read_text(encoding="utf-8")
        assert 'class="skip-link"' in html and "edition 1" in html, path


def test_every_place_naming_an_article_tells_two_of_one_outlet_apart(built_site):
    """TRT World's two articles (25 and 27 March): footnotes, coverage cells and entity pages name
    the date of the article they link to, and carry its headline on hover."""
    from bs4 import BeautifulSoup

    trt = {p.name for p in (built_site / "articles").glob("*trt-world*.html")}
    assert len(trt) == 2

    def links_to_trt(html_path):
        soup = BeautifulSoup((built_site / html_path).read_text(encoding="utf-8"), "html.parser")
        return [a for a in soup.find_all("a", href=True) if a["href"].split("#")[0].split("/")[-1] in trt
                and "#p" in a["href"]]

    import json

    (story,) = json.loads((built_site / "data" / "stories.json").read_text(encoding="utf-8"))
    pages = ["articles/2016-03-27-ynetnews-syrian-military-allies-takes-control-of-palmyra.html",
             story["url"], "entities/palmyra.html"]
    for page in pages:
        links = links_to_trt(page)
        assert links, page
        for a in links:
            text, target = a.get_text(), a["href"].split("#")[0].split("/")[-1]
            day = ("25 Mar" if "2016-03-25" in target else "27 Mar") + ("" if page.startswith("stories/") else "ch 2016")
            assert day in text, (page, text)
            assert a.get("title"), (page, text)  # the headline on hover
