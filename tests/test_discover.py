"""discover.py's per-name helpers, rewritten to read only the characters they need: each must
answer as its plain definition on every name position of real documents, or discovery proposes
other names. _sentence_start and _quoted are compared with their definitions (kept here, as they
were written); _glued, whose rules are unchanged, by the searches it now runs at a name's edges,
each compared with the search on the slice of text it replaced."""

from __future__ import annotations

import importlib

import pytest

from annalist.entities.discover import _SENTENCE_END
from annalist.entities.tagger import tokens
from annalist.text import fold
from support import CONTENT, CORPORA

discover = importlib.import_module("annalist.entities.discover")  # the package exports a function of that name


# --- the plain definitions, as they were written ------------------------------------------------

def plain_sentence_start(text: str, start: int) -> bool:
    before = fold(text[:start]).rstrip(" \"'([\u00e2\u0080-\u009f\u20ac\u0153\u2122\u201d")  # and a quotation mark's mojibake
    return not before or before[-1] in _SENTENCE_END


def plain_quoted(text: str, start: int, end: int) -> bool:
    folded = fold(text)
    return folded[start - 1:start] == '"' and folded[end:end + 2].lstrip(",.!?")[:1] == '"'


# --- real documents -------------------------------------------------------------------------------

def _paragraphs() -> list[str]:
    """The seeds' lines, every 45th BBC article's, every third cluster's first article's (Multi-News's
    scraping noise, ECB+'s one sentence a line), and lines made up for what they may lack."""
    paths = sorted((CONTENT / "sources").glob("*.txt"))
    paths += sorted((CORPORA / "bulk" / "bbc").rglob("*.txt"))[::45]
    if (CORPORA / "clusters").is_dir():
        paths += [sorted(c.glob("*.txt"))[0] for c in sorted((CORPORA / "clusters").glob("*"))[::3] if any(c.glob("*.txt"))]
    lines = [line for p in paths for line in p.read_bytes().decode("utf-8", "replace").splitlines() if line.strip()]
    return lines + MADE_UP


MADE_UP = [
    "Hamad bin Isa Al Khalifa met the del Toro family and Abu Bakr al-Baghdadi",
    "the Securities and Exchange Commission and Fish and Wildlife Service, Tennessee Tech and LaSalle University",
    "Lloyd's List and Women's Tennis Association: Cinematography: John Smith",
    "\u201cAero Zeppelin,\u201d and \"Heavenly Creatures\" \u00a0(Barack Obama) \u2014 U.S. Highway 101",
    "USA TODAY reported that House Minority Leader Nancy Pelosi and Theresa May met Rory Read",
    "A\u2019B C\u00e2\u0080\u009d D Name\nNext Al \nKhalifa",
    "X and \nY bin \nZ",
]


def _positions(text: str):
    """(start, end) of every run of one to three tokens that opens with a capital, and of the
    text's edges."""
    toks = tokens(text)
    for i, t in enumerate(toks):
        if t.text[:1].isupper():
            for j in range(i, min(i + 3, len(toks))):
                yield t.start, toks[j].end
    yield 0, len(text)
    yield 0, 0


@pytest.fixture(scope="module")
def paragraphs():
    return _paragraphs()


def test_the_per_name_helpers_answer_as_their_plain_definitions(paragraphs):
    checked = 0
    for text in paragraphs:
        for start, end in _positions(text):
            assert discover._sentence_start(text, start) == plain_sentence_start(text, start), (text, start)
            assert discover._sentence_start(text, end) == plain_sentence_start(text, end), (text, end)
            assert discover._sentence_start(text, end + 5) == plain_sentence_start(text, end + 5), (text, end)
            assert discover._quoted(text, start, end) == plain_quoted(text, start, end), (text, start, end)
            checked += 1
    assert checked > 1000


def test_the_searches_before_a_name_find_what_they_find_on_the_text_before_it(paragraphs):
    def span(m):
        return m and (m.span(), m.groups())

    for text in paragraphs:
        folded = fold(text)
        for start in sorted({s for pair in _positions(text) for s in pair} | {len(text) - 1, 1}):
            before = folded[:start]
            assert span(discover._word_before(folded, start)) == span(discover._LEFT_WORD.search(before)), (text, start)
            assert span(discover._particle_before(folded, start)) == span(discover._PARTICLE_BEFORE.search(before))
            assert span(discover._and_opened(folded, start)) == span(discover._AND_OPENED.search(before)), (text, start)


def test_the_matches_after_a_name_find_what_they_find_on_the_text_after_it(paragraphs):
    """_glued matches its patterns at the name's end instead of on a copy of the rest of the text."""
    def shifted(m, by):
        return m and ((m.start() - by, m.end() - by), m.groups())

    for text in paragraphs:
        folded = fold(text)
        for end in sorted({e for pair in _positions(text) for e in pair}):
            for pattern in (discover._RIGHT_WORD, discover._SPACE_DIGIT, discover._JOINED, discover._RIGHT_LABEL):
                assert shifted(pattern.match(folded, end), end) == shifted(pattern.match(folded[end:]), 0), (text, end)
