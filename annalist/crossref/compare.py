"""Comparing two sentences: the score, shared wording, and where they disagree.

Every weight below is a plain number a reader of docs/crossref.md can follow.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Mapping

from ..text import fold
from .features import Features

# --- score --------------------------------------------------------------------------------
# base = W_OVERLAP * overlap + W_DICE * dice, both IDF-weighted over the sentences' tokens:
#   overlap = shared weight / weight of the lighter sentence: "is the shorter claim contained?"
#   dice    = 2 * shared weight / (weight of both): stops a 4-word sentence matching any long
#             sentence that happens to contain its words.
W_OVERLAP = 0.3
W_DICE = 0.7  # Dice weighs more: same P/R on the seed pairs as 0.5/0.5, ~10% fewer links
BONUS_NUMBER = 0.10  # the same quantity (not a year) on both sides: strong, checkable evidence
BONUS_QUOTE = 0.15  # the same quotation (a run of ≥4 quoted words) on both sides
PENALTY_NUMBER_CONFLICT = 0.30  # both give numbers and none agree: most likely different facts
PENALTY_WEEKDAY_CONFLICT = 0.15  # both name a weekday and none agree: often another event, but
#                                  strong evidence still links them (the day is then a difference)
MIN_SHARED_CONTENT = 2  # shared informative content words, of which one may be a shared number
#                        (entities never count: sharing only names is sharing a topic)
MIN_CONTENT_IDF = math.log(2)  # "informative": the word is in at most 100 sentences (IDF_REFERENCE)
# --- shared wording --------------------------------------------------------------------------
WORDING_GRAM = 3
WORDING_CONTAINMENT = 0.5  # half the shorter sentence's word 3-grams occur in the other, or
WORDING_RUN = 8  # a common run of ≥8 words (entity names count as one word: house-style
#                  substitutions such as "DAESH" for "Islamic State" do not hide agency copy)
NAME_SIMILARITY = 0.75  # above this, two printings of one entity's name are spelling variants


@dataclass(frozen=True)
class Score:
    total: float
    base: float
    shared: tuple[str, ...]  # the shared tokens, heaviest first: the evidence shown to readers
    shared_quote: bool
    number_conflict: bool


def _quantities(f: Features) -> set[str]:
    return {n.value for n in f.numbers if not n.is_year}


def _number_conflict(a: Features, b: Features) -> bool:
    """Both give quantities and none agree (years compared only when neither has a quantity)."""
    qa, qb = _quantities(a), _quantities(b)
    if not (qa and qb):
        qa = {n.value for n in a.numbers if n.is_year}
        qb = {n.value for n in b.numbers if n.is_year}
    return bool(qa and qb and not qa & qb)


def score(a: Features, b: Features, idf: Mapping[str, float]) -> Score | None:
    """How strongly `a` and `b` report the same fact; None if the evidence is too thin."""
    shared = a.tokens & b.tokens
    informative = [t for t in shared & a.content if idf.get(t, 0.0) >= MIN_CONTENT_IDF]
    shared_quote = bool(a.quote_grams & b.quote_grams)
    shared_quantities = _quantities(a) & _quantities(b)  # a shared year is too weak to count
    evidence_count = len(informative) + min(1, len(shared_quantities))
    if (not informative or evidence_count < MIN_SHARED_CONTENT) and not shared_quote:
        return None
    weight_a = sum(idf.get(t, 0.0) for t in a.tokens)
    weight_b = sum(idf.get(t, 0.0) for t in b.tokens)
    weight_shared = sum(idf.get(t, 0.0) for t in shared)
    if min(weight_a, weight_b) <= 0:
        return None
    overlap = weight_shared / min(weight_a, weight_b)
    dice = 2 * weight_shared / (weight_a + weight_b)
    base = W_OVERLAP * overlap + W_DICE * dice
    conflict = _number_conflict(a, b) and not shared_quote  # a shared quotation outweighs it
    total = base
    total += BONUS_NUMBER if shared_quantities else 0.0
    total += BONUS_QUOTE if shared_quote else 0.0
    total -= PENALTY_NUMBER_CONFLICT if conflict else 0.0
    total -= PENALTY_WEEKDAY_CONFLICT if a.weekdays and b.weekdays and not a.weekdays & b.weekdays else 0.0
    evidence = tuple(sorted(shared, key=lambda t: (-idf.get(t, 0.0), t)))
    return Score(round(total, 4), round(base, 4), evidence, shared_quote, conflict)


# --- shared wording --------------------------------------------------------------------------
def _grams(words: tuple[str, ...], n: int) -> set[tuple[str, ...]]:
    return {words[i : i + n] for i in range(len(words) - n + 1)}


def _longest_run(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    match = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
    return match.size


def shared_wording(a: Features, b: Features) -> bool:
    """Near-verbatim: one text is (largely) a copy of the other, so not independent."""
    grams_a, grams_b = _grams(a.words, WORDING_GRAM), _grams(b.words, WORDING_GRAM)
    smaller = min(len(grams_a), len(grams_b))
    if smaller and len(grams_a & grams_b) / smaller >= WORDING_CONTAINMENT:
        return True
    return _longest_run(a.words, b.words) >= WORDING_RUN


# --- differences ---------------------------------------------------------------------------
def _number_differences(here: Features, other: Features) -> list[str]:
    """Numbers: the same value given with different precision, or different values."""
    out = []
    mine = {n.value: n for n in here.numbers}
    theirs = {n.value: n for n in other.numbers}
    for value in sorted(mine.keys() & theirs.keys()):
        if mine[value].hedge != theirs[value].hedge:
            out.append(f'says "{theirs[value].surface}" (here: "{mine[value].surface}")')
    lonely_mine = [n for n in here.numbers if n.value not in theirs and not n.is_year]
    lonely_theirs = [n for n in other.numbers if n.value not in mine and not n.is_year]
    if len(lonely_mine) == 1 and len(lonely_theirs) == 1:  # only then is the pairing certain
        out.append(f'says "{lonely_theirs[0].surface}" (here: "{lonely_mine[0].surface}")')
    return out


def _squash(name: str) -> str:
    return "".join(ch for ch in fold(name).lower() if ch.isalnum())


def _spelling_variant(mine: str, theirs: str) -> bool:
    a, b = _squash(mine), _squash(theirs)
    if a == b or not a or not b or a[0] != b[0] or mine.isupper() or theirs.isupper():
        return False  # same letters, or an acronym/alias (ISIS vs DAESH) rather than a spelling
    if a.startswith(b) or b.startswith(a):
        return False  # "Syria" and "Syrian": a derived form, not another spelling
    words_a, words_b = set(fold(mine).lower().split()), set(fold(theirs).lower().split())
    if words_a <= words_b or words_b <= words_a:
        return False  # "Assad" and "Bashar al-Assad": a shorter form, not another spelling
    return SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY


def _name_differences(here: Features, other: Features) -> list[str]:
    out = []
    theirs = dict(other.names)
    for entity, surfaces in here.names:
        for mine in surfaces:
            for their in theirs.get(entity, ()):
                if _spelling_variant(mine, their):
                    out.append(f'spells the name "{their}" (here: "{mine}")')
    return out


def _weekday_differences(here: Features, other: Features) -> list[str]:
    if here.weekdays and other.weekdays and here.weekdays != other.weekdays:
        theirs = " and ".join(d.title() for d in sorted(other.weekdays - here.weekdays))
        mine = " and ".join(d.title() for d in sorted(here.weekdays - other.weekdays))
        if theirs and mine:
            return [f"says {theirs} (here: {mine})"]
    return []


def differences(here: Features, other: Features) -> tuple[str, ...]:
    """Plain-English disagreements, from the point of view of `here`: what the other says."""
    found = _number_differences(here, other) + _name_differences(here, other)
    found += _weekday_differences(here, other)
    return tuple(dict.fromkeys(found))
