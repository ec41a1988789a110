"""What a whole article offers as evidence that it reports the same story as another.

A document is a weighted bag of tokens of two kinds:
  "rehab", "earthquak"   content words (folded, lower-cased, a crude plural/suffix strip)
  "E:tara-reid"          a canonical entity id from the recognised mentions (the authority
                         file's id, or "unreviewed:<slug>" for a name discovery found), so
                         ISIS, IS and DAESH count as one token
  "N:2012", "N:6.1"      a number of two digits or more, or with a decimal (years, magnitudes,
                         tolls: what tells two earthquakes or two rehab stays apart)

Weights are sublinear term frequency times an inverse document frequency over the archive
with a fixed reference size, never below a fifth of the word's rarity in general usage
(wordfreq's frequency lists, shipped with the package; see `idf`), and every vector is cut to its TOP_TOKENS heaviest
tokens and normalised to length 1: comparing two articles costs at most TOP_TOKENS look-ups.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..cache import remember
from ..model import Article, Mention
from ..text import fold

TOP_TOKENS = 200  # a document is its 200 heaviest tokens
ENTITY_BOOST = 2.0  # an entity id weighs as much as two occurrences of a word of the same rarity
IDF_REFERENCE = 100  # documents; see idf
BACKGROUND_SHARE = 0.2  # a token weighs at least this share of its general rarity; see idf
COMMON_ZIPF = 7.0  # general rarity = COMMON_ZIPF - zipf frequency ("the" 7.7 → 0, "rehab" 3.8 → 3.2)
ENTITY_RARITY = 5.0  # an entity id is as rare as a word of zipf frequency 2
NUMBER_RARITY = 3.0  # a number as rare as a word of zipf frequency 4
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])\d+\.\d+|(?<![\d.,])\d{2,}")

# Function words and the vocabulary every news report uses whatever it reports. Rarity over the
# archive would push most of these down anyway; listing them keeps small archives honest too.
STOP_WORDS = frozenset(
    """a about above after again against ago all almost along also although am among an and another
    any are around as at away back be became because become been before being below between both
    but by came can cannot could did do does doing done down during each either else even ever
    every few for from further get gets getting got had has have having he her here hers herself
    him himself his how however i if in including into is it its itself just last later least less
    like made make makes many may me might more most much must my near nearly never new next no
    nor not now of off often on once one only onto or other others our out over own past per
    perhaps rather really said same say saying says see seen several shall she should since so
    some still such than that the their theirs them themselves then there these they thing things
    this those though three through thus to told too took two under until up upon us very was way
    we well went were what whatever when where whether which while who whom whose why will with
    within without would year years yet you your
    according added adding also announced asked called week weeks day days today yesterday
    tomorrow time times monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    mr mrs ms dr news report reported reports reporting statement people""".split()
)


@dataclass(frozen=True)
class Document:
    article: str  # article id
    vector: tuple[tuple[str, float], ...]  # (token, weight), heaviest first, length 1
    published: str | None  # ISO date when printed or given by the curator, else None

    def weights(self) -> dict[str, float]:
        return dict(self.vector)


def word_token(word: str) -> str | None:
    """A content word's token, or None for a function word or a fragment."""
    lower = word.lower().removesuffix("'s")
    if len(lower) < 3 or lower in STOP_WORDS:
        return None
    for suffix in ("ies", "es", "s"):
        if lower.endswith(suffix) and not lower.endswith("ss") and len(lower) - len(suffix) >= 3:
            return lower[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return lower


_token = lru_cache(maxsize=200_000)(word_token)


KNOWN_RARITIES: dict[tuple[str, str], float] = {}
"""(word, language) → rarity(word, language), as far as computed: the pipeline keeps it between
builds, so that a rebuild re-counting one article need not import wordfreq and read its lists
(about 0.4 s). The values depend on the pinned wordfreq alone; bounded (cache.remember)."""


def rarity(word: str, language: str) -> float:
    """How rare a word is in general usage of its language: COMMON_ZIPF - zipf frequency (0 for
    the commonest words, COMMON_ZIPF for words wordfreq never saw); 0 for a language it lacks."""
    key = (word, language)
    found = KNOWN_RARITIES.get(key)
    if found is None:
        import wordfreq

        if language not in _languages():
            found = 0.0
        else:
            found = max(0.0, COMMON_ZIPF - wordfreq.zipf_frequency(word, language))
        remember(KNOWN_RARITIES, key, found)
        if _NOTED is not None:
            _NOTED[key] = found
    return found


@lru_cache(maxsize=None)
def _languages() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.available_languages())


def _language(article: Article) -> str:
    return (article.language.value or "en").split("-")[0].lower()


def counts(article: Article, mentions: Sequence[Mention], rarities: dict[str, float] | None = None) -> Counter[str]:
    """Token counts of the headline, standfirst and body; each mention adds its entity id.
    `rarities`, when given, receives each word token's general rarity (its commonest form's)."""
    texts = [article.title if article.title_origin != "inferred" else "", article.standfirst or ""]
    texts += [p.text for p in article.paragraphs]
    language = _language(article)
    tokens: Counter[str] = Counter()
    for text in texts:
        words = Counter(_WORD.findall(fold(text)))
        for word, n in words.items():
            token = _token(word)
            if token:
                tokens[token] += n
                if rarities is not None:
                    value = rarity(word.lower(), language)
                    rarities[token] = min(rarities.get(token, value), value)
        for match in _NUMBER.finditer(text):
            tokens["N:" + match.group(0).replace(",", "")] += 1
    for mention in mentions:
        tokens[f"E:{mention.entity}"] += 1
    return tokens


def general_rarity(token: str, rarities: Mapping[str, float]) -> float:
    if token.startswith("E:"):
        return ENTITY_RARITY
    if token.startswith("N:"):
        return NUMBER_RARITY
    return rarities.get(token, 0.0)


def idf(document_counts: Sequence[Counter[str]], rarities: Mapping[str, float] | None = None) -> dict[str, float]:
    """ln(1 + IDF_REFERENCE / df): a word in 1 article weighs 4.6, in 10: 2.4, in 100: 0.69,
    in 1,000: 0.1. The archive's size is left out on purpose: adding unrelated articles re-weighs
    only the words they contain, so it cannot regroup the stories of other articles.

    Never below BACKGROUND_SHARE × the token's general rarity: in an archive of one story told
    500 times, the story's own words ("rehab", "Promises") are in every article and would weigh
    nothing, leaving each article's incidental words to decide and breaking the story apart."""
    rarities = rarities or {}
    df: Counter[str] = Counter()
    for c in document_counts:
        df.update(c.keys())  # counted in C; the same counts, in the same order
    return {
        t: max(math.log(1 + IDF_REFERENCE / n), BACKGROUND_SHARE * general_rarity(t, rarities))
        for t, n in df.items()
    }


def document(article: Article, tokens: Counter[str], weights: Mapping[str, float]) -> Document:
    raw = {
        t: (1 + math.log(n)) * weights[t] * (ENTITY_BOOST if t.startswith("E:") else 1.0)
        for t, n in tokens.items()
    }
    top = [(t, -w) for w, t in sorted([(-w, t) for t, w in raw.items()])[:TOP_TOKENS]]  # heaviest first, then by name
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    published = article.published.value if article.published.origin in ("curator", "text") else None
    return Document(article.id, tuple((t, w / norm) for t, w in top), published)


def load_wordlists(languages: set[str]) -> None:
    """Read wordfreq's lists of these languages in this process, once: workers forked after it
    (the per-article counts, alignment's features) inherit them instead of each reading them
    again (0.36 s of CPU for a pool of two, measured; fresh workers are forked every
    parallel.GENERATION items)."""
    import wordfreq

    for language in sorted(languages & _languages()):
        wordfreq.zipf_frequency("the", language)


def counts_across(items: Sequence[tuple[Article, Sequence[Mention]]], jobs: int | None) -> list:
    """[article_counts(a, m) for a, m in items], on `jobs` processes (annalist.parallel.pmap).
    The rarities the workers look up are brought back into KNOWN_RARITIES, which the pipeline
    keeps between builds, as if the counts had been made here."""
    from ..parallel import MIN_ITEMS, cores, pmap

    items = list(items)
    if (jobs or cores()) <= 1 or len(items) < MIN_ITEMS:
        return [article_counts(*item) for item in items]
    load_wordlists({_language(article) for article, _ in items} | {"en"})  # "en": alignment's, next
    found = []
    for counted, looked_up in pmap(_counts_noting, items, jobs):
        for key, value in looked_up.items():
            remember(KNOWN_RARITIES, key, value)  # bounded as rarity() keeps them
        found.append(counted)
    return found


def _counts_noting(item: tuple[Article, Sequence[Mention]]) -> tuple[tuple[Counter[str], dict[str, float]], dict]:
    """article_counts in a worker, with the rarities it looked up that were not known yet."""
    global _NOTED
    _NOTED = {}
    try:
        return article_counts(*item), _NOTED
    finally:
        _NOTED = None


_NOTED: dict | None = None  # in a worker of counts_across: the rarities computed for the current article


def article_counts(article: Article, mentions: Sequence[Mention]) -> tuple[Counter[str], dict[str, float]]:
    """One article's token counts and the general rarity of its word tokens (see counts)."""
    rarities: dict[str, float] = {}
    return counts(article, mentions, rarities), rarities


def documents(items: Sequence[tuple[Article, Sequence[Mention]]], counts_of=None, document_of=None) -> list[Document]:
    """`counts_of(items) -> [article_counts(a, m) ...]` may reuse an earlier build's (the pipeline's cache);
    so may `document_of`, which replaces document (same arguments, same result)."""
    rarities: dict[str, float] = {}
    token_counts = []
    for tokens, own in (counts_of or (lambda xs: [article_counts(a, m) for a, m in xs]))(items):
        token_counts.append(tokens)
        for token, value in own.items():
            rarities[token] = min(rarities.get(token, value), value)
    weights = idf(token_counts, rarities)
    return [(document_of or document)(a, c, weights) for (a, _), c in zip(items, token_counts)]
