"""Discovery: names the authority file does not know yet, found by a proper-noun heuristic.

No statistical NER runs offline here, so discovery reads capitalisation: a run of capitalised
words (joined by name particles such as "al", "bin", "of") is a name, unless it is only a
sentence's first word, a weekday or month, a title, a nationality adjective, a word the corpus
also prints in lower case ("Army" / "army"), or part of a known mention, a photo credit or a
headline. A name only ever seen at the start of a sentence is dropped. A lone surname is
counted with the full name printed earlier in the same article ("Hussain" → "Nasser Hussain").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from annalist.model import Article, Candidate, Entity, Mention
from annalist.text import fold, slugify

from . import propernames as words
from .keys import alias_key

UNREVIEWED = "unreviewed:"
CONTEXT_WIDTH = 80
_TOKEN = re.compile(r"[^\W\d_]\w*(?:['-]\w+)*")
_CREDIT = re.compile(
    r"\b(?:photo|picture|image|video|credit|source)s?(?:\s+by)?\s*:[^()\n]*|\u00a9[^()\n]*|\bcopyright\b[^()\n]*",
    re.IGNORECASE,
)
_SENTENCE_END = ".!?:;…-"
_MASK = "|"
_CONTRACTIONS = ("'ve", "'ll", "'d", "'re", "'m", "n't")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    text: str
    lower: str
    possessive: bool  # "Palmyra's": the name ends here


@dataclass(frozen=True)
class _Occurrence:
    article: str
    paragraph: int
    start: int
    end: int
    text: str
    key: str
    initial: bool  # only at the start of a sentence: its capital proves nothing
    single: bool
    cue: str | None  # a type suggested by the words around it
    context: str


def discover(
    articles: Sequence[Article],
    known: Mapping[str, Sequence[Mention]],
    entities: Sequence[Entity],
) -> tuple[dict[str, tuple[Mention, ...]], tuple[Candidate, ...]]:
    """Unreviewed mentions per article id, and the candidate names, most frequent first."""
    vocabulary = _lower_case_words(articles)
    by_id = {entity.id: entity for entity in entities}
    found: list[_Occurrence] = []
    for article in articles:
        mentions = tuple(known.get(article.id, ()))
        found.extend(_article_occurrences(article, mentions, by_id, vocabulary))
    known_keys = {alias_key(a) for e in entities for a in (e.name, *e.aliases)}
    groups = _groups(found, known_keys)
    names = {key: _preferred(group) for key, group in groups.items()}
    unreviewed: dict[str, list[Mention]] = {article.id: [] for article in articles}
    for key, group in groups.items():
        entity = UNREVIEWED + (slugify(names[key]) or "name")
        for o in group:
            unreviewed[o.article].append(Mention(entity, o.text, o.paragraph, o.start, o.end, reviewed=False))
    candidates = sorted((_candidate(names[k], g) for k, g in groups.items()), key=lambda c: (-c.count, c.name))
    return {a: tuple(sorted(ms, key=lambda m: (m.paragraph, m.start))) for a, ms in unreviewed.items()}, tuple(candidates)


def _lower_case_words(articles: Iterable[Article]) -> frozenset[str]:
    """Every word the corpus prints in lower case: a capitalised one of them is a common word."""
    seen: set[str] = set()
    for article in articles:
        for paragraph in article.paragraphs:
            seen.update(t for t in _TOKEN.findall(fold(paragraph.text)) if t.islower())
    return frozenset(seen)


def _article_occurrences(article: Article, mentions: tuple[Mention, ...], by_id: Mapping[str, Entity],
                         vocabulary: frozenset[str]) -> list[_Occurrence]:
    of_paragraph: dict[int, list[Mention]] = {}  # grouped once: linear in the article, not paragraphs × mentions
    for m in mentions:
        of_paragraph.setdefault(m.paragraph, []).append(m)
    found = [
        o
        for paragraph in article.paragraphs
        for o in _paragraph_occurrences(article.id, paragraph.n, paragraph.text,
                                        of_paragraph.get(paragraph.n, []), vocabulary)
    ]
    return _resolve_single_words(found, _known_words(mentions, by_id))


def _known_words(mentions: Iterable[Mention], by_id: Mapping[str, Entity]) -> frozenset[str]:
    """The words of every name of the entities an article mentions ("Rahman", "Abdel")."""
    names: set[str] = set()
    for m in mentions:
        entity = by_id.get(m.entity)
        names.update((entity.name, *entity.aliases) if entity else (m.text,))
    return frozenset(w.lower() for name in names for w in _TOKEN.findall(fold(name)))


def _resolve_single_words(found: list[_Occurrence], known_words: frozenset[str]) -> list[_Occurrence]:
    """A lone word that is part of a longer name in the same article counts as that name."""
    full: dict[str, _Occurrence] = {}
    for o in found:
        if not o.single:
            parts = o.key.split()
            full.setdefault(parts[-1], o)
            full.setdefault(parts[0], o)
    resolved = []
    for o in found:
        if o.single and o.key in full:
            resolved.append(replace(o, key=full[o.key].key, cue=o.cue or full[o.key].cue))
        elif not (o.single and o.key in known_words):
            resolved.append(o)
    return resolved


def _paragraph_occurrences(article: str, n: int, text: str, mentions: list[Mention],
                           vocabulary: frozenset[str]) -> list[_Occurrence]:
    masked = _mask(fold(text), mentions)
    tokens = _tokens(masked)
    if _is_chrome(masked, tokens):
        return []
    found = []
    for run in _runs(masked, tokens):
        occurrence = _occurrence(article, n, text, masked, run, tokens, vocabulary)
        if occurrence is not None:
            found.append(occurrence)
    return found


def _mask(folded: str, mentions: list[Mention]) -> str:
    """Blank out known mentions and photo credits, keeping every offset."""
    chars = list(folded)
    spans = [(m.start, m.end) for m in mentions] + [m.span() for m in _CREDIT.finditer(folded)]
    for start, end in spans:
        chars[start:end] = _MASK * (end - start)
    return "".join(chars)


def _tokens(masked: str) -> list[_Token]:
    tokens = []
    for m in _TOKEN.finditer(masked):
        text, end = m.group(), m.end()
        if text.lower().endswith(_CONTRACTIONS):
            continue
        possessive = text.lower().endswith("'s") and len(text) > 2
        if possessive:
            text, end = text[:-2], end - 2
        tokens.append(_Token(m.start(), end, text, text.lower(), possessive))
    return tokens


def _is_chrome(masked: str, tokens: list[_Token]) -> bool:
    """Headlines in Title Case or CAPITALS, bylines and short unpunctuated lines (captions, credits)."""
    long_words = [t for t in tokens if len(t.text) > 3]
    if len(long_words) >= 3 and sum(_capitalised(t.text) for t in long_words) >= 0.75 * len(long_words):
        return True
    if tokens and tokens[0].lower == "by" and len(tokens) <= 8:
        return True
    ending = masked.rstrip(" |)\"'")
    return len(tokens) <= 5 and not ending.endswith((".", "!", "?"))


def _capitalised(word: str) -> bool:
    """"Palmyra", "al-Shadadi", "Abdel-Rahman"; not "British-based" or "Roman-era"."""
    if word[0].isupper():
        return "-" not in word or word.rsplit("-", 1)[-1][:1].isupper()
    if "-" not in word:
        return False
    lower = word.lower()
    return any(lower.startswith(p) and len(word) > len(p) and word[len(p)].isupper() for p in words.PARTICLES)


def _runs(masked: str, tokens: list[_Token]) -> Iterable[list[int]]:
    """Indices of maximal runs of capitalised tokens, joined by single spaces and particles."""
    run: list[int] = []
    for i, token in enumerate(tokens):
        joined = bool(run) and _adjacent(masked, tokens[run[-1]], token)
        if _capitalised(token.text):
            if not joined:
                yield from _flush(run, tokens)
                run = []
            run.append(i)
        elif joined and token.lower in words.CONNECTORS and _joins_next(masked, tokens, i):
            run.append(i)
        else:
            yield from _flush(run, tokens)
            run = []
    yield from _flush(run, tokens)


def _adjacent(masked: str, before: _Token, after: _Token) -> bool:
    return not before.possessive and masked[before.end:after.start] == " "


def _joins_next(masked: str, tokens: list[_Token], i: int) -> bool:
    return i + 1 < len(tokens) and _capitalised(tokens[i + 1].text) and _adjacent(masked, tokens[i], tokens[i + 1])


def _flush(run: list[int], tokens: list[_Token]) -> Iterable[list[int]]:
    while run and not _capitalised(tokens[run[-1]].text):
        run = run[:-1]
    if run:
        yield run


def _occurrence(article: str, n: int, text: str, masked: str, run: list[int], tokens: list[_Token],
                vocabulary: frozenset[str]) -> _Occurrence | None:
    first, last, title = _trim(run, tokens, masked)
    if first > last:
        return None
    name = [tokens[i] for i in range(first, last + 1)]
    if not _is_name(name, vocabulary):
        return None
    start, end = name[0].start, name[-1].end
    initial = first == run[0] and _sentence_start(masked, start)
    after = tokens[last + 1].lower if last + 1 < len(tokens) else ""
    cue = _cue(name, title, _word_before(masked, start), after, masked[end:end + 1])
    printed = text[start:end]
    return _Occurrence(article, n, start, end, printed, alias_key(printed), initial, len(name) == 1, cue,
                       _context(text, start, end))


def _trim(run: list[int], tokens: list[_Token], masked: str) -> tuple[int, int, bool]:
    """Drop function words, titles, weekdays, months and leading nationality adjectives."""
    first, last, title = run[0], run[-1], False
    while first <= last and _edge_word(tokens, first, last, leading=True, masked=masked):
        title = title or tokens[first].lower in words.TITLES
        first += 1
    while last >= first and _edge_word(tokens, last, first, leading=False, masked=masked):
        last -= 1
    return first, last, title


def _edge_word(tokens: list[_Token], i: int, other_end: int, leading: bool, masked: str) -> bool:
    word = tokens[i].lower
    if _is_acronym(tokens[i].text):  # "US", not the pronoun "us"
        return False
    if word in words.STOP or word in words.WEEKDAYS or word in words.CONNECTORS:
        return True
    if leading:
        following = tokens[i + 1] if i < other_end else None
        before_title = following is not None and following.lower in words.TITLES
        before_acronym = following is not None and _is_acronym(following.text)
        return (word in words.TITLES or word in words.MONTHS or (word in words.TITLE_MODIFIERS and before_title)
                or (_is_demonym(word) and (before_title or before_acronym)))
    # "May 2015" is a month; "Theresa May said" is not
    return word in words.MONTHS and re.match(r"\s*\d", masked[tokens[i].end:]) is not None


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isupper()


def _is_demonym(word: str) -> bool:
    return word in words.DEMONYMS or word.endswith(words.DEMONYM_SUFFIXES)


def _is_name(name: list[_Token], vocabulary: frozenset[str]) -> bool:
    lowers = [t.lower for t in name]
    if all(_is_demonym(w) or w in words.TITLES or w in words.STOP for w in lowers):
        return False
    if len(name) > 1:
        return True
    word, printed = lowers[0], name[0].text
    if len(word) < 2 or word in vocabulary or word in words.MONTHS or _is_demonym(word):
        return False
    return not (printed.endswith("s") and _is_acronym(printed[:-1]))  # "MPs", "PCs": common nouns


def _sentence_start(masked: str, start: int) -> bool:
    before = masked[:start].rstrip(" \"'([")
    return not before or before[-1] in _SENTENCE_END


def _word_before(masked: str, start: int) -> str:
    """The word before a name; "city of" and "towns of" count as one word, "city of"."""
    found = re.search(r"(?:(\w+?)s? +(of) +|(\w+)\W*)$", masked[max(0, start - 40):start])
    if not found:
        return ""
    if found.group(2) and found.group(1).lower() in words.PLACE_AFTER_OF:
        return found.group(1).lower() + " of"
    return (found.group(3) or found.group(2) or "").lower()


def _cue(name: list[_Token], titled: bool, before: str, after: str, next_char: str) -> str | None:
    lowers = [t.lower for t in name]
    if lowers[-1] in words.ORGANISATION_HEADS:
        return "organisation"
    if lowers[-1] in words.GROUP_HEADS:
        return "group"
    if lowers[-1] in words.PLACE_HEADS or lowers[0] in words.PLACE_HEADS:
        return "place"
    if (next_char == " " and after in words.PLACE_BEFORE) or before in words.PLACE_CUES:
        return "place"
    if titled or before in words.TITLES:
        return "person"
    person_like = before != "the" and all(t.text[:1].isupper() and not _is_acronym(t.text) for t in name)
    if 2 <= len(name) <= 4 and after in words.PERSON_VERBS and person_like:
        return "person"
    if len(name) == 1 and _is_acronym(name[0].text):
        return "organisation"
    return None


def _context(text: str, start: int, end: int) -> str:
    """About CONTEXT_WIDTH characters of the paragraph around the name, on one line."""
    room = max(0, CONTEXT_WIDTH - (end - start)) // 2
    left, right = max(0, start - room), min(len(text), end + room)
    while left > 0 and not text[left - 1].isspace() and left < start:
        left += 1
    while right < len(text) and not text[right].isspace() and right > end:
        right -= 1
    line = " ".join(fold(text[left:right]).split())
    return ("…" if left > 0 else "") + line + ("…" if right < len(text) else "")


def _groups(found: list[_Occurrence], known_keys: set[str]) -> dict[str, list[_Occurrence]]:
    groups: dict[str, list[_Occurrence]] = defaultdict(list)
    for o in found:
        if o.key not in known_keys:
            groups[o.key].append(o)
    return {key: group for key, group in groups.items() if not all(o.initial for o in group)}


def _preferred(group: list[_Occurrence]) -> str:
    """The most frequent spelling, longer ones first (a lone surname never names the group)."""
    counts = Counter(o.text for o in group if not o.single) or Counter(o.text for o in group)
    return max(counts, key=lambda name: (counts[name], len(name)))


def _candidate(name: str, group: list[_Occurrence]) -> Candidate:
    return Candidate(name, _type_guess(group), len(group), tuple((o.article, o.paragraph, o.context) for o in group))


def _type_guess(group: list[_Occurrence]) -> str:
    """The clear majority of the cues, if cues are seen in at least a quarter of the places."""
    ranked = Counter(o.cue for o in group if o.cue).most_common(2)
    if not ranked or ranked[0][1] * 4 < len(group) or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return "unknown"
    return ranked[0][0]

