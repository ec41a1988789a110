"""discover.py's per-name helpers, rewritten to read only the characters they need: each must
answer as its plain definition (kept here, as it was written) on every name position of real
documents, or discovery proposes other names."""

from __future__ import annotations

import importlib
import re

import pytest

from annalist.entities import propernames as words
from annalist.entities.discover import (_AND_HEADS, _AND_OPENED, _AND_PIECE_HEADS, _COMPASS, _NAME_HEADS, _NOT_GLUE,
                                        _PEOPLE_PLURALS, _SENTENCE_END, _TITLES, _cut_surname)
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


def plain_glued(text: str, start: int, end: int, vocabulary: frozenset[str], label: str = "") -> bool:
    """Whether a capitalised word touches the name, so that the name is likely a piece of a longer
    one the tagger cut ("Human Rights" of "Human Rights Watch", "Ogwen Valley Mountain" of "Ogwen
    Valley Mountain Rescue Team"). Not a title, a calendar or function word, an abbreviation in
    capitals, a sentence's first word, or before the name a word the archive prints in lower case
    ("Billionaire Phillip Ruffin")."""
    folded = fold(text)
    shouting = folded[start:end].isupper()

    def glue(word: str, before: bool, at: int) -> bool:
        low = word.lower().rstrip(".")
        if before and low.endswith("'s") and low[:-2] in _PEOPLE_PLURALS and not plain_sentence_start(folded, at):
            return True  # "Women's" of "Women's Tennis Association": their possessive opens the name
        if word.isupper() or shouting or low.endswith("'s") or low in _NOT_GLUE or low.removesuffix("s") in _NOT_GLUE:
            return False
        if before and label != "person" and (low in _COMPASS or low in _NAME_HEADS):
            return True  # "South" of "South Korea" (even opening a sentence), "County" of "… County Superior Court"
        if before and label == "organisation" and (low in words.DEMONYMS or low.endswith(("ian", "ean", "can"))):
            return True  # "American" of "American Medical Association"
        if before and label not in ("person", "") and low in vocabulary and not plain_sentence_start(folded, at) \
                and low not in words.DEMONYMS and not low.endswith(words.DEMONYM_SUFFIXES):
            return True  # "Traditional" of "the Traditional Unionist Voice party"
        if before and (low in vocabulary or plain_sentence_start(folded, at) or low.endswith(words.DEMONYM_SUFFIXES)
                       or low in words.DEMONYMS):
            return False
        return True

    name = folded[start:end]
    if label == "person" and _cut_surname(name, folded[end:]):
        return True  # "Rory" of "Rory Read", "Theresa" of "Theresa May", "Emmett" of "Emmett Till"
    right_word = re.match(r" ([A-Z][\w'&-]*)", folded[end:])
    last = name.split()[-1].lower() if name.split() else ""
    if right_word and len(name.split()) > 1 and right_word.group(1).lower() in _TITLES and last in vocabulary \
            and last not in _NAME_HEADS:
        return True  # "House Minority" of "House Minority Leader Nancy Pelosi"
    if right_word and name.isupper() and right_word.group(1).isupper() and len(right_word.group(1)) >= 3 \
            and sum(c.isupper() for c in folded) * 2 < sum(c.isalpha() for c in folded):
        return True  # "USA" of "USA TODAY" in a sentence in lower case
    if re.match(r" \d", folded[end:]) and last in vocabulary:
        return True  # "U.S. Highway" of "U.S. Highway 101", "Interstate" of "Interstate 435"
    joined = re.match(r" (?:and|&) (?:[A-Z][\w'-]* ){0,3}([A-Z][\w'-]*)", folded[end:])
    if joined and joined.group(1).lower() in _AND_HEADS and not shouting:
        return True  # "Australian Communications" of "Australian Communications and Media Authority"
    opened = _AND_OPENED.search(folded[:start])
    if opened and label != "person" and len(name.split()) > 1 and last in _AND_PIECE_HEADS \
            and opened.group(2).lower() in vocabulary \
            and not (opened.group(1) and opened.group(1)[:1].isupper() and opened.group(1).lower() not in ("the", "a", "an")):
        return True  # "Exchange Commission" of "the Securities and Exchange Commission"; not "Tennessee Tech and LaSalle University"
    if re.search(r"(?:^|\s)(?:al|el|bin|ibn|bint|abu|de|del|della|der|di|du|da|van|von|den|la|le) $", folded[:start]):
        return True  # "Isa Al Khalifa" of "Hamad bin Isa Al Khalifa", "Toro" of "del Toro"
    left = re.search(r"(?:^|(?<=[\s(\"']))([A-Z][\w'&-]*) $", folded[:start])
    right = re.match(r" ([A-Z][\w'&-]*)(?!\w*:)", folded[end:])  # not a field's label ("Cinematography:")
    return bool((left and glue(left.group(1), True, left.start(1))) or (right and glue(right.group(1), False, 0)))




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
        vocabulary = frozenset(w.lower() for w in re.findall(r"\w+", text)[::3])
        for start, end in _positions(text):
            assert discover._sentence_start(text, start) == plain_sentence_start(text, start), (text, start)
            assert discover._sentence_start(text, end) == plain_sentence_start(text, end), (text, end)
            assert discover._sentence_start(text, end + 5) == plain_sentence_start(text, end + 5), (text, end)
            assert discover._quoted(text, start, end) == plain_quoted(text, start, end), (text, start, end)
            for label in ("person", "organisation", "place", ""):
                assert discover._glued(text, start, end, vocabulary, label) == \
                    plain_glued(text, start, end, vocabulary, label), (text, start, end, label)
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
