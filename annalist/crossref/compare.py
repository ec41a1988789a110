"""Comparing two sentences: the score, shared wording, and where they disagree.

Every weight below is a plain number a reader of docs/crossref.md can follow.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Mapping, Sequence

from ..text import fold
from ..model import Difference
from .features import WEEKDAYS, Features, Number
from .lexicon import IRREGULAR, MEASURE_UNITS, MONTHS, content_token, is_stop, stem

# --- score --------------------------------------------------------------------------------
# Evidence, each a number between 0 and 1 that a reader can recompute from the shared tokens:
#   weighted  0.3 × overlap + 0.7 × Dice over token weights (IDF in this archive × generality):
#             overlap = "is the shorter claim contained?", Dice stops a 4-word sentence matching
#             any long sentence that happens to contain its words
#   plain     Dice over generality factors alone (no IDF): the story's own words count too, so a
#             story's main claim ("Ellen DeGeneres to host the Oscars") can link to its restatements
#   specific  shared entities, names and quantities (1/3 each, at most 1)
#   rare      shared rare words (1/3 each, at most 1)
#   quantity  1 when a quantity agrees with one that counts the same thing
#   quote     1 when both contain the same quotation (a run of ≥4 quoted words)
#   cosine    sentence-embedding similarity (only with the optional semantic extra)
# The score is a logistic combination of these, fitted on public labelled pairs (calibrate.py);
# the weights and the threshold live in calibration.json. A number that disagrees is not
# evidence against a link: two reports of one fact with different figures are a disagreement.
W_OVERLAP = 0.3
W_DICE = 0.7
MIN_SHARED_CONTENT = 2  # shared informative tokens (content words or a quantity)
MIN_CONTENT_IDF = math.log(1.5)  # "informative": in at most 200 sentences (IDF_REFERENCE = 100)
MIN_SHARED_RARE = 2  # without a shared entity, name or quantity: two shared rare words at least
SPECIFIC_SATURATION = 3
COMPARABLE_FACTOR = 0.3  # context words as common as "people" do not say what a number counts
# --- shared wording --------------------------------------------------------------------------
WORDING_GRAM = 3
WORDING_CONTAINMENT = 0.5  # half the shorter sentence's word 3-grams occur in the other, or
WORDING_RUN = 8  # a common run of ≥8 words (entity names count as one word: house-style
#                  substitutions such as "DAESH" for "Islamic State" do not hide agency copy)
NAME_SIMILARITY = 0.75  # above this, two printings of one entity's name are spelling variants

EVIDENCE = ("weighted", "plain", "specific", "rare", "quantity", "quote")


@dataclass(frozen=True)
class Score:
    total: float
    evidence: tuple[tuple[str, float], ...]  # EVIDENCE name → value
    shared: tuple[str, ...]  # the shared tokens, heaviest first: the evidence shown to readers
    shared_quote: bool


def comparable(a: Number, b: Number) -> bool:
    """Do two numbers count (or date) the same thing? Same kind, and the words around them share
    something other than a unit of measure or a word as common as "people"."""
    if a.kind != b.kind or a.kind == "year":
        return False
    if a.unit != b.unit and (a.unit in MEASURE_UNITS or b.unit in MEASURE_UNITS):
        return False  # "three weeks" and "three months", "14 mph" and "14 km": not one measure
    shared = {t for t in a.context & b.context if t not in MEASURE_UNITS}
    if a.unit and a.unit == b.unit and a.unit not in MEASURE_UNITS:
        shared.add(a.unit)
    return any(generality_factor_of(t) > COMPARABLE_FACTOR for t in shared)


def generality_factor_of(token: str) -> float:
    if token.startswith(("E:", "N:", "~")):
        return 1.0
    from .features import generality_factor

    return generality_factor(token)


def _agreeing_quantity(a: Features, b: Features) -> bool:
    return any(
        x.value == y.value and comparable(x, y)
        for x in a.numbers for y in b.numbers if x.kind == y.kind == "quantity"
    )


def evidence(a: Features, b: Features, idf: Mapping[str, float],
             gate: bool = True) -> tuple[dict[str, float], tuple[str, ...]] | None:
    """The evidence that `a` and `b` report the same fact; None if it is too thin to say (with
    `gate` False: the same numbers, whatever the gate says)."""
    shared = a.tokens & b.tokens
    informative = [t for t in shared if not t.startswith("E:") and idf.get(t, 0.0) >= MIN_CONTENT_IDF]
    shared_quote = bool(a.quote_grams & b.quote_grams)
    specific = shared & a.specific & b.specific
    rare = shared & a.rare & b.rare
    if gate and not shared_quote and (len(informative) < MIN_SHARED_CONTENT or not (specific or len(rare) >= MIN_SHARED_RARE)):
        return None
    fa = dict(a.generality)
    fb = dict(b.generality)

    def weight(t: str, f: dict[str, float]) -> float:
        return idf.get(t, 0.0) * f.get(t, 1.0)

    # sums in sorted order: float addition is not associative, and set order varies by process
    weight_a = math.fsum(weight(t, fa) for t in sorted(a.tokens))
    weight_b = math.fsum(weight(t, fb) for t in sorted(b.tokens))
    weight_shared = math.fsum(min(weight(t, fa), weight(t, fb)) for t in sorted(shared))
    if min(weight_a, weight_b) <= 0:
        return None
    plain_a = math.fsum(fa.get(t, 1.0) for t in sorted(a.tokens))
    plain_b = math.fsum(fb.get(t, 1.0) for t in sorted(b.tokens))
    plain_shared = math.fsum(min(fa.get(t, 1.0), fb.get(t, 1.0)) for t in sorted(shared))
    values = {
        "weighted": W_OVERLAP * weight_shared / min(weight_a, weight_b) + W_DICE * 2 * weight_shared / (weight_a + weight_b),
        "plain": 2 * plain_shared / (plain_a + plain_b),
        "specific": min(len(specific), SPECIFIC_SATURATION) / SPECIFIC_SATURATION,
        "rare": min(len(rare), SPECIFIC_SATURATION) / SPECIFIC_SATURATION,
        "quantity": 1.0 if _agreeing_quantity(a, b) else 0.0,
        "quote": 1.0 if shared_quote else 0.0,
    }
    order = tuple(sorted(shared, key=lambda t: (-idf.get(t, 0.0), t)))
    return values, order


def combine(values: Mapping[str, float], model: Mapping) -> float:
    """The calibrated logistic combination: 1 / (1 + exp(-(bias + Σ weight × evidence)))."""
    z = model["bias"] + math.fsum(model["weights"][k] * values.get(k, 0.0) for k in sorted(model["weights"]))
    return 1.0 / (1.0 + math.exp(-z))


def score(a: Features, b: Features, idf: Mapping[str, float], model: Mapping | None = None,
          cosine: float | None = None) -> Score | None:
    """How strongly `a` and `b` report the same fact (0–1); None if the evidence is too thin."""
    found = evidence(a, b, idf)
    if found is None:
        return None
    values, shared = found
    if cosine is not None:
        values["cosine"] = cosine
    if model is None:
        from . import CALIBRATION

        model = CALIBRATION["lexical"]
    total = combine(values, model)
    return Score(round(total, 4), tuple(sorted((k, round(v, 4)) for k, v in values.items())), shared, values["quote"] > 0)


# --- same event ------------------------------------------------------------------------------
# A looser relation than the same claim: both sentences report the same event of the story (the
# arrest, the check-in at a clinic), perhaps stating different facts about it. Evidence, each 0–1:
#   weighted  as above
#   shared    shared informative tokens, 1/EVENT_SATURATION each, at most 1
#   specific  as above
#   quantity  as above
#   affinity  how alike the two *articles* are (cosine of their token weights within the story):
#             two reports of one event share its participants, places and numbers throughout,
#             two events of one kind grouped into one story (two rehab stays) share far less
#   known     1 − the share of each sentence's names that the other's whole article never uses:
#             a second report of an event names its participants too ("Betty Ford" against
#             "Cliffside" is another clinic, so another stay)
# Gate: at least EVENT_MIN_SHARED shared informative tokens, one of them used by at least two
# articles of the story and not a common word (generality factor ≥ EVENT_MIN_FACTOR); a shared
# name, entity, quantity or rare word, so that news furniture ("JUST WATCHED ... Replay More
# Videos") cannot carry an event link; a shared event word, one that a sentence uses as a verb
# ("recaptured" / "the recapture of"), so that two sentences sharing only the story's place or
# people do not; and no date of the same thing given differently (another day: another event).
EVENT_EVIDENCE = ("weighted", "shared", "specific", "quantity", "affinity", "known")
EVENT_MIN_SHARED = 2
EVENT_SATURATION = 6
EVENT_MIN_FACTOR = 0.6


@dataclass(frozen=True)
class StoryWords:
    """What the story as a whole says: per token, how many of its articles use it, and per
    article its token weights (for article affinity)."""

    articles: int
    article_frequency: Mapping[str, int]
    vectors: Mapping[str, Mapping[str, float]]  # article id → token → weight
    norms: Mapping[str, float]

    @classmethod
    def of(cls, features: "Sequence[Features]", idf: Mapping[str, float]) -> "StoryWords":
        counts: dict[str, dict[str, int]] = {}
        for f in features:
            own = counts.setdefault(f.sentence.article, {})
            for t in f.tokens:
                own[t] = own.get(t, 0) + 1
        frequency: dict[str, int] = {}
        for own in counts.values():
            for t in own:
                frequency[t] = frequency.get(t, 0) + 1
        # a token's weight in an article: its IDF in the story × occurrences (at most 3)
        vectors = {a: {t: min(n, 3) * idf.get(t, 0.0) for t, n in own.items()} for a, own in counts.items()}
        norms = {a: math.sqrt(math.fsum(v * v for _, v in sorted(vec.items()))) for a, vec in vectors.items()}
        return cls(len(counts), frequency, vectors, norms)

    def affinity(self, a: str, b: str) -> float:
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        if not self.norms.get(a) or not self.norms.get(b):
            return 0.0
        if len(vb) < len(va):
            va, vb = vb, va
        dot = math.fsum(w * vb[t] for t, w in sorted(va.items()) if t in vb)
        return dot / (self.norms[a] * self.norms[b])


def event_evidence(a: Features, b: Features, idf: Mapping[str, float], story: StoryWords,
                   affinity: float) -> dict[str, float] | None:
    """The evidence that `a` and `b` report the same event of the story; None if too thin."""
    shared = a.tokens & b.tokens
    informative = sorted(t for t in shared if not t.startswith("E:") and idf.get(t, 0.0) >= MIN_CONTENT_IDF)
    if len(informative) < EVENT_MIN_SHARED:
        return None
    fa, fb = dict(a.generality), dict(b.generality)
    anchors = [t for t in informative if story.article_frequency.get(t, 0) >= 2
               and min(fa.get(t, 1.0), fb.get(t, 1.0)) >= EVENT_MIN_FACTOR]
    if not anchors or not (shared & _specific(a) & _specific(b) or shared & a.rare & b.rare):
        return None  # nothing specific or rare in common: furniture ("JUST WATCHED ... Replay")
    happened = _event_words(a) & _stems(b) | _event_words(b) & _stems(a)
    if not happened:
        return None  # no shared event word: the same place or people, doing something else
    if not any(_same_actors(a, b, word) for word in happened):
        return None  # "Russia was pulling out forces" / "the IS force had pulled out": two events
    if _dates_clash(a, b):
        return None  # "recaptured the citadel on Friday" / "recaptured the city on Sunday": two events
    found = evidence(a, b, idf, gate=False)
    if found is None:
        return None
    values, _ = found
    return {
        "weighted": values["weighted"],
        "shared": min(len(informative), EVENT_SATURATION) / EVENT_SATURATION,
        "specific": min(len(shared & _specific(a) & _specific(b)), SPECIFIC_SATURATION) / SPECIFIC_SATURATION,
        "quantity": values["quantity"],
        "affinity": round(affinity, 4),
        "known": round(1.0 - _foreign(a, b, story), 4),
    }


def _dates_clash(a: Features, b: Features) -> bool:
    """Do they date the same thing (a weekday, a day of the month) differently?"""
    return any(x.value != y.value and comparable(x, y) for x in a.numbers for y in b.numbers
               if x.kind == y.kind and x.kind in ("day", "weekday"))


def _event_words(f: Features) -> frozenset[str]:
    """Stems of the words a sentence uses as verbs ("recaptured", "checking", "fell"): what
    happened. Two reports of one event share the word ("recaptured" / "the recapture of"), two
    sentences of a story that only share its place or people ("advanced into Palmyra" / "Palmyra's
    amphitheatre") do not. The word itself, not its paraphrase class: "civilians began fleeing"
    and "the militants retreated" are two things that happened."""
    return _event_words_of(f.words)


@lru_cache(maxsize=4096)  # a sentence is compared with many others of its story: once per sentence
def _event_words_of(words: tuple[str, ...]) -> frozenset[str]:
    out = set()
    for k, w in enumerate(words):
        if w.startswith("E:") or not w[:1].isalpha():
            continue
        verb = (w in IRREGULAR and w not in IRREGULAR_NOT_VERBS) or (len(w) > 4 and w.endswith("ed"))
        if len(w) > 5 and w.endswith("ing"):
            # "are defusing", "began fleeing after", "seeking to": a verb; "monitoring group",
            # "the fighting": a noun or an adjective
            after = words[k + 1] if k + 1 < len(words) else ""
            verb = (k > 0 and words[k - 1] in AUXILIARIES) or not after or (is_stop(after) and after not in ("of",))
        if verb and content_token(w):
            out.add(stem(w))
    return frozenset(out)


def _actors(f: Features, word: str) -> set[str]:
    """Who the sentence says did what the event word (stem `word`) names, as names: the run of
    names nearest before each use of it, up to a clause boundary ("Iraq's army since it
    collapsed": a pronoun stands for the nearest name before it, else the first after it), not
    a place after a preposition ("in Texas"), nor a weekday or month; for "X, a ... who ...,
    has died" the names before the first comma; and the agent right after a "by" ("the
    recapture of Palmyra by Syrian forces", "backed by Russian airstrikes"). A passive use ("was
    fatally shot") names whom it happened to, not who did it: only its "by" agent counts. A Title
    Case headline names no actor (every word is capitalised)."""
    text = f.sentence.text
    if _title_case(text):
        return set()
    names = {t for t in _names(f) if not t.startswith("~") and t not in NOT_ACTORS and "'" not in t}
    words = f.words

    def name(w: str) -> str | None:
        if w.startswith("E:"):
            return w
        token = content_token(w) if w[:1].isalpha() else None
        return token if token in names else None

    def names_in(part: str) -> set[str]:
        found = {content_token(w.lower()) for w in _LETTERS_RE.findall(part)} & names
        return found | {f"E:{e}" for e, surfaces in f.names if any(s in part for s in surfaces)}

    out: set[str] = set()
    for k, w in enumerate(words):
        if w.startswith("E:") or not w[:1].isalpha() or stem(w) != word:
            continue
        at = re.search(r"(?i)(?<![A-Za-z])" + re.escape(w) + r"(?![A-Za-z])", text)
        if at and "," in text[:at.start()] and _AFTER_APPOSITION_RE.search(text[:at.start()]):
            out |= names_in(text[:text.index(",")])  # "Fred LaRue, a Nixon aide who ..., has died"
            continue
        before = [x for x in words[max(k - 2, 0):k] if not x.endswith("ly")]
        passive = bool(before) and before[-1] in BE and not w.endswith("ing")
        found: set[str] = set()
        for j in range(-1 if passive else k - 1, max(k - 1 - ACTOR_WINDOW, -1), -1):
            x = words[j]
            if x in CLAUSE_BOUNDARIES:
                break
            if actor := name(x):
                found.add(actor)
                continue
            if found:
                if x in PREPOSITIONS:
                    found = set()  # "in Texas", "of Queens": where, not who
                    continue
                break
            if x in PRONOUNS:
                earlier = [n for n in map(name, words[:j]) if n]
                later = [n for n in map(name, words[k + 1:]) if n]
                found |= {earlier[-1]} if earlier else {later[0]} if later else set()
                break
        out |= found
        after = words[k + 1:k + 1 + AGENT_BY_WITHIN]
        if "by" in after:
            out |= {n for n in map(name, words[k + 2 + after.index("by"):][:AGENT_AFTER_BY]) if n}
    return out


def _objects(f: Features, word: str) -> set[str]:
    """What the sentence says the event word (stem `word`) was done to, as names: the first run of
    names among the OBJECT_WINDOW words after each use of it, up to a clause boundary or a "by"
    ("recapture second city Mosul", "the recapture of Palmyra")."""
    if _title_case(f.sentence.text):
        return set()
    names = {t for t in _names(f) if not t.startswith("~") and t not in NOT_ACTORS and "'" not in t}
    words = f.words
    out: set[str] = set()
    for k, w in enumerate(words):
        if w.startswith("E:") or not w[:1].isalpha() or stem(w) != word:
            continue
        found: set[str] = set()
        for x in words[k + 1:k + 1 + OBJECT_WINDOW]:
            if x in CLAUSE_BOUNDARIES or x == "by":
                break
            token = x if x.startswith("E:") else content_token(x) if x[:1].isalpha() else None
            if token in names or (token or "").startswith("E:"):
                found.add(token)
            elif found:
                break
        out |= found
    return out


def _title_case(text: str) -> bool:
    long = [w for w in _LETTERS_RE.findall(text) if len(w) > 3]
    return bool(long) and sum(w[0].isupper() for w in long) / len(long) >= 0.8


def _mentions(f: Features) -> set[str]:
    return {t for t in _names(f) if not t.startswith("~")} | {t for t in f.tokens if t.startswith("E:")}


def _same_name(x: str, y: str) -> bool:
    """One name, allowing the adjective of a place ("Syrian" / E:syria, "Iraqi" / E:iraq)."""
    x, y = x.removeprefix("E:"), y.removeprefix("E:")
    return x == y or (min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x)))


def _same_actors(a: Features, b: Features, word: str) -> bool:
    """Can the two uses of the event word be one event? When both sentences say who did it and
    name nobody in common, each must name the other's actor somewhere: "Russia ... was pulling
    out most military forces" / "the IS force had pulled out", and "Iraq's army since it
    collapsed" / "IS was beginning to retreat and collapse" share the word, not the actor. A use
    with nobody named before it ("the recapture of Palmyra", "the offensive to retake Palmyra")
    is the story's event whoever did it, and constrains nothing. The same holds for what it was
    done to: "recaptured the ancient city of Palmyra" / "an offensive to recapture second city
    Mosul" are two events."""
    def named_in(names: set[str], f: Features) -> bool:
        return any(_same_name(x, y) for x in names for y in _mentions(f))

    for who in (_actors, _objects):
        here, there = who(a, word), who(b, word)
        if here and there and not any(_same_name(x, y) for x in here for y in there) and not (
                named_in(here, b) and named_in(there, a)):
            return False
    return True


ACTOR_WINDOW = 6  # words before the event word searched for who did it
OBJECT_WINDOW = 5  # words after the event word searched for what it was done to
AGENT_BY_WITHIN = 3  # "by" at most this many words after the event word ("the recapture of Palmyra by")
AGENT_AFTER_BY = 3  # words after "by" searched for the agent
CLAUSE_BOUNDARIES = frozenset("which who whom whose that where while when but said says".split())
PRONOUNS = frozenset("it its he his she her they their them".split())
PREPOSITIONS = frozenset("in at from to of on into for with near across over under via".split())
BE = frozenset("is are was were be been being".split())
NOT_ACTORS = frozenset(WEEKDAYS) | MONTHS | {content_token(w) for w in (*WEEKDAYS, *MONTHS)}  # "on Sunday, breaking"
_LETTERS_RE = re.compile(r"[A-Za-z][A-Za-z'\-]*")
# the verb group right after an apposition: "Fred LaRue, a ... who ..., has died"
_AFTER_APPOSITION_RE = re.compile(r",\s*(?:(?:has|have|had|was|were|is|are|will|would|reportedly|also)\s+)*$", re.I)


def _stems(f: Features) -> frozenset[str]:
    return _stems_of(f.words)


@lru_cache(maxsize=4096)
def _stems_of(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(stem(w) for w in words if not w.startswith("E:") and w[:1].isalpha())


# Irregular forms that are nouns or adjectives, never what happened: "air strikes", "dead".
IRREGULAR_NOT_VERBS = frozenset("men women dead airstrike airstrikes sorties".split())
AUXILIARIES = frozenset("is are was were be been being am has have had".split())


def _specific(f: Features) -> frozenset[str]:
    return f.specific | f.article_names


def _names(f: Features) -> set[str]:
    return {t for t in _specific(f) if not t.startswith("N:")}


def _foreign(a: Features, b: Features, story: StoryWords) -> float:
    """The share of the names of each sentence that the other's whole article never uses (mean of
    both sides): the participants, places and outlets one report of an event names, another
    report of it usually names too."""
    shares = []
    for f, other in ((a, b), (b, a)):
        names = _names(f)
        if names:
            theirs = story.vectors.get(other.sentence.article, {})
            shares.append(sum(1 for t in names if t not in theirs) / len(names))
    return math.fsum(shares) / 2 if shares else 0.0


# --- shared wording --------------------------------------------------------------------------
@lru_cache(maxsize=4096)  # a sentence is compared with many others of its story, one after the other
def _grams(words: tuple[str, ...], n: int) -> frozenset[tuple[str, ...]]:
    return frozenset(words[i : i + n] for i in range(len(words) - n + 1))


def shared_wording(a: Features, b: Features) -> bool:
    """Near-verbatim: one text is (largely) a copy of the other, so not independent.

    The common run of at least WORDING_RUN words is looked for as a common WORDING_RUN-gram (a run
    that long holds one, and one is such a run), and only when the two share a WORDING_GRAM-gram
    at all (WORDING_GRAM <= WORDING_RUN: the run holds one of those too): the same answer as the
    longest common run's length (difflib), which cost as much as the rest of the comparison."""
    grams_a, grams_b = _grams(a.words, WORDING_GRAM), _grams(b.words, WORDING_GRAM)
    smaller = min(len(grams_a), len(grams_b))
    common = grams_a & grams_b
    if smaller and len(common) / smaller >= WORDING_CONTAINMENT:
        return True
    return bool(common) and not _grams(a.words, WORDING_RUN).isdisjoint(_grams(b.words, WORDING_RUN))


# --- differences ---------------------------------------------------------------------------
def _numbers_compared(here: Features, other: Features, kind: str) -> list[Difference]:
    """Numbers (or dates) of `kind` that count (date) the same thing: a different value is a
    disagreement; the same value with another hedge a difference of precision."""
    out: list[Difference] = []
    mine = [n for n in here.numbers if n.kind == kind]
    theirs = [n for n in other.numbers if n.kind == kind]
    mine_values = {n.value for n in mine}
    for n in mine:
        # a number of theirs that equals another number of mine is that number's report, not this one's
        partners = [m for m in theirs if comparable(n, m) and (m.value == n.value or m.value not in mine_values)]
        if not partners or any(m.value == n.value and m.hedge.lower() == n.hedge.lower() for m in partners):
            continue
        same = [m for m in partners if m.value == n.value]
        if same:
            out.append(Difference("precision", same[0].surface, n.surface, _counts(n, same[0]), same[0].value, n.value))
        elif kind in ("weekday",):
            m = partners[0]
            out.append(Difference("date", m.surface.title(), n.surface.title(), _counts(n, m), m.value, n.value))
        elif kind == "day":
            m = partners[0]
            out.append(Difference("date", m.surface, n.surface, _counts(n, m), m.value, n.value))
        elif len(partners) == 1:  # more than one candidate: the pairing is not certain
            m = partners[0]
            out.append(Difference("number", m.surface, n.surface, _counts(n, m), m.value, n.value))
    return out


def _counts(a: Number, b: Number) -> str:
    """What two compared numbers count, for readers: the noun or unit as printed ("" for dates
    and for numbers compared through the words around them)."""
    return a.counts or b.counts


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


def _name_differences(here: Features, other: Features) -> list[Difference]:
    out = []
    theirs = dict(other.names)
    for entity, surfaces in here.names:
        for mine in surfaces:
            for their in theirs.get(entity, ()):
                if _spelling_variant(mine, their):
                    out.append(Difference("spelling", their, mine, entity))
    return out


def difference_details(here: Features, other: Features) -> tuple[Difference, ...]:
    """Where two linked sentences differ, from the point of view of `here`, each with its kind:
    "number" and "date" are disagreements; "precision" (a hedge) and "spelling" are not."""
    found = _numbers_compared(here, other, "quantity") + _numbers_compared(here, other, "day")
    found += _numbers_compared(here, other, "weekday") + _name_differences(here, other)
    return tuple(dict.fromkeys(found))


def differences(here: Features, other: Features) -> tuple[str, ...]:
    """The same, in plain words, as shown in footnotes."""
    return tuple(d.text for d in difference_details(here, other))
