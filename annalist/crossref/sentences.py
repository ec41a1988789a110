"""Sentence splitting with offsets into the original paragraph text."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

import pysbd
from pysbd.lang.english import English
from pysbd.lists_item_replacer import ListItemReplacer
from pysbd.processor import Processor
from pysbd.utils import Text, TextSpan

from ..model import Paragraph, Sentence
from ..text import fold

# A full stop, ! or ? (maybe closed by quotes/brackets) followed by space and more text: only
# paragraphs with such a place can hold more than one sentence. Others skip pysbd (it is slow).
_POSSIBLE_BREAK = re.compile(r"[.!?][\"')\]]*\s+\S")


# pysbd 0.3.4, the same sentences, less work. Two of its steps cost far more than what they do:
# - it finds each sentence again in the paragraph with a regular expression made from that
#   sentence (re.escape(sentence) + r"\s*"), one new pattern per sentence, which also flushes
#   Python's cache of compiled patterns that the rest of pysbd relies on;
# - for each of its 188 abbreviations found anywhere in the lower-cased line ("no" is in "not")
#   it runs a case-insensitive findall for the abbreviation at the start of a word.
# _Segmenter does the first with str.find and skips the second's findall where it provably finds
# nothing; everything else is pysbd's own code. tests/test_crossref.py checks that the sentences
# are identical to pysbd's on every paragraph of the seeds and corpora.


class _AbbreviationReplacer(English.AbbreviationReplacer):
    def search_for_abbreviations_in_string(self, text):
        # pysbd's loop, with two shortcuts for an abbreviation of letters only, taken when no
        # letter outside ASCII could match an ASCII letter under IGNORECASE (the Kelvin sign, the
        # long s...; such lines go to pysbd's own code), so that lower() compares as re does:
        # - r"(?:^|\s|\r|\n)abbr" (IGNORECASE) matches exactly where a whitespace-separated
        #   token starts with the abbreviation: a set look-up;
        # - each replacement (scan_for_replacements) turns into "∯" only a "." that follows the
        #   abbreviation: with no "abbr." in the line, none of them changes anything.
        # Replacements only turn "." into "∯" (no letter, no whitespace), so both tests, made on
        # the line as it came, stay true while it is rewritten.
        if not text.isascii() and any(c.isalpha() for c in set(text) if not c.isascii()):
            return super().search_for_abbreviations_in_string(text)
        lowered = text.lower()
        words: list[str] | None = None  # the line's tokens, sorted: those starting with a prefix are together
        # what comes before each "." of the line, 1 to _LONGEST characters of it: an abbreviation
        # of letters is followed by "." somewhere in the line exactly when it is one of these (a
        # few slices, where testing each of the 181 in turn searched the line 181 times)
        before_stop = {lowered[at - n:at] for at in _stops(lowered) for n in range(1, min(at, _LONGEST) + 1)}
        for stripped, letters in _ABBREVIATIONS:
            if letters:
                if stripped not in before_stop:
                    continue  # no "abbr." in the line (so nothing for the replacements to change)
                if words is None:
                    words = sorted(lowered.split())
                at = bisect_left(words, stripped)
                if at == len(words) or not words[at].startswith(stripped):
                    continue  # findall would find nothing
            elif stripped not in lowered:
                continue
            abbrev_match = re.findall(r"(?:^|\s|\r|\n){}".format(stripped), text, flags=re.IGNORECASE)
            if not abbrev_match:
                continue
            next_word_start = r"(?<={" + str(re.escape(stripped)) + "} ).{1}"
            char_array = re.findall(next_word_start, text)
            for ind, match in enumerate(abbrev_match):
                text = self.scan_for_replacements(text, match, ind, char_array)
        return text


# pysbd's abbreviations in its order, stripped, and whether each is of letters only
_ABBREVIATIONS = tuple((a.strip(), a.strip().isalpha()) for a in English.Abbreviation.ABBREVIATIONS)
_LONGEST = max(len(a) for a, letters in _ABBREVIATIONS if letters)


def _stops(text: str):
    """The offsets of every "." in text."""
    at = text.find(".")
    while at >= 0:
        yield at
        at = text.find(".", at + 1)


# A lower-case letter before a full stop; a digit before a full stop; a digit before ")".
_LETTER_PERIOD = re.compile(r"[a-z](?=\.)")
_DIGIT_PERIOD = re.compile(r"\d\.")
_DIGIT_PAREN = re.compile(r"\d\)")


class _ListItemReplacer(ListItemReplacer):
    """pysbd's, skipping a list pattern's findall where a plain test shows it finds nothing (and
    pysbd's loop over what it found then changes nothing). The list patterns try alternatives of
    look-behinds at every character of every paragraph; lists are rare in news text."""

    def iterate_alphabet_array(self, regex, parens=False, roman_numeral=False):
        text = self.text
        if regex == self.ALPHABETICAL_LIST_WITH_PARENS and ")" not in text:
            return text  # every alternative ends before a ")"
        if regex == self.ALPHABETICAL_LIST_WITH_PERIODS and not any(
                m.start() == 0 or text[m.start() - 1].isspace() for m in _LETTER_PERIOD.finditer(text)):
            return text  # it finds a letter before a ".", at the start or after whitespace (\s: str.isspace)
        return super().iterate_alphabet_array(regex, parens, roman_numeral)

    def scan_lists(self, regex1, regex2, replacement, strip=False):
        if regex1 == self.NUMBERED_LIST_REGEX_1 and not _DIGIT_PERIOD.search(self.text):
            return  # every alternative is a number before a "."
        if regex1 == self.NUMBERED_LIST_PARENS_REGEX and not _DIGIT_PAREN.search(self.text):
            return  # a number before a ")"
        super().scan_lists(regex1, regex2, replacement, strip)


class _Processor(Processor):
    def process(self):
        """pysbd 0.3.4's Processor.process, with _ListItemReplacer."""
        if not self.text:
            return self.text
        self.text = self.text.replace('\n', '\r')
        li = _ListItemReplacer(self.text)
        self.text = li.add_line_break()
        self.replace_abbreviations()
        self.replace_numbers()
        self.replace_continuous_punctuation()
        self.replace_periods_before_numeric_references()
        self.text = Text(self.text).apply(
            self.lang.Abbreviation.WithMultiplePeriodsAndEmailRule,
            self.lang.GeoLocationRule, self.lang.FileFormatRule)
        postprocessed_sents = self.split_into_segments()
        return postprocessed_sents


class _English(English):
    AbbreviationReplacer = _AbbreviationReplacer
    Processor = _Processor


def _required(pattern) -> str:
    """Characters every match of `pattern` contains (its literals outside any alternative,
    repetition or look-around); "" when there are none or when unsure (flags, a compiled pattern,
    a parser that is not CPython's)."""
    try:
        from re import _constants, _parser  # CPython's own pattern parser (3.11+)

        if not isinstance(pattern, str):
            return ""
        parsed = _parser.parse(pattern, 0)
        if parsed.state.flags & (re.IGNORECASE | re.VERBOSE | re.ASCII):
            return ""
        found: set[str] = set()

        def walk(items) -> None:
            for op, value in items:
                if op is _constants.LITERAL:
                    found.add(chr(value))
                elif op is _constants.SUBPATTERN and not value[1]:  # a group without flags of its own
                    walk(value[3])

        walk(parsed)
        return "".join(sorted(found))
    except Exception:
        return ""


_REQUIRED: dict[int, tuple[object, str]] = {}  # id(rule) → (rule, what its pattern requires)


def _apply(self, *rules):
    """pysbd's Text.apply (re.sub of each rule in turn), skipping a rule whose pattern requires a
    character the text lacks: such a sub finds nothing and returns the text as it was. Most of
    pysbd's ~180 substitutions a paragraph are of rare characters (its placeholders, brackets)."""
    for rule in rules:
        kept = _REQUIRED.get(id(rule))
        if kept is None or kept[0] is not rule:
            kept = _REQUIRED[id(rule)] = (rule, _required(rule.pattern))
        for c in kept[1]:
            if c not in self:
                break
        else:
            self = re.sub(rule.pattern, rule.replacement, self)
    return self


_PYSBD_APPLY = Text.apply  # pysbd's own (tests/test_crossref.py compares with it)
Text.apply = _apply  # pysbd builds a Text and applies rules at 38 places; the same results (tests/test_crossref.py)


class _Segmenter(pysbd.Segmenter):
    def __init__(self) -> None:
        super().__init__(language="en", clean=False)
        self.language_module = _English

    def sentences_with_char_spans(self, sentences):
        """pysbd's: each sentence with the whitespace after it, searched from the start of the text
        (matches do not overlap), the first that ends after the previous one; by str.find."""
        text = self.original_text
        spans, prior_end = [], 0
        for sent in sentences:
            if not sent:  # an empty pattern matches everywhere: leave it to pysbd
                return super().sentences_with_char_spans(sentences)
            pos = 0
            while (at := text.find(sent, pos)) >= 0:
                end = at + len(sent)
                while end < len(text) and text[end].isspace():  # r"\s*": re's \s is str.isspace
                    end += 1
                if end > prior_end:
                    spans.append(TextSpan(text[at:end], at, end))
                    prior_end = end
                    break
                pos = end
        return spans


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return _Segmenter()


def _spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, whitespace stripped, found in order.

    pysbd is run on the folded text (same length, straight quotes, plain spaces), which it
    handles better; each segment is then located from a moving cursor, so offsets are exact.
    """
    folded = fold(text)
    if not _POSSIBLE_BREAK.search(folded.strip()):
        segments = [folded]
    else:
        segments = _segmenter().segment(folded)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for segment in segments:
        piece = segment.strip()
        if not piece:
            continue
        at = folded.find(piece, cursor)
        if at < 0:  # pysbd altered the text: give the rest of the paragraph as one sentence
            rest = folded[cursor:]
            at = cursor + len(rest) - len(rest.lstrip())
            spans.append((at, len(folded.rstrip())))
            return [s for s in spans if s[1] > s[0]]
        spans.append((at, at + len(piece)))
        cursor = at + len(piece)
    return spans


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    # fold() maps non-breaking spaces to " ", so str.strip on the folded text already covered
    # them; this handles any other whitespace left in the original.
    while start < end and (text[start].isspace() or fold(text[start]) == " "):
        start += 1
    while end > start and (text[end - 1].isspace() or fold(text[end - 1]) == " "):
        end -= 1
    return start, end


def split_sentences(article_id: str, paragraph: Paragraph) -> tuple[Sentence, ...]:
    """The sentences of one paragraph; offsets index `paragraph.text` itself."""
    sentences = []
    for start, end in _spans(paragraph.text):
        start, end = _strip_span(paragraph.text, start, end)
        if end > start:
            text = paragraph.text[start:end]
            sentences.append(Sentence(article_id, paragraph.n, start, end, text))
    return tuple(sentences)
