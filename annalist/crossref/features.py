"""What a sentence offers as evidence for alignment: tokens a reader can check.

Tokens are of three kinds, kept apart by a prefix:
  "palmyra", "~kill"   content words (stemmed; ~ marks a paraphrase class, see lexicon.py)
  "E:islamic-state"    a canonical entity id from the mentions (DAESH, ISIS and IS all give this)
  "N:400"              a number, normalised ("3,650" → 3650)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..model import Mention, Sentence
from ..text import fold
from .lexicon import WORD_RE, content_token, is_stop, phrase_token

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBER_RE = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
# Words that make a number approximate or a bound. Two reports of "400" with different hedges
# agree on the number but not on its precision: that is reported as a difference.
HEDGE_RE = re.compile(
    r"(at least|at most|around|about|approximately|roughly|nearly|almost|more than|over|"
    r"fewer than|less than|up to|some|an estimated|as many as|just over|just under|under)\s+$"
)
QUOTE_RES = (re.compile(r'"([^"]+)"'), re.compile(r"(?<![A-Za-z])'([^']+)'(?![A-Za-z])"))
QUOTE_GRAM = 4  # a shared quotation: the same run of at least 4 words inside quotes on both sides


@dataclass(frozen=True)
class Number:
    value: str  # normalised: "3650", "1.13"
    surface: str  # as printed, with its hedge: "at least 400"
    hedge: str  # "" when the number is given plainly
    is_year: bool


@dataclass(frozen=True)
class Features:
    sentence: Sentence
    tokens: frozenset[str]  # content ∪ entities ∪ numbers: what IDF and the index see
    content: frozenset[str]  # content-word tokens only
    names: tuple[tuple[str, tuple[str, ...]], ...]  # entity id → surfaces as printed
    numbers: tuple[Number, ...]
    weekdays: frozenset[str]
    quote_grams: frozenset[tuple[str, ...]]
    words: tuple[str, ...]  # lower-cased running words, entity mentions as "E:<id>" (wording)


def _number(folded: str, match: re.Match[str]) -> Number:
    whole = match.group(1).replace(",", "")
    value = whole + (match.group(2) or "")
    value = value.rstrip("0").rstrip(".") if "." in value else value
    hedge_match = HEDGE_RE.search(folded[max(0, match.start() - 20) : match.start()].lower())
    hedge = hedge_match.group(1) if hedge_match else ""
    surface = f"{hedge} {match.group(0)}".strip()
    is_year = match.group(2) is None and len(whole) == 4 and 1800 <= int(whole) <= 2100
    return Number(value, surface, hedge, is_year)


def _quote_grams(folded: str) -> frozenset[tuple[str, ...]]:
    grams: set[tuple[str, ...]] = set()
    spans = [m.group(1) for r in QUOTE_RES for m in r.finditer(folded)]
    if folded.count('"') % 2 == 1:  # a quotation opened or closed in another sentence
        at = folded.index('"')
        spans.append(folded[at + 1 :] if at < len(folded) / 2 else folded[:at])
    for span in spans:
        words = [w.lower() for w in WORD_RE.findall(span)]
        for i in range(len(words) - QUOTE_GRAM + 1):
            gram = tuple(words[i : i + QUOTE_GRAM])
            if sum(not is_stop(w) for w in gram) >= 2:
                grams.add(gram)
    return frozenset(grams)


def _local_mentions(sentence: Sentence, mentions: Sequence[Mention]) -> list[Mention]:
    return [
        m
        for m in mentions
        if m.paragraph == sentence.paragraph and m.start >= sentence.start and m.end <= sentence.end
    ]


def _running_words(folded: str, local: list[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """(position, word) for words and entity placeholders, in reading order."""
    out: list[tuple[int, str]] = [(start, f"E:{entity}") for start, _, entity in local]
    for m in re.finditer(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'\-]*|\d[\d,.]*", folded):
        if not any(start <= m.start() < end for start, end, _ in local):
            out.append((m.start(), m.group(0).strip("'.,-")))
    return sorted(out)


def _content(words: list[str]) -> set[str]:
    """Content tokens of the running words (case kept: "May" the month is not "may")."""
    plain = [w for w in words if not w.startswith("E:") and not w[0].isdigit()]
    tokens = {t for w in plain for part in w.split("-") if part for t in [content_token(part)] if t}
    tokens.update(t for a, b in zip(plain, plain[1:]) for t in [phrase_token(a, b)] if t)
    return tokens


def extract(sentence: Sentence, mentions: Sequence[Mention]) -> Features:
    """Features of one sentence; `mentions` may be all of the article's mentions."""
    folded = fold(sentence.text)
    local = _local_mentions(sentence, mentions)
    spans = [(m.start - sentence.start, m.end - sentence.start, m.entity) for m in local]
    running = _running_words(folded, spans)
    content = _content([w for _, w in running])
    numbers = tuple(_number(folded, m) for m in NUMBER_RE.finditer(folded))
    names: dict[str, set[str]] = {}
    for m in local:
        names.setdefault(m.entity, set()).add(m.text)
    tokens = content | {f"E:{e}" for e in names} | {f"N:{n.value}" for n in numbers}
    return Features(
        sentence=sentence,
        tokens=frozenset(tokens),
        content=frozenset(content),
        names=tuple(sorted((e, tuple(sorted(s))) for e, s in names.items())),
        numbers=numbers,
        weekdays=frozenset(w.lower() for _, w in running if w.lower() in WEEKDAYS),
        quote_grams=_quote_grams(folded),
        words=tuple(w if w.startswith("E:") else w.lower() for _, w in running),
    )
