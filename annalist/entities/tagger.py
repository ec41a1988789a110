"""The statistical suggester: a linear-chain CRF (CRFsuite) that reads person, place and
organisation names in English news text.

No trustworthy pretrained recogniser installs from the package registry and runs offline, so
the model is our own: `python -m annalist.entities.train` fits it on the CoNLL-2003 English
development set (`../shared/corpora/ner/eng.testa.docs.jsonl`) and writes `ner.crfsuite` beside
this file; it is reported on the test set (`bench/bench_entities.py`), which it never saw.
The model file holds weights of single-word and word-shape features, no text. The tagger only
suggests: what it finds is always marked unreviewed until a curator decides.

Tokens and features are computed here, for training and tagging alike, so they cannot drift.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from annalist.text import fold

from . import propernames as words

MODEL = Path(__file__).with_name("ner.crfsuite")
LABELS = {"PER": "person", "LOC": "place", "ORG": "organisation"}  # MISC is not proposed

# Words with inner hyphens, ampersands or apostrophes ("al-Assad", "AT&T", "O'Brien"),
# initialisms ("U.S."), numbers, and any other single character. A possessive "'s" is a token
# of its own, as in CoNLL ("Lloyd 's").
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[-&'][^\W_]+)*|\S")
_SENTENCE_END = frozenset(".!?:;\"'")


class Token(NamedTuple):  # a tuple: made faster than a frozen dataclass (a paragraph has hundreds)
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Span:
    start: int  # offsets into the paragraph text
    end: int
    label: str  # PER | LOC | ORG | MISC
    # the tagger's marginal probabilities, averaged over the span's tokens: that each token is
    # inside a person, place or organisation name (of any of the three types), and inside a
    # MISC name (an event, a people, a product...)
    confidence: float = 1.0
    misc: float = 0.0
    # … and inside a person's name, or inside a place's or an organisation's (often one thing:
    # a prison, a hospital, a network), whichever is likelier
    typed: float = 1.0


def tokens(text: str) -> list[Token]:
    """Tokens of one paragraph (or line), with offsets into it."""
    return list(_tokens(text))


@lru_cache(maxsize=256)  # discovery reads each paragraph's tokens again, soon after tagging it
def _tokens(text: str) -> tuple[Token, ...]:
    found: list[Token] = []
    new = tuple.__new__
    for m in _TOKEN.finditer(fold(text)):
        word = m.group()
        start, end = m.span()
        if len(word) > 2 and word[-2:].lower() == "'s" and word[-3].isalpha():
            found.append(new(Token, (start, end - 2, word[:-2])))
            found.append(new(Token, (end - 2, end, word[-2:])))
        else:
            found.append(new(Token, (start, end, word)))
    return tuple(found)


@lru_cache(maxsize=65536)
def shape(word: str) -> str:
    """"Palmyra" -> "Xxxxxxx", "U.S." -> "X.X.", "1996" -> "dddd"."""
    return "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c if c.isascii() else "o"
                   for c in word)


@lru_cache(maxsize=65536)
def _short(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", shape(word))


@dataclass(frozen=True)
class DocumentVocabulary:
    """What the rest of the document says about a word: printed in lower case somewhere, or
    capitalised where a sentence does not begin."""

    lower: frozenset[str]
    mid_capital: frozenset[str]

    @classmethod
    def of(cls, paragraphs: Iterable[Sequence[Token]]) -> DocumentVocabulary:
        lower: set[str] = set()
        mid: set[str] = set()
        for toks in paragraphs:
            for i, t in enumerate(toks):
                if t.text.islower():
                    lower.add(t.text)
                elif t.text[:1].isupper() and i > 0 and toks[i - 1].text not in _SENTENCE_END:
                    mid.add(t.text.lower())
        return cls(frozenset(lower), frozenset(mid))


def features(toks: Sequence[Token], vocabulary: DocumentVocabulary, known: _Known | None = None) -> list[list[str]]:
    """CRFsuite attributes of every token of one sequence.

    Each attribute list is made of pieces computed once per distinct word (`_word`) and per
    word in its place (`_own_of`, a handful of combinations): a word's attributes, and those it
    gives its neighbours, are built once, not at every occurrence. The lists are those of the
    plain definition kept in tests/test_tagger.py, item for item and in the same order.

    `known`: only the attributes a model knows are kept (in the same order): CRFsuite ignores the
    others when tagging, so the labels and marginals are the same, for fewer strings handed over."""
    texts = [t.text for t in toks]
    if known is not None:
        return _known_features(texts, vocabulary, known)
    info = [_word(w) for w in texts]
    # shouting: at least 8 letters in the sequence, none of them lower-case
    shouting = sum(x.letters for x in info) >= 8 and not any(x.lower_letter for x in info)
    lower, mid = vocabulary.lower, vocabulary.mid_capital
    own_of = _own_of if known is None else known.own_of
    owns = []
    initial = True
    for w, x in zip(texts, info):
        if x.cap:
            owns.append(own_of(w, initial, x.low in lower, x.low in mid))
        else:
            owns.append(own_of(w, initial, False, False))
        initial = w in _SENTENCE_END
    if not owns:
        return []
    shout = ("shout",) if shouting else ()
    lows = [x.low for x in info]
    bigrams = [(), *((f"bi={a}|{b}",) for a, b in zip(lows, lows[1:]))]  # the first token has none
    # what each token gives its neighbours, with the sequence's edges on either side
    if known is None:
        around = [_EDGE, _EDGE, *(x.around for x in info), _EDGE, _EDGE]
    else:
        shout, edge, around_of, attributes = known.of(shout), known.edge, known.around_of, known.attributes
        around = [edge, edge, *(around_of(w, x) for w, x in zip(texts, info)), edge, edge]
        bigrams = [b if b and b[0] in attributes else () for b in bigrams]
    return [[*own, *shout, *two_before[0], *one_before[1], *one_after[2], *two_after[3], *bigram]
            for own, two_before, one_before, one_after, two_after, bigram
            in zip(owns, around, around[1:], around[3:], around[4:], bigrams)]


def _known_features(texts: list[str], vocabulary: DocumentVocabulary, known: _Known) -> list[list[str]]:
    """features() with only the attributes `known` holds: the same lists, from pieces `known`
    keeps per distinct word (one look-up a token), and a token's bigram looked up by its two
    words rather than made and then tested."""
    words, word_of, owns_kept, own_of = known.words, known.word_of, known.owns, known.own_of
    entries = [words.get(w) or word_of(w) for w in texts]
    if not entries:
        return []
    lower, mid = vocabulary.lower, vocabulary.mid_capital
    owns = []
    initial = True
    for w, (low, cap, _, _, _) in zip(texts, entries):
        key = (w, initial, low in lower, low in mid) if cap else (w, initial, False, False)
        owns.append(owns_kept.get(key) or own_of(*key))
        initial = w in _SENTENCE_END
    # shouting: at least 8 letters in the sequence, none of them lower-case
    shouting = sum(e[2] for e in entries) >= 8 and not any(e[3] for e in entries)
    shout = known.shout if shouting else ()
    pairs = known.bigrams
    bigrams: list[tuple[str, ...]] = [()]  # the first token has none
    follows = pairs.get(entries[0][0])
    for low, *_ in entries[1:]:
        bigrams.append(follows.get(low, ()) if follows else ())
        follows = pairs.get(low)
    edge = known.edge
    around = [edge, edge, *(e[4] for e in entries), edge, edge]
    return [[*own, *shout, *two_before[0], *one_before[1], *one_after[2], *two_after[3], *bigram]
            for own, two_before, one_before, one_after, two_after, bigram
            in zip(owns, around, around[1:], around[3:], around[4:], bigrams)]


class _Known:
    """The attributes a model knows, and the pieces of `features` with only those kept, worked
    out once per distinct word (what it gives its neighbours) and word in its place (its own).

    `encoded`: the pieces are kept as UTF-8 bytes, which CRFsuite takes as they are, where it
    encodes every str attribute at every token it tags (a fifth of tagging's time); the same
    attributes, so the same labels and marginals (tests/test_tagger.py)."""

    def __init__(self, attributes: frozenset[str], encoded: bool = False) -> None:
        self.attributes = attributes
        self.encoded = encoded
        self._own: dict[tuple[str, bool, bool, bool], tuple[str, ...]] = {}
        self.owns = self._own
        self._around: dict[str, tuple[tuple[str, ...], ...]] = {}
        self.edge = tuple(self.of(p) for p in _EDGE)
        self.shout = self.of(("shout",))
        # word → (lower case, capitalised, letters, a lower-case letter, what it gives its neighbours)
        self.words: dict[str, tuple[str, bool, int, bool, tuple[tuple[str, ...], ...]]] = {}
        # first word (lower case) → second word → its bigram attribute, for the bigrams the model
        # knows: "bi=" + a + "|" + b, split at each "|" ("|" is a token of its own)
        self.bigrams: dict[str, dict[str, tuple[str]]] = {}
        for attribute in attributes:
            if attribute.startswith("bi="):
                rest = attribute[3:]
                for at, c in enumerate(rest):
                    if c == "|":
                        self.bigrams.setdefault(rest[:at], {})[rest[at + 1:]] = \
                            (attribute.encode() if encoded else attribute,)

    def word_of(self, word: str) -> tuple[str, bool, int, bool, tuple[tuple[str, ...], ...]]:
        if len(self.words) > _KEPT_WORDS:  # bounded, whatever the archive
            self.words.clear()
            self._around.clear()
            self._own.clear()
        x = _word(word)
        kept = self.words[word] = (x.low, x.cap, x.letters, x.lower_letter, self.around_of(word, x))
        return kept

    def of(self, piece: tuple[str, ...]) -> tuple[str, ...]:
        if self.encoded:
            return tuple(a.encode() for a in piece if a in self.attributes)
        return tuple(a for a in piece if a in self.attributes)

    def own_of(self, word: str, initial: bool, doc_lower: bool, doc_mid: bool) -> tuple[str, ...]:
        key = (word, initial, doc_lower, doc_mid)
        kept = self._own.get(key)
        if kept is None:
            kept = self._own[key] = self.of(_own_of(*key))
        return kept

    def around_of(self, word: str, info: _Word) -> tuple[tuple[str, ...], ...]:
        kept = self._around.get(word)
        if kept is None:
            kept = self._around[word] = tuple(self.of(p) for p in info.around)
        return kept


_KEPT_WORDS = 100_000  # distinct words whose pieces a tagger keeps (tens of MB at most)
_EDGE = (("-2:edge",), ("-1:edge",), ("1:edge",), ("2:edge",))  # beyond either end of the sequence


@dataclass(frozen=True)
class _Word:
    """What one distinct word contributes to the attributes, whatever its place."""

    low: str
    cap: bool  # begins with a capital
    head: tuple[str, ...]  # its own first attributes: "b", w=, s=, S=, p3=, x3=, x2=
    tail: tuple[str, ...]  # its own last attributes: hyphen, list=…, demonym-suffix
    # what it gives its neighbours: the token 2 after it ("-2:w=…", "-2:s=…"), 1 after (with its
    # word lists), 1 before, 2 before
    around: tuple[tuple[str, ...], ...]
    letters: int  # how many letters it has
    lower_letter: bool  # whether one of them is lower-case


@lru_cache(maxsize=8192)
def _word(word: str) -> _Word:
    low = word.lower()
    short = _short(word)
    lists = tuple("list=" + name for name, wordlist in _LISTS if low in wordlist)
    tail = (("hyphen",) if "-" in word else ()) + lists + (("demonym-suffix",) if low.endswith(words.DEMONYM_SUFFIXES) else ())
    head = ("b", f"w={low}", f"s={short}", f"S={shape(word)[:6]}", f"p3={low[:3]}", f"x3={low[-3:]}", f"x2={low[-2:]}")
    around = tuple((f"{offset}:w={low}", f"{offset}:s={short}",
                    *((f"{offset}:{x}" for x in lists) if abs(offset) == 1 else ()))
                   for offset in (-2, -1, 1, 2))
    letters = [c for c in word if c.isalpha()]
    return _Word(low, word[:1].isupper(), head, tail, around, len(letters), any(c.islower() for c in letters))


@lru_cache(maxsize=8192)
def _own_of(word: str, initial: bool, doc_lower: bool, doc_mid: bool) -> tuple[str, ...]:
    """A token's own attributes, given whether it begins a sentence and, for a capitalised word,
    whether the document prints it in lower case / capitalised mid-sentence elsewhere."""
    x = _word(word)
    f = list(x.head)
    if initial:
        f.append("initial")
    if x.cap:
        f.append("cap")
        if doc_lower:
            f.append("doc-lower")
        if doc_mid:
            f.append("doc-midcap")
        if initial and not doc_mid:
            f.append("initial-only")
    f.extend(x.tail)
    return tuple(f)


_LISTS = (
    ("title", words.TITLES), ("month", words.MONTHS), ("weekday", words.WEEKDAYS), ("stop", words.STOP),
    ("demonym", words.DEMONYMS), ("org", words.ORGANISATION_HEADS), ("group", words.GROUP_HEADS),
    ("place", words.PLACE_HEADS), ("particle", words.CONNECTORS), ("furniture", words.FURNITURE),
)


def join_names(toks: Sequence[Token], labels: Sequence[str], standalone: frozenset[str] = frozenset()) -> list[str]:
    """Two repairs to the tagger's labels where its training text was thin:
    - a possessive-like name stays whole: "Lloyd's List" (a one-word name, "'s", then capitalised
      words the tagger left out) is one organisation, unless the document also prints that word
      on its own (`standalone`: "Japan … Japan's Kibo lab");
    - an organisation continues over "of", "for" (and "the") into the name that follows it:
      "National Movement for the Liberation of Azawad"."""
    labels = list(labels)
    n = len(labels)
    for i in range(1, n - 1):
        if toks[i].text.lower() == "'s" and labels[i] == "O" and labels[i - 1].startswith("B-") and toks[i - 1].text.lower() not in standalone \
                and not toks[i - 1].text.isupper() and labels[i + 1] == "O" and toks[i + 1].text[:1].isupper():
            j = i - 1
            while j > 0 and labels[j].startswith("I-"):
                j -= 1
            labels[j] = "B-ORG"
            for k in range(j + 1, i + 1):
                labels[k] = "I-ORG"
            k = i + 1
            while k < n and labels[k] == "O" and toks[k].text[:1].isupper():
                labels[k] = "I-ORG"
                k += 1
    for i in range(1, n - 1):
        if labels[i] == "O" and labels[i - 1].endswith("-ORG") and toks[i].text in ("of", "for"):
            j = i + 1 + (toks[i + 1].text == "the" and i + 2 < n)
            if j < n and labels[j].startswith("B-"):
                for k in range(i, n):
                    if k > j and not labels[k].startswith("I-"):
                        break
                    labels[k] = "I-ORG"
    return labels


def spans(toks: Sequence[Token], labels: Sequence[str]) -> list[Span]:
    """BIO labels (B-PER, I-PER, O; an I- after O or another type starts a name) to spans."""
    found: list[Span] = []
    current: list[int] = []
    kind = ""
    for i, label in enumerate([*labels, "O"]):
        tag, _, typ = label.partition("-")
        if current and (tag != "I" or typ != kind):
            found.append(Span(toks[current[0]].start, toks[current[-1]].end, kind))
            current = []
        if tag in ("B", "I") and not current:
            current, kind = [i], typ
        elif tag == "I":
            current.append(i)
    return found


class Tagger:
    """Tags paragraphs with the trained model; one instance per build."""

    def __init__(self, model: Path = MODEL) -> None:
        import pycrfsuite

        if not Path(model).is_file():
            raise FileNotFoundError(f"{model}: the name model is missing; rebuild it with "
                                    "`python -m annalist.entities.train`")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(model))
        self._labels = frozenset(self._tagger.labels())
        # the marginals a span's probabilities are made of (see _spans' mass): B- and I- of each type
        self._kinds = {kinds: [f"{tag}-{kind}" for kind in kinds for tag in "BI" if f"{tag}-{kind}" in self._labels]
                       for kinds in (tuple(LABELS), ("MISC",), ("PER",), ("LOC", "ORG"))}
        self._asked = sorted({name for names in self._kinds.values() for name in names})
        try:  # the attributes the model knows (CRFsuite ignores the others): read from its dump
            self._known: _Known | None = _Known(frozenset(self._tagger.info().attributes), encoded=True)
        except (OSError, RuntimeError):  # the dump (a temporary file) could not be written: a full
            self._known = None  # disk, a file-size limit. Every attribute is handed over (the same names)

    def document(self, paragraphs: Sequence[str]) -> list[list[Span]]:
        """Names in each paragraph of one document, with offsets into that paragraph."""
        tokenised = [tokens(p) for p in paragraphs]
        vocabulary = DocumentVocabulary.of(tokenised)
        standalone = frozenset(t.text.lower() for toks in tokenised for i, t in enumerate(toks)
                               if t.text[:1].isupper() and (i + 1 == len(toks) or toks[i + 1].text.lower() != "'s"))
        return [self._spans(toks, vocabulary, standalone) if toks else [] for toks in tokenised]

    def _spans(self, toks: Sequence[Token], vocabulary: DocumentVocabulary, standalone: frozenset[str]) -> list[Span]:
        tagger = self._tagger
        raw = tagger.tag(features(toks, vocabulary, self._known))
        labels = join_names(toks, raw, standalone)
        found = spans(toks, labels)
        if not found:  # a paragraph that names nothing: no offsets, no marginals
            return []
        offsets = {t.start: i for i, t in enumerate(toks)}
        asked, of_kinds = self._asked, self._kinds
        marginals: dict[int, dict[str, float]] = {}  # token -> label -> marginal, asked once
        result = []
        for span in found:
            first = offsets[span.start]
            every = range(first, first + len(tokens_between(toks, first, span.end)))
            # a name join_names repaired ("Lloyd's List") is judged by the words the tagger named
            inside = [i for i in every if raw[i] != "O"] or list(every)
            for i in inside:
                if i not in marginals:
                    marginals[i] = {label: tagger.marginal(label, i) for label in asked}

            def mass(*kinds: str) -> float:
                names = of_kinds[kinds]
                return sum(marginals[i][name] for i in inside for name in names) / len(inside)

            result.append(Span(span.start, span.end, span.label, round(mass(*LABELS), 4), round(mass("MISC"), 4),
                               round(max(mass("PER"), mass("LOC", "ORG")), 4)))
        return result


def tokens_between(toks: Sequence[Token], first: int, end: int) -> list[Token]:
    """The tokens from index `first` up to the offset `end`."""
    found = []
    for tok in toks[first:]:
        if tok.start >= end:
            break
        found.append(tok)
    return found


@lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    return Tagger()
