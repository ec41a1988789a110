"""The tagger's attributes (entities/tagger.py): built from cached per-word parts, they must be
the plain definition's, item for item and in order, or the trained model reads other text."""

from __future__ import annotations

import json

import pytest

from annalist.entities import propernames as words
from annalist.entities import tagger
from annalist.entities.tagger import DocumentVocabulary, _LISTS, _SENTENCE_END, _short, shape, tokens
from support import CONTENT, CORPORA


# --- the plain definition (what the model was trained on), kept as the reference --------------

def plain_features(toks, vocabulary: DocumentVocabulary) -> list[list[str]]:
    texts = [t.text for t in toks]
    letters = [c for w in texts for c in w if c.isalpha()]
    shouting = len(letters) >= 8 and not any(c.islower() for c in letters)
    per_token = [plain_own(w, i == 0 or texts[i - 1] in _SENTENCE_END, vocabulary) for i, w in enumerate(texts)]
    result = []
    for i, own in enumerate(per_token):
        f = list(own)
        if shouting:
            f.append("shout")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(texts):
                f.append(f"{offset}:w={texts[j].lower()}")
                f.append(f"{offset}:s={_short(texts[j])}")
                if abs(offset) == 1:
                    f.extend(f"{offset}:{x}" for x in per_token[j] if x.startswith("list="))
            else:
                f.append(f"{offset}:edge")
        if i > 0:
            f.append(f"bi={texts[i - 1].lower()}|{texts[i].lower()}")
        result.append(f)
    return result


def plain_own(word: str, initial: bool, vocabulary: DocumentVocabulary) -> list[str]:
    low = word.lower()
    f = ["b", f"w={low}", f"s={_short(word)}", f"S={shape(word)[:6]}", f"p3={low[:3]}", f"x3={low[-3:]}",
         f"x2={low[-2:]}"]
    if initial:
        f.append("initial")
    if word[:1].isupper():
        f.append("cap")
        if low in vocabulary.lower:
            f.append("doc-lower")
        if low in vocabulary.mid_capital:
            f.append("doc-midcap")
        if initial and low not in vocabulary.mid_capital:
            f.append("initial-only")
    if "-" in word:
        f.append("hyphen")
    for name, wordlist in _LISTS:
        if low in wordlist:
            f.append("list=" + name)
    if low.endswith(words.DEMONYM_SUFFIXES):
        f.append("demonym-suffix")
    return f


def _documents() -> list[list[str]]:
    """Paragraphs of real documents: the seeds, then (when ../shared/corpora is there) every 7th
    BBC article, every cluster's first article (Multi-News's scraping noise, ECB+'s one sentence
    a line) and the CoNLL development documents (tokenised, headlines in capitals)."""
    docs = [[line for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]
            for p in sorted((CONTENT / "sources").glob("*.txt"))]
    bbc = sorted((CORPORA / "bulk" / "bbc").rglob("*.txt"))[::7]
    clusters = [sorted(c.glob("*.txt"))[0] for c in sorted((CORPORA / "clusters").glob("*")) if any(c.glob("*.txt"))] \
        if (CORPORA / "clusters").is_dir() else []
    for path in bbc + clusters:
        docs.append([line for line in path.read_bytes().decode("utf-8", "replace").splitlines() if line.strip()])
    conll = CORPORA / "ner" / "eng.testa.docs.jsonl"
    if conll.is_file():
        docs += [json.loads(line)["text"].splitlines() for line in conll.read_text(encoding="utf-8").splitlines()]
    return docs


# Sequences the corpora may lack: all capitals (shouting), under 8 letters, one token, empty,
# hyphens, demonyms, sentence ends, a word capitalised both at a sentence's start and inside one.
MADE_UP = [
    "BREAKING NEWS: FLOODS HIT YORK",
    "ABC DE",
    "Obama",
    "",
    "Al-Qaeda's Syrian-born leader spoke. Then Britons, Parisians and the Taliban left ! Europe ?",
    "Then the man left. He said then that Then was a band; then-president Jones agreed.",
    "«Über» café Zürich ÉTÉ naïve 1996-08-30 U.S. AT&T O'Brien's ⅰⅱ ª",
]


def _check(doc: list[str]) -> int:
    tokenised = [tokens(p) for p in doc]
    vocabulary = DocumentVocabulary.of(tokenised)
    for toks in tokenised:
        assert tagger.features(toks, vocabulary) == plain_features(toks, vocabulary), [t.text for t in toks]
    return sum(map(len, tokenised))


def test_attributes_equal_the_plain_definition_on_real_documents():
    docs = _documents()
    assert sum(_check(doc) for doc in docs) > 1000
    # again, every per-word part now from the caches
    assert sum(_check(doc) for doc in docs[:50]) > 100


def test_attributes_equal_the_plain_definition_on_edge_cases():
    tagger._word.cache_clear()
    tagger._own_of.cache_clear()
    _check(MADE_UP)
    for line in MADE_UP:
        _check([line])
    assert tagger.features([], DocumentVocabulary(frozenset(), frozenset())) == []


@pytest.mark.parametrize("line", MADE_UP)
def test_shouting_is_a_property_of_the_whole_sequence(line):
    toks = tokens(line)
    vocabulary = DocumentVocabulary.of([toks])
    found = tagger.features(toks, vocabulary)
    letters = [c for t in toks for c in t.text if c.isalpha()]
    shouting = len(letters) >= 8 and not any(c.islower() for c in letters)
    assert all(("shout" in f) == shouting for f in found)


def _decoded(found: list[list[bytes]]) -> list[list[str]]:
    """The tagger's own attributes are UTF-8 bytes (CRFsuite takes them without encoding them)."""
    assert all(isinstance(a, bytes) for f in found for a in f)
    return [[a.decode() for a in f] for f in found]


def test_tagging_with_only_the_attributes_the_model_knows_gives_the_same_names():
    """The tagger hands CRFsuite only the attributes its model knows (the others are ignored
    by it): the same attributes otherwise, in the same order, and the same names, types and
    marginal probabilities as with every attribute, on real documents."""
    suggester = tagger.Tagger()
    known = suggester._known
    assert known is not None and known.attributes
    docs = _documents()[:120] + [MADE_UP]
    for doc in docs:
        tokenised = [tokens(p) for p in doc]
        vocabulary = DocumentVocabulary.of(tokenised)
        for toks in tokenised:
            assert _decoded(tagger.features(toks, vocabulary, known)) == \
                [[a for a in f if a in known.attributes] for f in plain_features(toks, vocabulary)]
    kept = [suggester.document(doc) for doc in docs]
    suggester._known = None
    assert [suggester.document(doc) for doc in docs] == kept
    assert sum(len(spans) for doc in kept for spans in doc) > 500


def test_known_attributes_by_word_pairs_equal_the_plain_definition_around_bars():
    """The bigrams the model knows are looked up by their two words ("bi=a|b" split at each
    "|"): lines of "|" tokens, shouting and one-token lines give the plain definition's lists."""
    known = tagger.Tagger()._known
    assert known is not None and any(a.startswith("bi=") for a in known.attributes)
    lines = ["Sport | BBC News | Home", "| | ||", "|", "BBC NEWS | WORLD EDITION", "of the | of | the of",
             "Mr Smith said the U.S. and the U.K. would act.", ""]
    tokenised = [tokens(line) for line in lines]
    vocabulary = DocumentVocabulary.of(tokenised)
    for toks in tokenised:
        assert _decoded(tagger.features(toks, vocabulary, known)) == \
            [[a for a in f if a in known.attributes] for f in plain_features(toks, vocabulary)]
