"""Cross-source alignment: which sentences of other articles state the same fact (a claim link),
or report the same event of the story (an event link, a looser relation).

Never compares every sentence with every other: candidates are pairs of sentences from different
articles that share at least CANDIDATE_MIN_SHARED tokens in an inverted index which skips tokens
found in more than DF_CAP sentences (such tokens are topic, not claim, and would make the
candidate lists quadratic). Each candidate is scored (compare.score) against the calibrated
threshold.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import replace
from itertools import combinations
from typing import Callable, Iterable, Mapping, Sequence

from ..model import Article, CrossRef, Match, Mention, Sentence
from .compare import StoryWords, combine, difference_details, event_evidence, score, shared_wording
from .features import Features, extract
from .sentences import split_sentences

DF_CAP = 200  # index keys: tokens in at most this many sentences (a constant: linear growth)
CANDIDATE_MIN_SHARED = 2  # a candidate pair shares at least two index keys
IDF_REFERENCE = 100  # sentences; see inverse_document_frequency
MIN_TOKENS = 3  # shorter sentences ("He said.", photo credits) are never aligned


def sentences_of(article: Article) -> tuple[Sentence, ...]:
    return tuple(s for p in article.paragraphs for s in split_sentences(article.id, p))


def featurise(
    items: Sequence[tuple[Article, Sequence[Mention]]],
) -> tuple[dict[str, tuple[Sentence, ...]], list[Features]]:
    """All sentences per article, and the features of each, in a stable order."""
    by_article: dict[str, tuple[Sentence, ...]] = {}
    features: list[Features] = []
    for article, mentions in sorted(items, key=lambda item: item[0].id):
        sentences = sentences_of(article)
        by_article[article.id] = sentences
        of_paragraph: dict[int, list[Mention]] = {}  # once per article: linear, not sentences × mentions
        for m in mentions:
            of_paragraph.setdefault(m.paragraph, []).append(m)
        features.extend(with_article_names([extract(s, of_paragraph.get(s.paragraph, ())) for s in sentences]))
    return by_article, features


def with_article_names(features: list[Features]) -> list[Features]:
    """A word the article prints as a name inside a sentence is a name wherever the article uses
    it: in its Title Case headline ("Lindsay Lohan Checks Into Betty Ford") and at the start of a
    sentence ("Lohan made it to the new facility"). Used by the same-event evidence only (the claim
    score keeps the sentence's own names)."""
    names = frozenset(t for f in features for t in f.specific if not t.startswith(("E:", "N:")))
    out = []
    for f in features:
        more = (f.content & names) - f.specific
        out.append(replace(f, article_names=frozenset(more)) if more else f)
    return out


def inverse_document_frequency(features: Sequence[Features]) -> dict[str, float]:
    """IDF over sentences with a fixed reference size: ln(1 + IDF_REFERENCE / df).

    A token in 1 sentence weighs 4.6, in 10: 2.4, in 100: 0.69, in 1,000: 0.1, so the topic
    of a cluster (Palmyra, in most of its sentences) weighs little. The archive's size N is
    deliberately left out: adding unrelated articles re-weighs only the tokens they contain,
    so it cannot change the links between other articles, and a 2-article archive still works.
    """
    df = Counter(t for f in features for t in f.tokens)
    return {token: math.log(1 + IDF_REFERENCE / count) for token, count in df.items()}


def candidate_pairs(features: Sequence[Features]) -> list[tuple[int, int]]:
    """Index pairs (i < j) from different articles sharing enough rare tokens."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(features):
        if len(f.tokens) >= MIN_TOKENS:
            for token in f.tokens:
                postings[token].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for ids in postings.values():
        if 1 < len(ids) <= DF_CAP:
            shared.update(
                (i, j)
                for i, j in combinations(ids, 2)
                if features[i].sentence.article != features[j].sentence.article
            )
    return sorted(pair for pair, count in shared.items() if count >= CANDIDATE_MIN_SHARED)


def _match(other: Features, value: float, copied: bool, details: tuple) -> Match:
    s = other.sentence
    return Match(s.article, s.paragraph, s.text, value, copied, tuple(d.text for d in details), details)


def _event_match(other: Features, value: float) -> Match:
    s = other.sentence
    return Match(s.article, s.paragraph, s.text, value, relation="event")


def _same_event(a: Features, b: Features, idf: Mapping[str, float], story: StoryWords,
                affinity: dict[tuple[str, str], float], event: Mapping) -> float | None:
    """The same-event score of two sentences, if it reaches the calibrated threshold."""
    key = (a.sentence.article, b.sentence.article)
    if key not in affinity:
        affinity[key] = story.affinity(*key)
    if affinity[key] < event["min_affinity"]:
        return None
    found = event_evidence(a, b, idf, story, affinity[key])
    if found is None:
        return None
    value = combine(found, event)
    return round(value, 4) if value >= event["threshold"] else None


def matches(
    features: Sequence[Features], idf: Mapping[str, float], threshold: float,
    model: Mapping | None = None, cosine: Callable[[int, int], float] | None = None,
    event: Mapping | None = None,
) -> dict[int, list[tuple[int, Match]]]:
    """For each sentence index, (other index, Match) for every sentence that states its fact
    (relation "claim") or, with an `event` model, reports the same event (relation "event")."""
    found: dict[int, list[tuple[int, Match]]] = defaultdict(list)
    story = StoryWords.of(features, idf) if event else None
    affinity: dict[tuple[str, str], float] = {}
    where = copies(features) if cosine is None else list(range(len(features)))
    judged: dict[tuple, tuple] = {}  # (where i, where j) → what the pair gave: copies are judged once
    for i, j in candidate_pairs(features):
        key = (where[i], where[j])
        verdict = judged.get(key)
        if verdict is None:
            verdict = judged[key] = _judge(features[i], features[j], idf, threshold, model,
                                           cosine(i, j) if cosine else None, story, affinity, event)
        if verdict[0] == "claim":
            _, total, copied, details_i, details_j = verdict
            found[i].append((j, _match(features[j], total, copied, details_i)))
            found[j].append((i, _match(features[i], total, copied, details_j)))
        elif verdict[0] == "event":
            found[i].append((j, _event_match(features[j], verdict[1])))
            found[j].append((i, _event_match(features[i], verdict[1])))
    return found


def _judge(a: Features, b: Features, idf: Mapping[str, float], threshold: float, model: Mapping | None,
           cosine: float | None, story: StoryWords | None, affinity: dict, event: Mapping | None) -> tuple:
    """What one candidate pair gives: ("claim", score, copied, a's differences from b, b's from a),
    ("event", score) or ("none",)."""
    result = score(a, b, idf, model, cosine)
    copied = result is not None and shared_wording(a, b)
    if result is not None and (result.total >= threshold or copied):  # a reprint with specific evidence is linked as such
        return "claim", result.total, copied, difference_details(a, b), difference_details(b, a)
    if story is not None:
        value = _same_event(a, b, idf, story, affinity, event)
        if value is not None:
            return "event", value
    return ("none",)


def copies(features: Sequence[Features]) -> list[tuple[int, int]]:
    """Per sentence: (the class of its article's text, its place in the article). Articles whose
    sentences have the same features, their article ids apart (a reprint, a wire copy filed twice,
    a file given twice), are one class: every comparison involving a sentence of one gives what
    the same comparison with the same sentence of the other gives (the story's words and an
    article's vector, which the event score reads, are the same too), so a pair is judged once for
    all copies; without this, a story holding k copies of an article would judge k² times as many
    pairs. Features are in article order (featurise)."""
    by_article: dict[str, list[Features]] = {}
    for f in features:
        by_article.setdefault(f.sentence.article, []).append(f)
    classes: dict[tuple, int] = {}
    of_article = {
        article: classes.setdefault(tuple(replace(f, sentence=replace(f.sentence, article="")) for f in own),
                                    len(classes))
        for article, own in by_article.items()
    }
    place: dict[str, int] = {}
    where = []
    for f in features:
        article = f.sentence.article
        k = place[article] = place.get(article, -1) + 1
        where.append((of_article[article], k))
    return where


def _crossref(sentence: Sentence, found: Iterable[tuple[int, Match]], order: Sequence[Features]) -> CrossRef:
    ranked = sorted(found, key=lambda m: (m[1].article, m[1].paragraph, order[m[0]].sentence.start))
    return CrossRef(
        sentence.article, sentence.paragraph, sentence.start, sentence.end, sentence.text,
        tuple(match for _, match in ranked),
    )


def align(
    items: Sequence[tuple[Article, Sequence[Mention]]], threshold: float | None = None,
) -> dict[str, tuple[tuple[Sentence, ...], tuple[CrossRef, ...]]]:
    """Per article id: all its sentences, and a CrossRef for each sentence another article reports.

    The build calls this once per story (annalist.stories), so the IDF is the story's own."""
    if len({article.id for article, _ in items}) < 2:
        # a story of one article: candidate_pairs pairs sentences of two articles only, so nothing
        # is compared and no cross-reference found; its sentences are all there is to give (a
        # quarter of the BBC archive's articles are alone in their story: their sentences'
        # features, a third of alignment's cost, were computed for nothing)
        return {article.id: (sentences_of(article), ()) for article, _ in sorted(items, key=lambda item: item[0].id)}
    from . import CALIBRATION

    model = CALIBRATION["lexical"]
    cutoff = model["threshold"] if threshold is None else threshold
    by_article, features = featurise(items)
    found = matches(features, inverse_document_frequency(features), cutoff, model, event=CALIBRATION.get("event"))
    crossrefs: dict[str, list[CrossRef]] = {article: [] for article in by_article}
    for i, f in enumerate(features):
        if found.get(i):
            crossrefs[f.sentence.article].append(_crossref(f.sentence, found[i], features))
    return {a: (by_article[a], tuple(crossrefs[a])) for a in by_article}
