"""A title made from the lede when the text has no headline (origin "inferred").

The title is the first sentence of the first paragraph that reads as the story's own prose, cut
at a word boundary. A paragraph is passed over when its shape says it is something else: a line
without a sentence's end (a heading, a list item, an info box's field), a run of "Label: value"
fields (a catalogue entry), a photo caption (a weekday and a full date with its year, as wire
captions print them), a teaser cut off by the site ("How to help ..."), a call to the reader (a
phone number, "please", a link, a widget's words), a note about the page itself ("Below is the
uncorrected machine-read text of this chapter..."), a line in capitals (a banner,
a reader's question set in capitals), or a line sharing no word with the story (clean.unrelated_to). These
are shapes, not phrases of particular sites: the rules were set on Multi-News clusters 000-049.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from . import outlets
from .clean import _PROMPT_TERMS, foreign_script, unrelated_to

TITLE_MAX_CHARS = 90
LEDE_MIN_WORDS = 4  # a title's sentence has at least this many words: a shorter one is a label or a name
PROSE_MIN_WORDS = 13  # a paragraph without a sentence's end is prose only when longer than a heading
TEASER_MAX_WORDS = 10  # "How to help ...": a short line cut off by the site (a long cut one is the story's text)
PARAGRAPH_MIN_WORDS = 8  # a shorter paragraph is a heading, a name or a label ("Caihong juji gen. et sp. nov.")
DATELINE_SEARCH = 3  # a dateline among the first paragraphs marks the lede
LEDE_SEARCH = 8  # paragraphs looked at for a lede; past them the first paragraph is taken as it is

_NOTE = re.compile(r"\(.*\)|\[.*\]")  # an editor's note in brackets
_LEADING_JUNK = re.compile(r"^[^\w\"'“‘(]+")
_URL = re.compile(r"\bhttps?://|\bwww\.", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*$")
_TEASER_END = re.compile(r"(?:\.\.\.|…)[\"'”’)\]]*$")
_FIELD = re.compile(r"[A-Z][\w.'’-]*(?: [A-Za-z][\w.'’-]*){0,2}\s?:\s+\S")  # "Occupation: ...", "Release Date: ..."
_FIELDS = re.compile(r"(?:^|(?<=\s))[A-Z][\w.'’-]*(?: [A-Za-z][\w.'’-]*){0,2}\s?:\s+\S")
_PHONE = re.compile(r"(?<!\d)(?:\(\d{3}\)\s?|\d{3}[-.\s])\d{3}[-.]\d{4}(?!\d)|\b(?:ext|extension)\.?\s?\d{2,5}\b", re.I)
_TO_THE_READER = re.compile(
    r"\bplease\b|^(?:below|above|here) (?:is|are)\b|\bthe following (?:text|article|story|page|is|are)\b"
    r"|\b(?:this|the) (?:page|site|website|chapter|document|pdf|excerpt|transcript|text|e-?mail|newsletter)"
    r" (?:is|was|has|contains|provides|includes|may|will|you)\b",
    re.I,
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
# Wire photo captions print the weekday and the full date with its year ("... in Woodland Hills on
# Tuesday, Jan. 24, 2017."); a story's lede says "on Tuesday".
_CAPTION_DATE = re.compile(rf"\b{_WEEKDAY},? (?:{_MONTH} \d{{1,2}},? \d{{4}}|\d{{1,2}} {_MONTH},? \d{{4}})", re.I)
# A heading in capitals run into the lede ("EXTENDED SUMMARY THE IMPACT OF SPACE WEATHER Modern ...").
_CAPS_HEADING = re.compile(r"(?:[A-Z][A-Z0-9'’&,-]*\s+){3,}(?=[A-Z][a-z])")
# A one- or two-word label ending in a full stop or colon before the first sentence ("Etymology. ...").
_RUN_IN_LABEL = re.compile(r"(?:[A-Z][a-z]+(?: [a-z]+)?:|[A-Z][a-z]{5,}\.)\s+(?=[A-Z\"“])")  # not "Sen. Warner" 


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


@lru_cache(maxsize=1024)  # a lede is looked at several times (lede_text, title_sentence)
def first_sentence(text: str) -> str:
    """The first sentence of `text` (abbreviations such as "Sen.", "U.S." and "O.J." do not end it)."""
    head = text[:600]
    if not re.search(r"[.!?][\"'”’)\]]*\s+\S", head):
        return head.strip()
    segments = _segmenter().segment(head)
    return (segments[0] if segments else head).strip()


def shorten(sentence: str, limit: int = TITLE_MAX_CHARS) -> str:
    """At most `limit` characters, cut at a word boundary (marked "…"); a final full stop dropped."""
    sentence = sentence.strip()
    if len(sentence) <= limit:
        return sentence[:-1] if sentence.endswith(".") and not sentence.endswith("..") else sentence
    words = sentence[: limit + 1].split(" ")[:-1]
    while len(words) > 1 and (len(words[-1].strip("“\"‘'")) <= 1 or words[-1].endswith(".")):
        words.pop()  # never end on an initial or an abbreviation ("O.J", "Mr.")
    return " ".join(words).rstrip(" ,;:—–-“\"‘(") + "…"


def lede_text(paragraph: str) -> str:
    """A paragraph without what stands before its first sentence: a dateline, a date, a heading in
    capitals, a one-word label, leading marks."""
    text = _LEADING_JUNK.sub("", outlets.strip_dateline(paragraph.strip()))
    sentence = first_sentence(text)
    while _URL.search(sentence) and len(text) > len(sentence) + 20:  # "Help end this abuse: http://...": a prompt
        text = text[len(sentence):].strip()
        sentence = first_sentence(text)
    heading = _CAPS_HEADING.match(text)
    if heading and any(len(w) >= 4 for w in heading[0].split()):
        text = text[heading.end():]
    label = _RUN_IN_LABEL.match(text)
    if label and len(text) > label.end() + 20:
        text = text[label.end():]
    return text


def why_not_a_lede(paragraph: str, rest: str) -> str | None:
    """Why a title cannot be made from this paragraph, or None if it can."""
    text = paragraph.strip()
    lede = lede_text(text)
    sentence = title_sentence(lede)
    words = sentence.split()
    if len(words) < LEDE_MIN_WORDS:
        return "too short for a sentence of the story"
    if len(text.split()) < PARAGRAPH_MIN_WORDS:
        return "a paragraph too short for a lede: a heading, a name or a label"
    if _NOTE.fullmatch(text):
        return "an editor's note in brackets"
    if not _SENTENCE_END.search(text) and len(text.split()) < PROSE_MIN_WORDS:
        return "no sentence's end: a heading, a list item or a field"
    if _FIELD.match(lede) and len(sentence.split()) < PROSE_MIN_WORDS or len(_FIELDS.findall(sentence)) >= 2:
        return "label: value fields (an info box or a catalogue entry)"
    if _TEASER_END.search(sentence) and len(words) < TEASER_MAX_WORDS:
        return "a teaser cut off by the site"
    if _CAPTION_DATE.search(sentence):
        return "a photo caption (weekday and full date, as wire captions print them)"
    if _PHONE.search(text) or _TO_THE_READER.search(sentence) or len({m.casefold() for m in _PROMPT_TERMS.findall(sentence)}) >= 2:
        return "addressed to the reader (a call to act, a phone number, a note about the page)"
    if len(words) >= 3 and not any(c.islower() for c in sentence):
        return "in capitals throughout: a banner or a reader's question set as a heading"
    if unrelated_to(text, rest):
        return "shares no word with the story, or in another script"
    return None


def inferred_title(paragraphs: list[str]) -> tuple[str, str, str]:
    """(title, origin, note): a title made from the lede's first sentence (origin "inferred"), or a
    headline run into the lede's dateline (origin "text")."""
    texts = [p for p in paragraphs if p.strip()]
    first = next((t for t in texts if len(t.split()) >= 4), texts[0] if texts else "")
    run_on = outlets.headline_before_dateline(first)
    if run_on:  # "'Timecard' App Tracks Workers, Woman Says BAKERSFIELD, Calif. (CN) - A money-transfer ..."
        return run_on, "text", "the headline runs into the dateline on the first line"
    searched = range(min(LEDE_SEARCH, len(texts)))
    verdicts: dict[int, bool] = {}  # paragraphs judged as they are needed: most articles need one or two

    def fits(i: int) -> bool:
        if i not in verdicts:
            verdicts[i] = why_not_a_lede(texts[i], " ".join(texts[i + 1:])) is None
        return verdicts[i]

    # A dateline marks where a wire story starts ("PITTSFIELD — Two men ...", "WASHINGTON (AP) — ..."):
    # what stands above it (a caption, a teaser, an appeal) is not the lede.
    datelined = (t for t in texts[:DATELINE_SEARCH]
                 if _opens_with_dateline(t) and any(texts[j] == t and fits(j) for j in searched))
    chosen = next(datelined, None) or next((texts[i] for i in searched if fits(i)), None)
    note = "no headline in the text: the lede's first sentence"
    if chosen is None:  # nothing reads as the story's prose: the first paragraph of some length in the story's script
        chosen = next((t for i, t in enumerate(texts) if len(t.split()) >= 4
                       and not foreign_script(t, " ".join(texts[:i] + texts[i + 1:]))), first)
        note += " (no paragraph reads as a lede; the first one of some length is used)"
    return shorten(title_sentence(lede_text(chosen))), "inferred", note


def _opens_with_dateline(paragraph: str) -> bool:
    """The paragraph opens with a wire dateline: a place and a dash ("PITTSFIELD —", "Salahuddin, Libya
    (CNN) --") or the source alone in brackets ("(CNN) Kenyan rangers ..."), not a company and its
    ticker ("Advanced Micro Devices (AMD) Chief Executive ...")."""
    text = paragraph.strip()
    rest = outlets.strip_dateline(text)
    if rest == text:
        return False
    prefix = text[: len(text) - len(rest)].strip()
    return prefix.startswith("(") or re.search(r"(?:-|—|–|:|\||>>|»)$", prefix) is not None


def title_sentence(lede: str) -> str:
    """The lede's first sentence; a very short one ("'Timecard'") with the next sentence."""
    sentence = first_sentence(lede)
    if len(sentence.split()) < 4 and len(lede) > len(sentence):
        following = first_sentence(lede[len(sentence):].strip())
        sentence = lede[: len(sentence) + 1 + len(following)] if following else sentence
    return sentence
