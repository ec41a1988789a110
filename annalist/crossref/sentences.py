"""Sentence splitting with offsets into the original paragraph text."""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from ..model import Paragraph, Sentence
from ..text import fold

# A full stop, ! or ? (maybe closed by quotes/brackets) followed by space and more text: only
# paragraphs with such a place can hold more than one sentence. Others skip pysbd (it is slow).
_POSSIBLE_BREAK = re.compile(r"[.!?][\"')\]]*\s+\S")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


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
