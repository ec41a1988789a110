"""Typography for long reading, measured: the measure, no phantom indent, footnote markers kept
with their word, underlines through descenders, a legend, numbers in the margin, contrast."""

from __future__ import annotations

import pytest
from browser_helpers import YNET_ARTICLE, contrast_ratios

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}

CHARS_PER_LINE = """() => [...document.querySelectorAll('.article-body p.para')].map(p => {
  const style = getComputedStyle(p), ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = p.textContent.replace(/\\s+/g, ' ');
  const average = ctx.measureText(text).width / text.length;
  return p.clientWidth / average;
})"""


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport=LAPTOP)
    yield context.new_page()
    context.close()


def open_article(page, served_site, path=YNET_ARTICLE):
    page.goto(served_site + path)
    page.wait_for_selector(".copy-link", state="attached")  # annalist.js has run


def test_text_column_is_60_to_80_characters_at_laptop_width(laptop, served_site):
    open_article(laptop, served_site)
    measures = laptop.evaluate(CHARS_PER_LINE)
    assert measures and all(60 <= m <= 80 for m in measures), [round(m) for m in measures]


FIRST_TEXT_OFFSET = """() => [...document.querySelectorAll('.article-body p.para')].map(p => {
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {acceptNode: n =>
    n.parentElement.closest('.pnum, .copy-link') || !n.textContent.trim() ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT});
  const node = walker.nextNode(), start = node.textContent.search(/\\S/), range = document.createRange();
  range.setStart(node, start); range.setEnd(node, start + 1);
  return range.getBoundingClientRect().left - p.getBoundingClientRect().left;
})"""


@pytest.mark.parametrize("width", [1366, 700])
def test_no_phantom_indent(browser, served_site, width):
    """The copy-link button (and, on wide screens, the number) takes no room at the start of the line."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        open_article(page, served_site)
        offsets = page.evaluate(FIRST_TEXT_OFFSET)
        if width >= 52 * 16:
            assert offsets and all(abs(o) < 2 for o in offsets), offsets
        else:  # the number sits inline before the text: only the number's width, never the button's
            assert offsets and all(o < 40 for o in offsets), offsets
    finally:
        context.close()


MARKERS_WITH_WORD = """() => [...document.querySelectorAll('.article-body sup.footnote-ref')].map(sup => {
  let node = sup.previousSibling;
  while (node && !node.textContent.trim()) node = node.previousSibling;
  if (!node) return null;
  let text = node;
  while (text.nodeType !== Node.TEXT_NODE) text = text.lastChild;
  const range = document.createRange(), end = text.textContent.trimEnd().length;
  range.setStart(text, end - 1); range.setEnd(text, end);
  const word = range.getBoundingClientRect(), mark = sup.querySelector('a').getBoundingClientRect();
  return Math.abs(word.bottom - mark.bottom) < word.height && mark.left >= word.right - 1;
})"""


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_footnote_markers_stay_with_the_word_before(browser, served_site, built_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        for path in sorted((built_site / "articles").glob("*.html")):
            page.goto(served_site + path.relative_to(built_site).as_posix())
            together = page.evaluate(MARKERS_WITH_WORD)
            assert all(t is not False for t in together), (path.name, together)
    finally:
        context.close()


def test_underlines_run_through_descenders(laptop, served_site):
    open_article(laptop, served_site)
    skips = laptop.eval_on_selector_all("a.entity", "as => [...new Set(as.map(a => getComputedStyle(a).textDecorationSkipInk))]")
    assert skips == ["none"]


def test_every_article_page_has_a_legend_of_entity_types(built_site):
    from bs4 import BeautifulSoup

    for path in sorted((built_site / "articles").glob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        legend = soup.select_one(".legend")
        assert legend is not None, path.name
        kinds = {c for span in legend.select(".entity") for c in span["class"] if c.startswith("entity-")}
        assert kinds == {"entity-person", "entity-place", "entity-organisation", "entity-group", "entity-unreviewed"}
        used = {c for a in soup.select(".article-body a.entity") for c in a["class"] if c.startswith("entity-")}
        assert used - {"entity-unknown"} <= kinds, path.name


NUMBERS = """() => [...document.querySelectorAll('.article-body p.para')].map(p => {
  const n = p.querySelector('.pnum').getBoundingClientRect(), box = p.getBoundingClientRect();
  const line = parseFloat(getComputedStyle(p).lineHeight);
  return {right: n.right, inMargin: n.right < box.left, firstLine: n.top >= box.top - 1 && n.bottom <= box.top + line + 1};
})"""


def test_paragraph_numbers_aligned_in_the_margin(laptop, served_site):
    open_article(laptop, served_site)
    numbers = laptop.evaluate(NUMBERS)
    assert numbers and all(n["inMargin"] and n["firstLine"] for n in numbers), numbers
    assert max(n["right"] for n in numbers) - min(n["right"] for n in numbers) < 1  # one right edge


READING_TEXT = ".article-body p, .pnum, .byline, .legend, .standfirst, .footnote-ref a, .kicker a"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_reading_contrast_in_both_schemes(laptop, served_site, scheme):
    laptop.emulate_media(color_scheme=scheme)
    open_article(laptop, served_site)
    low = [(name, round(r, 2)) for name, r in contrast_ratios(laptop, READING_TEXT) if r < 4.5]
    assert not low, low
