"""Discovery: names the authority file does not know yet, suggested for review.

The trained tagger (`tagger`, a CRF fitted on CoNLL-2003) proposes person, place and
organisation names; what it proposes is then checked against what a scraped page holds besides
prose, so that furniture never becomes a name:

- a name inside a known mention, a photo credit or a widget line is dropped;
- a furniture word (Video, Getty, Images, JavaScript…) splits a name, and a lone word left next
  to it is dropped ("Getty Images Hosni Mubarak" gives "Hosni Mubarak");
- titles, weekdays, months and function words are trimmed from the ends ("State Rex Tillerson"
  gives "Rex Tillerson"); a weekday or month alone, or in the plural ("Mondays"), is no name;
- a dateline at the start of a paragraph is cut from the name after it ("JERUSALEM Israel");
- a sentence's first word that the archive otherwise prints in lower case is cut off
  ("Denunciations of Israel" gives "Israel");
- a name the archive's evidence makes likely junk is not proposed (junk_score: the tagger's
  marginals, the type guessed, and whether its mentions read as a product's or a work's, or as a
  person's, an organisation's or a place's: "the Firefox browser" against "Intel said").

Within one article, a lone surname counts as the full name printed there ("Soelistyo" →
"Bambang Soelistyo") and an acronym as the organisation whose initials it spells; a short form
several names in the article share, or that names several records of the authority file,
stays on its own and is listed as ambiguous. Rejected names (the curator's decisions file)
never come back. Every discovered mention is marked unreviewed.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import groupby

from annalist.model import Article, Candidate, Entity, Mention
from annalist.text import fold, slugify

from . import propernames as words
from .givennames import given_names
from .keys import alias_key
from .tagger import LABELS, Tagger, Token, default_tagger, tokens

UNREVIEWED = "unreviewed:"
CONTEXT_WIDTH = 80
_WORD = re.compile(r"[^\W\d_]\w*(?:['-]\w+)*")
_CREDIT = re.compile(
    r"\b(?:photo|picture|image|video|credit|source)s?(?:\s+by)?\s*:[^()\n]*|\u00a9[^()\n]*|\bcopyright\b[^()\n]*"
    r"|\b(?:reporting|editing|writing|compiled|produced|photos?|photographs?|pictures?|images?|videos?|illustrations?"
    r"|updated|posted|written) by\b[^.;()\n]*|\bcourtesy(?: of)?\b[^.;()\n]*"
    r"|[^\W\d_][\w.' -]{1,40}\s?/\s?(?:For|Staff|The|AP|AFP|Reuters|Getty|EPA|Special)\b[^()\n]*"
    r"|\([^()\n]*/[^()\n]*\)"  # "(Caltech/R. Hurt)": a credit in brackets
    r"|(?:[\w.-]+/)+[\w.-]+(?: [A-Z][\w.-]*)*(?: via [A-Z][\w ]*)?"  # "NASA/JPL-Caltech/Space Science Institute via AP"
    r"|\((?:[RDI]|Rep|Dem|Ind)-[A-Z][\w. -]*\)"  # "(R-Ariz.)": a party and a state
    r"|[#@]\w+",  # a hashtag or a handle
    re.IGNORECASE,
)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression ("a|(b|c)|d" -> a, (b|c), d)."""
    found, depth, in_class, escaped, current = [], 0, False, False, ""
    for ch in pattern:
        if escaped or ch == "\\":
            escaped = not escaped
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and not depth:
            found.append(current)
            current = ""
            continue
        current += ch
    return [*found, current]


# _CREDIT without its alternatives that print a "/" (each needs one to match): a paragraph
# without a "/" is searched with it, to the same matches in a fifth of the time
# (tests/test_entities.py checks both on every paragraph of the seeds and the corpora).
_CREDIT_NO_SLASH = re.compile("|".join(a for a in _alternatives(_CREDIT.pattern) if "/" not in a), _CREDIT.flags)
_MORE = re.compile(r"(?:more (?:from|on|about|stories)|read more|related|see also|recommended|watch)\b", re.IGNORECASE)
_CONTRIBUTED = re.compile(r"\bcontributed (?:to this (?:report|story)|reporting)\b|\b(?:AP|Associated Press|Reuters) "
                          r"(?:writers?|reporters?|correspondents?)\b", re.IGNORECASE)
_SENTENCE_END = ".!?:;…"
_COMPASS = frozenset("north south east west northern southern eastern western central".split())
_TITLES = words.TITLES | words.MORE_TITLES  # the tagger knows only words.TITLES
_PERSON_PREFIXES = _TITLES | words.TITLE_MODIFIERS | frozenset("state gov sen rep lt gen det con officer".split())
_NAME_HEADS = _TITLES | words.ORGANISATION_HEADS | words.GROUP_HEADS | words.PLACE_HEADS


@dataclass(frozen=True)
class _Occurrence:
    article: str
    outlet: str | None
    paragraph: int
    start: int
    end: int
    text: str
    key: str
    label: str  # person | place | organisation
    words: int
    context: str
    initial: bool = False  # begins a sentence (its capital proves nothing on its own)
    ambiguous: tuple[str, ...] = ()
    confidence: float = 1.0  # the tagger's marginal probability of the name, of its type
    misc: float = 0.0  # … and of a MISC name (an event, a people, a product: not proposed)
    glued: bool = False  # a capitalised word touches it (see _glued)
    typed: float = 1.0  # the tagger's marginal probability of a name of its own type
    determined: bool = False  # an article or a possessive comes before it ("the Moon", "his Good Will Hunting")
    titled: bool = False  # a person's title comes before it ("President Bashar al Assad")
    quoted: bool = False  # printed alone between quotation marks: the title of a work ("Aero Zeppelin")
    paragraph_text: str = ""  # the paragraph it is printed in (a reference, not a copy)
    headline: bool = False  # printed in a line in Title Case (see _headline)


def discover(
    articles: Sequence[Article],
    known: Mapping[str, Sequence[Mention]],
    entities: Sequence[Entity],
    rejected: Iterable[str] = (),
    tagger: Tagger | None = None,
    occurrences=None,
    map=map,
    lower_words=None,
    whole_spans=None,
    proposed=None,
    evidence: dict[str, tuple[Mention, ...]] | None = None,
) -> tuple[dict[str, tuple[Mention, ...]], tuple[Candidate, ...]]:
    """Unreviewed mentions per article id, and the candidate names, most widely printed first.

    `rejected`: names the curator rejected; neither they nor their spellings are proposed again.
    `occurrences`: replaces _article_occurrences (same arguments, same result), e.g. by one that
    reuses an earlier build's result (annalist.pipeline's cache).
    `map`: how the per-article step is mapped (the pipeline passes annalist.parallel's, order-keeping).
    `lower_words(articles)`: replaces article_lower_words on each (same result), e.g. by one that
    reuses an earlier build's.
    `whole_spans`: replaces _whole_spans (see _whole_names), e.g. by one that reuses an earlier build's.
    `proposed`: replaces _proposed (whether a name is proposed), e.g. by one that reuses an earlier build's.
    `evidence`: when given, filled with article id -> the mentions of the names the junk score alone
    held back (see MAX_EVIDENCE_SCORE): not proposed nor marked, but story grouping weighs them
    (annalist.pipeline), as it weighed them when it was calibrated.
    """
    tagger = tagger or default_tagger()
    vocabulary = _lower_case_words(articles) if lower_words is None else frozenset().union(*lower_words(articles))
    by_id = {entity.id: entity for entity in entities}
    short_forms = _short_forms(entities)
    per_article_step = functools.partial(_occurrences_of, known=known, by_id=by_id, short_forms=short_forms,
                                         vocabulary=vocabulary, tagger=tagger,
                                         occurrences=occurrences or _article_occurrences)
    found: list[_Occurrence] = []
    misc: Counter[str] = Counter()
    for per_article, misc_keys in map(per_article_step, articles):
        found.extend(per_article)
        misc.update(misc_keys)
    found = _whole_names(found, misc, whole_spans)
    things = _names_of_things(misc)
    found = [o for o in found if o.key not in things]  # "Sandy" of "Hurricane Sandy"
    known_keys = {alias_key(a) for e in entities for a in (e.name, *e.aliases)}
    groups, held = _groups(found, known_keys, {alias_key(r) for r in rejected}, misc, vocabulary, proposed)
    if evidence is not None:
        kept: dict[str, list[Mention]] = defaultdict(list)
        for group in held.values():
            entity = UNREVIEWED + candidate_slug(_preferred(group))
            for o in group:
                kept[o.article].append(Mention(entity, o.text, o.paragraph, o.start, o.end, reviewed=False))
        evidence.update({a: tuple(sorted(ms, key=lambda m: (m.paragraph, m.start))) for a, ms in kept.items()})
    names = {key: _preferred(group) for key, group in groups.items()}
    unreviewed: dict[str, list[Mention]] = {article.id: [] for article in articles}
    for key, group in groups.items():
        entity = UNREVIEWED + candidate_slug(names[key])
        for o in group:
            unreviewed[o.article].append(Mention(entity, o.text, o.paragraph, o.start, o.end, reviewed=False))
    candidates = sorted((_candidate(names[k], g) for k, g in groups.items()), key=rank)
    return {a: tuple(sorted(ms, key=lambda m: (m.paragraph, m.start))) for a, ms in unreviewed.items()}, tuple(candidates)


@lru_cache(maxsize=100_000)
def candidate_slug(name: str) -> str:
    """The slug of a discovered name; a name in a script slugs cannot spell (Arabic, Hebrew,
    Cyrillic) gets one from its checksum, so two such names never share a slug."""
    import hashlib

    name = " ".join(name.split())
    return slugify(name) or "name-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def rank(candidate: Candidate) -> tuple:
    """Review order: printed by the most outlets first, then the most often, then by name."""
    return (-len(candidate.outlets), -candidate.count, -candidate.articles, candidate.name)


def _lower_case_words(articles: Iterable[Article]) -> frozenset[str]:
    """Every word the archive prints in lower case: a sentence-initial capital of one proves nothing."""
    return frozenset().union(*(article_lower_words(a) for a in articles))


def article_lower_words(article: Article) -> frozenset[str]:
    """The words one article prints in lower case (see _lower_case_words)."""
    seen: set[str] = set()
    for paragraph in article.paragraphs:
        seen.update(t for t in _WORD.findall(fold(paragraph.text)) if t.islower())
    return frozenset(seen)


def _short_forms(entities: Sequence[Entity]) -> dict[str, tuple[str, ...]]:
    """Each word of a multi-word person's name -> the records whose names hold it as their last
    or first word ("simpson" -> O.J. Simpson, Nicole Brown Simpson)."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity in entities:
        if entity.type != "person":
            continue
        for name in (entity.name, *entity.aliases):
            parts = alias_key(name).split()
            if len(parts) > 1:
                owners[parts[-1]].add(entity.id)
    return {word: tuple(sorted(ids)) for word, ids in owners.items()}


def _occurrences_of(article: Article, known, by_id, short_forms, vocabulary,
                    tagger, occurrences=None) -> tuple[list[_Occurrence], list[str]]:
    return (occurrences or _article_occurrences)(article, tuple(known.get(article.id, ())), by_id, short_forms,
                                                 vocabulary, tagger)


def _article_occurrences(article: Article, mentions: tuple[Mention, ...], by_id: Mapping[str, Entity],
                         short_forms: Mapping[str, tuple[str, ...]], vocabulary: frozenset[str],
                         tagger: Tagger) -> tuple[list[_Occurrence], list[str]]:
    """The article's person, place and organisation names, and the keys of the names the tagger
    reads as MISC there (an event, a work, a product, a people: see _groups)."""
    paragraphs = article.paragraphs
    found: list[_Occurrence] = []
    misc: list[str] = []
    outlet = article.outlet.value
    of_paragraph: dict[int, list[Mention]] = {}  # grouped once: linear in the article, not paragraphs × mentions
    for m in mentions:
        of_paragraph.setdefault(m.paragraph, []).append(m)
    for paragraph, spans in zip(paragraphs, tagger.document([p.text for p in paragraphs])):
        text = paragraph.text
        blocked = [(m.start, m.end) for m in of_paragraph.get(paragraph.n, ())]
        folded = fold(text)
        blocked += [m.span() for m in (_CREDIT if "/" in folded else _CREDIT_NO_SLASH).finditer(folded)]
        if _is_widget_line(text):
            continue
        headline = _headline(text, vocabulary)
        for span in spans:
            if any(s < span.end and span.start < e for s, e in blocked):
                continue
            if span.label not in LABELS or _named_thing(text[span.start:span.end]):
                misc.append(alias_key(text[span.start:span.end]))  # "Hurricane Sandy" is an event, whatever the tagger says
                continue
            for start, end, person in _clean(text, span.start, span.end, vocabulary, span.label == "PER"):
                printed = text[start:end]
                label = "person" if person else LABELS[span.label]
                found.append(_Occurrence(
                    article.id, outlet, paragraph.n, start, end, printed, alias_key(printed), label,
                    len(printed.split()), _context(text, start, end), _sentence_start(text, start),
                    confidence=span.confidence, misc=span.misc, typed=span.typed, glued=_glued(text, start, end, vocabulary, label),
                    quoted=_quoted(text, start, end), determined=_determined(text, start),
                    titled=_titled(text, start), paragraph_text=text, headline=headline))
        # a surname of the authority file's people that recognition left unresolved, tagged or not
        taken = blocked + [(o.start, o.end) for o in found if o.paragraph == paragraph.n]
        for tok in tokens(text):
            key = tok.text.lower()
            if key in short_forms and tok.text[:1].isupper() and not any(s < tok.end and tok.start < e for s, e in taken):
                found.append(_Occurrence(
                    article.id, outlet, paragraph.n, tok.start, tok.end, tok.text, key, "person", 1,
                    _context(text, tok.start, tok.end), _sentence_start(text, tok.start), paragraph_text=text))
    return _resolve_short_forms(found, _known_words(mentions, by_id), short_forms), misc


def _headline(text: str, vocabulary: frozenset[str]) -> bool:
    """A line in Title Case ("President Obama Announces Nominee for Surgeon General", "Texas Prison
    Escapee Added to U.S. Marshals' 15 Most Wanted"): nearly every longer word capitalised, two or
    more of them words the archive prints in lower case. The tagger cuts names badly there; a list
    of names or a table of results has no such common words."""
    folded = fold(text)
    if sum(folded.count(c) for c in ",;") > 1:
        return False  # a list of names ("Elisa K. McEachern, John H. Hwang, …")
    long_words = [w for w in _WORD.findall(folded) if len(w) > 3]
    capitalised = [w for w in long_words if w[:1].isupper()]
    common = [w for w in capitalised if w.lower() in vocabulary and w.lower() not in _THING_HEADS
              and w.lower() not in _TITLES]
    return len(long_words) >= 3 and len(capitalised) >= 0.8 * len(long_words) and len(common) >= 2


_DETERMINER = re.compile(r"(?:^|[^\w'])(?:the|a|an|his|her|its|their|our|my|your|this|that)\s+$", re.IGNORECASE)


def _determined(text: str, start: int) -> bool:
    """Whether an article or a possessive comes right before the name: a person's name takes
    none ("the Moon", "the Patriarch", "his Good Will Hunting co-star"; see _sure)."""
    return bool(_DETERMINER.search(fold(text[max(0, start - 8):start])))


def _titled(text: str, start: int) -> bool:
    """Whether a person's title comes right before the name ("President", "Mr", "Sen.")."""
    before = re.search(r"([A-Za-z]+)\.? $", fold(text[max(0, start - 16):start]))
    return bool(before) and before.group(1).lower() in _TITLES


def _quoted(text: str, start: int, end: int) -> bool:
    """Whether the name is the whole of a quotation ("Aero Zeppelin," "Heavenly Creatures"): the
    title of a song, a film or a book, not a person, place or organisation."""
    # fold() maps character to character: only the characters read are folded
    return fold(text[start - 1:start]) == '"' and fold(text[end:end + 2]).lstrip(",.!?")[:1] == '"'


# Words that open the name of an event rather than of a person, place or organisation: a storm.
_THING_OPENERS = frozenset("hurricane typhoon cyclone superstorm storm".split())


def _named_thing(printed: str) -> bool:
    """Whether a name holds the name of a storm ("Hurricane Sandy", "Tropical Storm Bill"): an
    event, not a person, place or organisation (unless a common word follows: "Storm Prediction
    Center")."""
    parts = printed.split()
    return any(w.lower() in _THING_OPENERS and nxt[:1].isupper() and not _common(nxt.lower())
               for w, nxt in zip(parts, parts[1:]))


def _names_of_things(misc: Mapping[str, int]) -> frozenset[str]:
    """The names printed after a storm's ("sandy" of "hurricane sandy"): printed alone, they name
    the storm, not a person."""
    found = set()
    for key in misc:
        parts = key.split()
        for i, word in enumerate(parts[:-1]):
            if word in _THING_OPENERS:
                found.add(" ".join(parts[i + 1:]))
    return frozenset(found)


def _whole_names(found: list[_Occurrence], misc: Counter[str], spans_of=None) -> list[_Occurrence]:
    """A name is kept whole: a mention the tagger cut from a longer name that it reads as a name
    elsewhere in the archive ("Korea" of "South Korea", "Franken" of "Al Franken", "Superior Court"
    of "Kern County Superior Court") becomes a mention of the longer name; one cut from a name the
    tagger only ever reads as MISC (an event, a work, a product) is dropped with it.
    `spans_of`: replaces _whole_spans (same arguments, same result), e.g. by one that reuses an
    earlier build's result for an article (annalist.pipeline's cache)."""
    proposed = {o.key for o in found}
    names = proposed | set(misc)
    result = []
    for _, group in groupby(found, key=lambda o: o.article):  # occurrences come article by article
        group = list(group)
        for o, span in zip(group, (spans_of or _whole_spans)(group, proposed, names)):
            if span is None:
                result.append(o)
            elif span:
                result.append(_widened(o, *span))
    return result


def _whole_spans(found: list[_Occurrence], proposed, names) -> list[tuple[int, int] | None]:
    """_whole_names on one article's occurrences, looking up only `in proposed` and `in names`:
    per occurrence, None (kept as it is), the (start, end) of the longer name it is a piece of,
    or () (dropped: a piece of a name the tagger reads as MISC)."""
    paragraph_tokens: dict[tuple[str, int], list[Token]] = {}
    spans: list = []
    for o in found:
        where = (o.article, o.paragraph)
        if where not in paragraph_tokens:
            paragraph_tokens = {where: tokens(o.paragraph_text)}  # occurrences come paragraph by paragraph
        longer = _longest_around(o, paragraph_tokens[where], names)
        if longer is None:
            spans.append(None)
            continue
        start, end = longer
        spans.append(longer if alias_key(o.paragraph_text[start:end]) in proposed else ())
    return spans


def _widened(o: _Occurrence, start: int, end: int) -> _Occurrence:
    """The occurrence as a mention of the longer name printed at start:end around it."""
    printed = o.paragraph_text[start:end]
    return replace(o, start=start, end=end, text=printed, key=alias_key(printed), words=len(printed.split()),
                   context=_context(o.paragraph_text, start, end),
                   initial=_sentence_start(o.paragraph_text, start), glued=False)


_REACH = 3  # words a cut name may have lost on either side


def _longest_around(o: _Occurrence, toks: list[Token], names: set[str]) -> tuple[int, int] | None:
    """The offsets of the longest name of `names` printed around the occurrence that holds it and
    a capitalised word more, or None."""
    inside = [i for i, t in enumerate(toks) if o.start <= t.start and t.end <= o.end]
    if not inside:
        return None
    first, last = inside[0], inside[-1]

    def reach(indices: range) -> list[int]:
        taken = []
        for i in indices:
            word = toks[i].text
            low = word.lower().rstrip(".")
            if not (word[:1].isupper() or low in words.CONNECTORS) or (low in words.STOP and low not in words.CONNECTORS) \
                    or low in _PERSON_PREFIXES or low in words.TITLE_MODIFIERS:
                break  # "The" never opens a name ("The United States" is "United States"), nor does a title
            taken.append(i)
            if len(taken) == _REACH:
                break
        return taken

    lefts = [first] + [i for i in reach(range(first - 1, -1, -1)) if toks[i].text[:1].isupper()]
    rights = [last] + [i for i in reach(range(last + 1, len(toks))) if toks[i].text[:1].isupper()]
    best = None
    for left in lefts:
        for right in rights:
            if (left, right) == (first, last):
                continue
            start, end = toks[left].start, toks[right].end
            if alias_key(o.paragraph_text[start:end]) in names and (best is None or end - start > best[1] - best[0]):
                best = (start, end)
    return best


def _is_widget_line(text: str) -> bool:
    """A short line without a sentence's end that holds a furniture word ("Replay More Videos"),
    or a byline ("By John Smith")."""
    found = tokens(text)
    toks = [t.text.lower() for t in found]
    if (toks[:1] == ["by"] and len(toks) <= 8) or _CONTRIBUTED.search(text):
        return True  # a byline, or the agency's list of contributors
    if len(toks) <= 8 and _MORE.match(text.strip()):
        return True  # "More from MarketWatch", "Read more", "Related: …"
    if any(w in words.FURNITURE for w in toks):  # a headline or widget strip in Title Case
        long_words = [t.text for t in found if len(t.text) > 3 and t.text[:1].isalpha()
                      and t.text.lower() not in words.FURNITURE]
        if len(long_words) >= 3 and sum(w[:1].isupper() for w in long_words) >= 0.75 * len(long_words):
            return True
    ending = text.rstrip(" )\"'")
    return len(toks) <= 8 and not ending.endswith((".", "!", "?")) and any(w in words.FURNITURE for w in toks)


def _clean(text: str, start: int, end: int, vocabulary: frozenset[str],
           person: bool = False) -> list[tuple[int, int, bool]]:
    """The name(s) left of a proposed span once furniture, titles and glued words are cut off,
    each with whether it is a person's name: what follows a title inside any name is one
    ("Transportation Security Administration Officer Gerardo Hernandez" gives the organisation
    and "Gerardo Hernandez")."""
    toks = [Token(start + t.start, start + t.end, t.text) for t in tokens(text[start:end])]
    toks = [_unmangled(t) for t in toks]
    segments: list[list[Token]] = [[]]
    for i, tok in enumerate(toks):
        if tok.text.lower() in words.FURNITURE or _breaks(toks, i):
            segments.append([])
        else:
            segments[-1].append(tok)
    furnished = any(t.text.lower() in words.FURNITURE for t in toks)
    if len(segments[-1]) > 1 and fold(text[end:end + 2]).lstrip()[:1] == ":":
        segments[-1] = segments[-1][:-1]  # "Curt Siodmak Cinematography:": a field's label, then its value
    result = []
    for segment in segments:
        for part in _split_dateline(text, segment):
            part = _trim(text, part, vocabulary, person)
            pieces = [(part, person)]
            if not person and len(part) >= 3 and part[0].text.lower().rstrip(".") in _PERSON_PREFIXES \
                    and part[1].text.lower() in given_names():
                pieces = [(part[1:], True)]  # "State Condoleezza Rice" of "Secretary of State Condoleezza Rice"
            elif not person:
                held, titled = _titled_person(part)
                if titled:
                    pieces = [(_trim(text, held, vocabulary), False), (titled, True)]
            for piece, is_person in pieces:
                piece = _person_name(piece, vocabulary) if is_person else piece
                if _kept(piece, vocabulary, is_person, furnished):
                    domain = _DOMAIN.match(text, piece[-1].end)  # "Radio-Info.com", not "Radio-Info"
                    result.append((piece[0].start, domain.end() if domain else piece[-1].end, is_person))
    return result


def _person_name(part: list[Token], vocabulary: frozenset[str] = frozenset()) -> list[Token]:
    while len(part) > 1 and part[0].text.lower().rstrip(".") in _PERSON_PREFIXES:
        part = part[1:]  # "State Rex Tillerson" of "Secretary of State Rex Tillerson"
    part = _after_title(part)
    of = next((i for i, t in enumerate(part) if t.text == "of"), None)
    if of is not None and of >= 2:
        part = part[:of]  # "Vishwanand Subryan of Schenectady" (not "Jesus of Nazareth")
    roles = [i for i, t in enumerate(part[:-2]) if t.text[:1].isupper() and len(t.text) > 1
             and t.text.lower() in vocabulary and t.text.lower() not in words.CONNECTORS]
    if roles and not re.fullmatch(r"[A-Z]\.?", part[roles[-1] + 1].text):  # not "Randy W. Lambach"
        part = part[roles[-1] + 1:]  # "Court Clerk Dan Fallon", "Texas Ranger Nick Hanna": a role, then the name
    owner = next((i for i, t in enumerate(part[:-2]) if t.text in ("'s", "’s")), None)
    if owner is not None and part[owner + 1].text.lower() in given_names():
        part = part[owner + 1:]  # "Oxfam's Barbara Stocking": the organisation's, then the person's name
    while len(part) > 1 and _demonym(part[0].text):
        part = part[1:]  # "Russians Mikhail Tyurin"
    while len(part) > 1 and (part[-1].text.rstrip(".").upper() in _POSTNOMINALS or re.fullmatch(r"(?:[A-Z]\.){2,}", part[-1].text)):
        part = part[:-1]  # "Barra McGrory QC", "Danny Elfman U.S." (of "… U.S. Distributor:")
    return part


_DOMAIN = re.compile(r"\.(?:com|org|net|gov|edu|co\.uk|co)\b")
_POSTNOMINALS = frozenset("QC KC MP MEP MD PHD OBE MBE CBE ESQ".split())


def _titled_person(part: list[Token]) -> tuple[list[Token], list[Token]]:
    """A name the tagger read as a place or an organisation that holds a title followed by a
    person's name ("York Mayor Michael Bloomberg", "Los Angeles Police Commission Inspector
    General Alex Bustamante"): what precedes the title, and the person's name, or (part, [])."""
    for i, tok in enumerate(part[:-1]):
        low = tok.text.lower().rstrip(".")
        if i == 0 or (low not in _TITLES and low not in _HONORIFICS):
            continue
        rest = part[i + 1:]
        while rest and (rest[0].text.lower().rstrip(".") in _TITLES or rest[0].text.lower() in words.TITLE_MODIFIERS):
            rest = rest[1:]  # "Inspector General", "Vice President"
        if rest and rest[0].text.lower() in ("of", "for"):
            rest = rest[-2:] if len(rest) >= 4 else []  # "Vice President of Education Fabio Sementilli"
        if len(rest) >= 2 and all(t.text[:1].isupper() or t.text.lower() in words.CONNECTORS for t in rest) \
                and rest[-1].text.lower() not in _NAME_HEADS:
            held = part[:i]
            while held and held[-1].text.lower() in words.TITLE_MODIFIERS:
                held = held[:-1]
            return held, rest
    return part, []


_HONORIFICS = frozenset("honorable honourable hon officer".split())


def _kept(part: list[Token], vocabulary: frozenset[str], person: bool, furnished: bool) -> bool:
    if not part:
        return False
    head = part[-1].text.lower()
    if len(part) > (2 if person and head in _SURNAME_HEADS else 1) and head in KIND_HEADS:
        return False  # "Parker Solar Probe", "Nobel Peace Prize": a thing or an event, not a name
    if len(part) == 1 and part[0].text.lower() in KIND_WORDS:
        return False
    if (furnished and sum(t.text[:1].isalnum() for t in part) < 2):
        return False
    return _is_name(part, vocabulary, person)


def _demonym(word: str) -> bool:
    low = word.lower()
    return low in words.DEMONYMS or low.rstrip("s") in words.DEMONYMS or low.endswith(("ians", "eans", "ese")) \
        or low in words.MORE_DEMONYMS


# Heads of names of another kind than a person, place or organisation (CoNLL's MISC: awards,
# events, laws, craft, products, diseases), and words that are never one.
KIND_HEADS = frozenset("""award awards prize prizes medal medals trophy cup bowl championship championships games
    olympics festival act treaty accord accords probe mission telescope rover spacecraft satellite station system
    syndrome disease diseases virus day eve year war wars revolution classification index scale""".split())
KIND_HEADS |= frozenset("convention conventions law laws amendment doctrine pact protocol".split())
KIND_HEADS |= frozenset("cpu cpus gpu gpus chipset chipsets processor".split())  # "Xeon CPU", "Ivy Bridge CPUs"
KIND_HEADS |= frozenset("bill diaries ale".split())  # "Mental Capacity Bill", "Alan Clark Diaries", "… Brown Ale"
# Academic degrees, which are printed like acronyms ("a BS in Chemistry", "an MBA from Tulane"); not
# BA, MA, MS, MD (British Airways, Massachusetts, Mississippi, Maryland).
DEGREES = frozenset("bs bsc msc mba phd dphil mphil llb llm".split())
# Abbreviated titles of police, military and council ranks, which the tagger may cut off alone.
TITLE_ABBREVIATIONS = frozenset("det insp supt sgt cllr adm cmdr brig capt cpl pte lt col maj gen sen rep gov".split())
_SURNAME_HEADS = frozenset("day games cup bill".split())  # "Doris Day", "Buffalo Bill": a head that is also a name
# Words that are never a person's, place's or organisation's name alone: units, and the awards printed
# by their nicknames ("won an Emmy", "a Bafta"; not "Tony", a first name as often as the award).
KIND_WORDS = frozenset("kelvin fahrenheit celsius emmy emmys oscar oscars bafta baftas grammy grammys tonys".split())
# Peoples and faiths, nouns and adjectives (CoNLL's MISC), beside the tagger's nationality words.
PEOPLES = frozenset("""latino latina latinos latinas hispanic hispanics nazi nazis catholic catholics protestant
    protestants mormon mormons hindu hindus buddhist buddhists sikh sikhs evangelical evangelicals scot scots uzbek
    uzbeks turkmen turkmens kazakh kazakhs tajik tajiks kyrgyz brit brits""".split())


def _after_title(toks: list[Token]) -> list[Token]:
    """A person's name is what follows a title inside the span ("Financial Officer Brian Gilvary",
    "Attorneys General Yates"; not "Martin Luther King Jr"), or an abbreviation in capitals before
    it ("MVP Taran Killam", "DC Bird", "Microsoft CVP Phil Harrison": a role or a rank, not a first name)."""
    for i in range(len(toks) - 2, -1, -1):
        low = toks[i].text.lower().rstrip(".")
        rest = toks[i + 1:]
        if (low in _PERSON_PREFIXES or low.removesuffix("s") in _PERSON_PREFIXES) and rest[0].text[:1].isupper() \
                and rest[-1].text.lower().rstrip(".") not in _SUFFIXES:
            return rest
    for i in range(len(toks) - 1):  # "MVP Taran Killam"; "Microsoft CVP Phil Harrison"
        rest = toks[i + 1:]
        if toks[i].text.isupper() and 2 <= len(toks[i].text) <= 4 and toks[i].text.isalpha() \
                and (i == 0 or len(rest) >= 2) and all(t.text[:1].isupper() and not t.text.isupper() for t in rest):
            return rest
    return toks


_SUFFIXES = frozenset("jr sr ii iii iv".split())


def _glued(text: str, start: int, end: int, vocabulary: frozenset[str], label: str = "") -> bool:
    """Whether a capitalised word touches the name, so that the name is likely a piece of a longer
    one the tagger cut ("Human Rights" of "Human Rights Watch", "Ogwen Valley Mountain" of "Ogwen
    Valley Mountain Rescue Team"). Not a title, a calendar or function word, an abbreviation in
    capitals, a sentence's first word, or before the name a word the archive prints in lower case
    ("Billionaire Phillip Ruffin")."""
    folded = fold(text)
    shouting = folded[start:end].isupper()

    def glue(word: str, before: bool, at: int) -> bool:
        low = word.lower().rstrip(".")
        if before and low.endswith("'s") and low[:-2] in _PEOPLE_PLURALS and not _sentence_start(folded, at):
            return True  # "Women's" of "Women's Tennis Association": their possessive opens the name
        if word.isupper() or shouting or low.endswith("'s") or low in _NOT_GLUE or low.removesuffix("s") in _NOT_GLUE:
            return False
        if before and label != "person" and (low in _COMPASS or low in _NAME_HEADS):
            return True  # "South" of "South Korea" (even opening a sentence), "County" of "… County Superior Court"
        if before and label == "organisation" and (low in words.DEMONYMS or low.endswith(("ian", "ean", "can"))):
            return True  # "American" of "American Medical Association"
        if before and label not in ("person", "") and low in vocabulary and not _sentence_start(folded, at) \
                and low not in words.DEMONYMS and not low.endswith(words.DEMONYM_SUFFIXES):
            return True  # "Traditional" of "the Traditional Unionist Voice party"
        if before and (low in vocabulary or _sentence_start(folded, at) or low.endswith(words.DEMONYM_SUFFIXES)
                       or low in words.DEMONYMS):
            return False
        return True

    name = folded[start:end]
    if label == "person" and _cut_surname(name, folded[end:]):
        return True  # "Rory" of "Rory Read", "Theresa" of "Theresa May", "Emmett" of "Emmett Till"
    right_word = _RIGHT_WORD.match(folded, end)  # at `end`: as re.match on folded[end:], without the copy
    last = name.split()[-1].lower() if name.split() else ""
    if right_word and len(name.split()) > 1 and right_word.group(1).lower() in _TITLES and last in vocabulary \
            and last not in _NAME_HEADS:
        return True  # "House Minority" of "House Minority Leader Nancy Pelosi"
    if right_word and name.isupper() and right_word.group(1).isupper() and len(right_word.group(1)) >= 3 \
            and sum(c.isupper() for c in folded) * 2 < sum(c.isalpha() for c in folded):
        return True  # "USA" of "USA TODAY" in a sentence in lower case
    if _SPACE_DIGIT.match(folded, end) and last in vocabulary:
        return True  # "U.S. Highway" of "U.S. Highway 101", "Interstate" of "Interstate 435"
    joined = _JOINED.match(folded, end)
    if joined and joined.group(1).lower() in _AND_HEADS and not shouting:
        return True  # "Australian Communications" of "Australian Communications and Media Authority"
    opened = _and_opened(folded, start)
    if opened and label != "person" and len(name.split()) > 1 and last in _AND_PIECE_HEADS \
            and opened.group(2).lower() in vocabulary \
            and not (opened.group(1) and opened.group(1)[:1].isupper() and opened.group(1).lower() not in ("the", "a", "an")):
        return True  # "Exchange Commission" of "the Securities and Exchange Commission"; not "Tennessee Tech and LaSalle University"
    if _particle_before(folded, start):
        return True  # "Isa Al Khalifa" of "Hamad bin Isa Al Khalifa", "Toro" of "del Toro"
    left = _word_before(folded, start)
    right = _RIGHT_LABEL.match(folded, end)  # not a field's label ("Cinematography:")
    return bool((left and glue(left.group(1), True, left.start(1))) or (right and glue(right.group(1), False, 0)))


# The searches of the text before a name: each is re.search of its pattern on folded[:start], without
# copying that text and, where the pattern allows, without scanning it from the paragraph's start
# at every name (tests/test_discover.py compares them with the searches on the slices).

def _and_opened(folded: str, start: int) -> re.Match | None:
    """_AND_OPENED before `start`: its every match ends with " and " (or " and " and a last
    newline, where $ also matches), so only then is the text searched."""
    return _AND_OPENED.search(folded, 0, start) if folded.endswith((" and ", " and \n"), 0, start) else None


def _particle_before(folded: str, start: int) -> re.Match | None:
    """_PARTICLE_BEFORE before `start`: its every match ends with a particle and " " (and maybe
    a last newline)."""
    return _PARTICLE_BEFORE.search(folded, 0, start) if folded.endswith(_PARTICLE_ENDS, 0, start) else None


def _word_before(folded: str, start: int) -> re.Match | None:
    """_LEFT_WORD before `start`, searched from just after the last space before start - 2: a
    match is a run of characters without a space, then " " where $ matches (at start, or at
    start - 1 before a last newline), so its run holds every index from its start to start - 3
    and none starts at or before such a space. "^" matches at the string's start only, whatever
    the search's start; the look-behind reads the text before it as before."""
    return _LEFT_WORD.search(folded, folded.rfind(" ", 0, max(start - 2, 0)) + 1, start)


_RIGHT_WORD = re.compile(r" ([A-Z][\w'&-]*)")
_SPACE_DIGIT = re.compile(r" \d")
_JOINED = re.compile(r" (?:and|&) (?:[A-Z][\w'-]* ){0,3}([A-Z][\w'-]*)")
_PARTICLES = "al el bin ibn bint abu de del della der di du da van von den la le".split()
_PARTICLE_BEFORE = re.compile(r"(?:^|\s)(?:" + "|".join(_PARTICLES) + ") $")
_PARTICLE_ENDS = tuple(p + end for p in _PARTICLES for end in (" ", " \n"))  # what every match of it ends with
_LEFT_WORD = re.compile(r"(?:^|(?<=[\s(\"']))([A-Z][\w'&-]*) $")
_RIGHT_LABEL = re.compile(r" ([A-Z][\w'&-]*)(?!\w*:)")
_PEOPLE_PLURALS = frozenset("women men children people girls boys".split())  # "Women's Tennis Association"
_CUT_SURNAME = words.STOP | words.MONTHS | words.WEEKDAYS
_NEXT_WORD = re.compile(r" ([A-Z][a-z]+)\b(?!')")


def _cut_surname(name: str, after: str) -> bool:
    """A lone first name (of the Census lists, givennames) followed by a capitalised word that is
    also a function or calendar word: a surname the tagger or the trimming cut off ("Rory Read",
    "Theresa May", "Emmett Till")."""
    following = _NEXT_WORD.match(after)
    return bool(following and " " not in name and name.lower() in given_names()
                and following.group(1).lower() in _CUT_SURNAME)


_AND_HEADS = words.ORGANISATION_HEADS | frozenset("administration authority commission agency institute service services".split())
# "Fish and Wildlife Service": a common word and "and" before an organisation's head open its name.
_AND_OPENED = re.compile(r"(?:^|(\S+) )([A-Z][a-z]+) and $")
_AND_PIECE_HEADS = _AND_HEADS | frozenset("""committee office council board department ministry union federation
    organisation organization corporation company institute association""".split())
_NOT_GLUE = (_PERSON_PREFIXES | words.STOP | words.MONTHS | words.WEEKDAYS | words.CONNECTORS
             | frozenset("officer officers".split()))


def _unmangled(tok: Token) -> Token:
    """A word with a quotation mark's mojibake glued on ("Telesatâs", "Eventâ": UTF-8 read as
    Latin-1) ends before it."""
    cut = tok.text.find("â")
    rest = tok.text[cut + 1:]
    if cut > 0 and tok.text[:cut].isascii() and (rest in ("s", "") or not rest[:1].isalpha()):
        return Token(tok.start, tok.start + cut, tok.text[:cut])
    return tok


def _breaks(toks: list[Token], i: int) -> bool:
    """What no name holds: a comma, a quotation mark, a full stop after a word (not an abbreviation
    printed inside names, "St.", "Gen.": "spokeswoman Christina Lee. Kleiner's costs", "Del.
    Eleanor Holmes Norton") or after an abbreviation in capitals ("the banned substance EPO.
    Lombard's"), a lower-case word other than a particle ("FISC in October")."""
    word = toks[i].text
    if word in ",;:!?\"()[]|/":
        return True
    if word == "the" and 0 < i < len(toks) - 1 and toks[i - 1].text in ("of", "for") and toks[i + 1].text[:1].isupper():
        return False  # "National Movement for the Liberation of Azawad"
    if word[:1].islower() and word.lower() not in words.CONNECTORS and word != "'s" and "-" not in word:
        return True
    if word.lower() == "'s" and i > 0 and toks[i - 1].text.isupper():
        return True  # "NASA's New Horizons"; "Lloyd's List" stays whole (tagger.join_names)
    if word != "." or i == 0:
        return False
    before = toks[i - 1].text  # an initial ("George H. W. Bush") never ends a name
    return len(before) > 1 and (len(before) > 3 or before.isupper() or before.lower() not in _ABBREVIATIONS_IN_NAMES)


# Abbreviations of two or three letters a name may hold before its full stop ("St. Louis", "Gen.
# Colin Powell", "Apple Inc.", "Martin Luther King Jr."): after any other word a full stop ends it.
_ABBREVIATIONS_IN_NAMES = frozenset(a for a in TITLE_ABBREVIATIONS if len(a) <= 3) | frozenset(
    "st mt ft jr sr mr mrs ms dr rev hon inc ltd co no ave".split())


def _split_dateline(text: str, toks: list[Token]) -> list[list[Token]]:
    """"JERUSALEM Israel …": a word in capitals (three letters or more opening a paragraph, five
    elsewhere, so that "BBC News" stays whole) followed by one in lower case is a name of its own."""
    if len(toks) < 2:
        return [toks]
    shortest = 3 if not text[:toks[0].start].strip(" \"'([") else 5
    for i, tok in enumerate(toks[:-1]):
        if not (tok.text.isupper() and len(tok.text) >= shortest):
            break
        following = toks[i + 1].text
        if following[:1].isupper() and not following.isupper():
            return [toks[:i + 1], toks[i + 1:]]
    return [toks]


def _trim(text: str, toks: list[Token], vocabulary: frozenset[str], person: bool = False) -> list[Token]:
    def edge(tok: Token, leading: bool) -> bool:
        low = tok.text.lower()
        if not tok.text[:1].isalnum() or tok.text.rsplit("-", 1)[-1][:1].islower():  # "UK-based"
            return True
        if low in words.CONNECTORS and low not in words.STOP and tok.text[:1].isupper() and leading:
            return False  # "Al Franken", "De Beers", "La Paz": a particle in capitals opens the name
        if low in words.STOP or low in words.WEEKDAYS or low in words.CONNECTORS or low == "'s":
            return not (tok.text.isupper() and len(tok.text) > 1)  # "US", not "us"
        return leading and (low in _TITLES or low.removesuffix("s") in _TITLES or low in words.TITLE_MODIFIERS
                            or low in words.MONTHS or low in _HONORIFICS)

    titled = False  # "Attorneys General Yates": a title before it, so "General" is one too
    while toks and edge(toks[0], True) and (person or titled or not _title_of_a_thing(toks)):
        titled = titled or toks[0].text.lower().removesuffix("s") in _TITLES
        toks = toks[1:]
    while toks and (edge(toks[-1], False) or (len(toks) > 1 and toks[-1].text.lower() in _TITLES
                                              and not (person and _surname_title(toks, vocabulary)))):
        toks = toks[:-1]  # "Texas Gov", "Republican Attorney"
    # "Denunciations of Israel": a sentence's first word the archive prints in lower case
    first = toks[0].text.lower() if toks else ""
    if len(toks) > 1 and _sentence_start(text, toks[0].start) and first in vocabulary \
            and not toks[0].text.isupper() and first not in _NAME_HEADS:
        rest = toks[1:]
        while rest and (rest[0].text.lower() in words.CONNECTORS or rest[0].text.lower() in words.STOP):
            rest = rest[1:]
        toks = rest
    return toks


def _surname_title(toks: list[Token], vocabulary: frozenset[str]) -> bool:
    """A person's name of a first name and a surname that is also a title ("Amy Bishop", "Billy
    King"; not "Texas Gov", "Republican Attorney": the first word is a name the archive never
    prints in lower case, and no nationality)."""
    first, last = toks[0].text, toks[-1].text
    return len(toks) == 2 and len(last) > 3 and last[1:].islower() and first[1:].islower() \
        and first.lower() not in vocabulary and first.lower() not in _PERSON_PREFIXES and not _demonym(first)


def _title_of_a_thing(toks: list[Token]) -> bool:
    """A title word that opens the name of a place or an organisation, not a person's: it is
    spelt out (not "Gen.", "Sen", "Dr") and an English common word follows it ("Major League
    Baseball", "General Motors", "Justice Department", "King County"; not "President Obama",
    "Speaker Paul Ryan")."""
    if len(toks) < 2:
        return False
    title, following = toks[0].text, toks[1].text
    low = following.lower()
    return title.lower() in _TITLES and len(title) > 3 and title[1:].islower() and following[:1].isupper() \
        and not following.isupper() and low not in _TITLES and low not in words.TITLE_MODIFIERS and _common(low)


def _is_name(toks: list[Token], vocabulary: frozenset[str], person: bool = False) -> bool:
    lowers = [t.text.lower() for t in toks]
    if not any(t.text[:1].isupper() for t in toks):
        return False
    if any(w in PEOPLES for w in lowers) or any(w.replace("'", "") in words.MONTHS for w in lowers):
        return False  # "Nazi", "Latino"; "Hallowe'en"
    if all(w in _TITLES or w in words.STOP or w in words.DEMONYMS for w in lowers):
        return False
    if lowers[-1] in words.DEMONYMS or (lowers[-1].endswith(("ian", "ean", "ese")) and not person and (
            len(lowers) == 1 or lowers[0] in _COMPASS)):  # "North Korean": an adjective, not a name
        return False
    if any(c.isdigit() or c == "_" for t in toks for c in t.text):  # "Fig. 3b", "Archaeopteryx4", "@Harford_Sheriff"
        return False
    if any(_CONTRACTION.search(t.text) for t in toks):  # "I'm", "We're"
        return False
    if any(t.text == "The" for t in toks[1:]):  # "Sommers' The Mummy": a title, or two names run together
        return False
    if len(toks) > 1 and len(toks[-1].text) == 1:  # "Laura E" of "Laura E. Crotty Alexander": a name ends in a word
        return False
    if person and len(toks) > 1 and all(w in vocabulary or _common(w) for w in lowers):
        return False  # "Good Will Hunting", "Jungle Cruise": common words make no person's name
    if len(toks) == 1 and re.fullmatch(r"X{0,3}(?:IX|IV|VI{0,3}|I{1,3})|X{1,3}", toks[0].text):
        return False  # "III": a number, not a name
    if len(toks) == 1 and (lowers[0].rstrip(".") in TITLE_ABBREVIATIONS or lowers[0].replace(".", "") in DEGREES):
        return False  # "Det" of "Det. Colin Orpe"; "a BS in Chemistry", "MBA"
    if len(toks) == 1 and len(lowers[0]) > 5 and lowers[0].endswith(("ism", "isms")):
        return False  # "Thatcherism", "Nazism": a doctrine, not its people
    if len(toks) == 1 and lowers[0].endswith("ness") and _demonym(lowers[0][:-4]):
        return False  # "Britishness": a notion
    if len(toks) > 1 and lowers[-1] == "hq":
        return False  # "the party's Westminster HQ": a building described, not named
    if len(toks) == 1:
        word = lowers[0]
        if word in vocabulary and (not toks[0].text.isupper() or len(word) >= 5):  # "Coalition", "WATCHED"
            return False
        singular = word[:-1] if word.endswith("s") else word
        if len(word) < 2 or word in words.MONTHS or singular in words.WEEKDAYS or word in words.WEEKDAYS:
            return False
        printed = toks[0].text
        if printed.endswith("s") and printed[:-1].isupper() and len(printed) > 2:  # "MPs"
            return False
    return True


_CONTRACTION = re.compile(r"'(?:m|re|ve|ll|d)$|n't$", re.IGNORECASE)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English words a dictionary lists in lower case only, never capitalised as a name
    ("patriarch", "homicide"; not "jordan", "turkey", "robin", which it lists capitalised too):
    Webster's Second International, as the english-words package ships it. Once per process;
    a build hands over the set an earlier build kept (keep_common_words), as deriving it costs
    a quarter of a second."""
    if _KEPT_COMMON_WORDS:
        return _KEPT_COMMON_WORDS[0]
    return _dictionary_common_words()


_KEPT_COMMON_WORDS: list[frozenset[str]] = []


def keep_common_words(found: frozenset[str]) -> None:
    """Use this set as common_words() (what it returned in an earlier process, same package
    versions: the same set, so one common_words() computed already stands)."""
    _KEPT_COMMON_WORDS[:] = [found]


def _dictionary_common_words() -> frozenset[str]:
    from english_words import get_english_words_set

    listed = get_english_words_set(["web2"], lower=False, alpha=True)
    capitalised = {w.lower() for w in listed if w[:1].isupper()}
    return frozenset(w for w in listed if w.islower() and w not in capitalised)


def _common(word: str) -> bool:
    """A common word, or an inflection of one ("ranking", "discs", "departed")."""
    listed = common_words()
    return word in listed or any(word.endswith(end) and (word[:-len(end)] + add) in listed
                                 for end, add in (("s", ""), ("es", ""), ("ing", ""), ("ing", "e"), ("ed", ""),
                                                  ("ed", "e"), ("ies", "y")))


def _common_word(group: list[_Occurrence]) -> bool:
    """A single word, printed in one article only, that is an English common word: "Patriarch",
    "Cathedral", "Pathology", a piece or a title rather than a name, unless the tagger is sure
    of it (the dictionary lists a few names in lower case: "zimbabwe")."""
    return all(o.words == 1 and not o.text.isupper() for o in group) and len({o.article for o in group}) == 1 \
        and _common(group[0].key) and sum(o.confidence for o in group) / len(group) < SURE


def _sentence_start(text: str, start: int) -> bool:
    """Whether only a sentence's end, quotation marks or brackets (or nothing) come before `start`.
    Walks back from `start` over those characters alone: fold() maps character to character, so
    this is fold(text[:start]).rstrip(_OPENING) without folding and copying the whole paragraph
    before the name (a paragraph's every name did)."""
    i = min(start, len(text)) - 1
    while i >= 0 and fold(text[i]) in _OPENING:
        i -= 1
    return i < 0 or fold(text[i]) in _SENTENCE_END


# what may stand between a sentence's end and its first word: quotation marks, brackets and a
# quotation mark's mojibake (a set of characters, as str.rstrip reads it: "\u0080-\u009f" is three)
_OPENING = " \"'([\u00e2\u0080-\u009f\u20ac\u0153\u2122\u201d"


def _known_words(mentions: Iterable[Mention], by_id: Mapping[str, Entity]) -> frozenset[str]:
    """The words of every name of the entities an article mentions ("Rahman", "Abdel")."""
    names: set[str] = set()
    for m in mentions:
        entity = by_id.get(m.entity)
        names.update((entity.name, *entity.aliases) if entity else (m.text,))
    return frozenset(w for name in names for w in alias_key(name).split())


def _initials(key: str) -> str:
    return "".join(w[0] for w in key.split() if w not in ("of", "for", "and", "the", "de", "&"))


def _resolve_short_forms(found: list[_Occurrence], known_words: frozenset[str],
                         short_forms: Mapping[str, tuple[str, ...]]) -> list[_Occurrence]:
    """Within one article: a lone surname is the full name printed there, an acronym the
    organisation it abbreviates; a short form of several names stays alone, marked ambiguous. A
    lone first name (a given name of the Census lists, givennames) the tagger reads as a person's is the
    one person the article names in full with it ("Rory said" after "Rory Read"); shared by several,
    it is dropped (it is theirs, and no name of its own). The lists keep a company the tagger misreads as a person's first name
    ("Microsoft" of "Microsoft Word") from being taken for one."""
    surnames: dict[str, set[str]] = defaultdict(set)
    firsts: dict[str, set[str]] = defaultdict(set)  # "Rory" -> "Rory Read"
    acronyms: dict[str, set[str]] = defaultdict(set)
    heads: dict[str, set[str]] = defaultdict(set)  # "Observatory" -> "Syrian Observatory for Human Rights"
    for o in found:
        if o.words > 1:
            parts = o.key.split()
            if o.label == "person" or _particled(parts):
                surnames[parts[-1]].add(o.key)  # "Assad" of "Bashar al Assad", however the tagger typed it
                if o.label == "person":
                    firsts[parts[0]].add(o.key)
            elif o.label == "organisation" and len(parts) >= 2:
                acronyms[_initials(o.key)].add(o.key)
                for part in parts:
                    if part not in words.CONNECTORS:
                        heads[part].add(o.key)
    resolved = []
    for o in found:
        if o.words > 1:
            resolved.append(o)
            continue
        full = set(surnames.get(o.key, set()))  # the tagger may type a lone surname wrongly
        if not full and o.label == "person" and firsts.get(o.key) and o.key in given_names():
            if len(firsts[o.key]) > 1:
                continue  # a first name of several people the article names in full: theirs, not a name of its own
            full = set(firsts[o.key])  # a first name alone, of the one person the article names in full
        if o.label == "organisation":
            full = acronyms.get(o.key.replace(".", ""), set()) if o.text.isupper() else heads.get(o.key, set())
        records = short_forms.get(o.key, ())
        if len(full) == 1 and not records:
            resolved.append(replace(o, key=next(iter(full))))
        elif full or len(records) > 1 or (records and o.key not in known_words):
            resolved.append(replace(o, ambiguous=tuple(sorted(full)) + records))
        elif o.key not in known_words:
            resolved.append(o)
    return resolved


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


def _groups(found: list[_Occurrence], known_keys: set[str], rejected: set[str],
            misc: Mapping[str, int] | None = None,
            vocabulary: frozenset[str] = frozenset(), proposed=None,
            ) -> tuple[dict[str, list[_Occurrence]], dict[str, list[_Occurrence]]]:
    """The names proposed (their occurrences by key), and those the junk score alone held back."""
    proposed = proposed or _proposed
    groups: dict[str, list[_Occurrence]] = defaultdict(list)
    for o in found:
        if rejected and (o.key in rejected or alias_key(o.text) in rejected):
            continue
        if o.key not in known_keys or o.ambiguous:
            groups[o.key].append(o)
    misc = misc or {}
    judged = {key: proposed(group, misc.get(key, 0), vocabulary) for key, group in groups.items()}
    return ({key: group for key, group in groups.items() if judged[key] == PROPOSED},
            {key: group for key, group in groups.items() if judged[key] == HELD})


PROPOSED = "proposed"  # _proposed's answers: proposed to the curator, and marked unreviewed
HELD = "held"  # held back by the junk score alone: evidence for story grouping, never marked


def _proposed(group: list[_Occurrence], misc_readings: int, vocabulary: frozenset[str]) -> str:
    """Whether a name (its occurrences) is proposed (PROPOSED), held back by the junk score alone
    (HELD) or neither (""): a function of the group, the MISC readings of its name and the vocabulary
    words it looks up alone (annalist.pipeline keeps its answers)."""
    # a single word seen only at the start of sentences, in a single article: too weak to propose
    # … nor a name printed only in headlines, where the tagger cuts names badly ("Obama Announces Nominee")
    if not ((not all(o.initial and o.words == 1 for o in group) or len({o.article for o in group}) > 1
             or any(o.ambiguous for o in group))
            and not all(o.headline for o in group)):
        return ""
    if any(o.ambiguous for o in group):
        return PROPOSED
    if not (_sure(group, misc_readings) and not _common_word(group) and _evidenced(group, vocabulary)):
        return ""
    if not _in_prose(group):
        return PROPOSED
    score = junk_score(group)
    return PROPOSED if score < MAX_JUNK_SCORE else HELD if score < MAX_EVIDENCE_SCORE else ""


# Chosen on Multi-News clusters 000–049 (what they drop, judged by hand); CoNLL-2003 dev cannot
# tune them, as the model was fitted on it and is sure of nearly everything there.
MIN_CONFIDENCE = 0.6  # mean marginal probability of a person, place or organisation name
MIN_CONFIDENCE_ONCE = 0.8  # … for a name printed only once in the whole archive
MAX_MISC = 0.25  # mean marginal probability of a MISC name
# Of the probability that the words are a name, the share that goes to the name's own type (a
# person, a place or an organisation, as the tagger reads it in each mention): a name of several
# words the tagger cannot type is rarely one of the three ("Students Petition", "Texas
# Democratic"). Not applied to single words: the tagger often hesitates between a city and a
# team, or a person and a company, on real names ("Birmingham", "WikiLeaks").
MIN_TYPED = 0.55
SURE = 0.95  # a probability of a name the tagger is sure of


def _sure(group: list[_Occurrence], misc_readings: int = 0) -> bool:
    """Whether the tagger, over all the name's mentions, is sure enough that it is a person,
    place or organisation name rather than none, or a name of another kind (MISC: "Super Bowl",
    "Valentine's Day", "Shiites"); a name printed once must be surer than one printed often.
    `misc_readings`: the mentions of the same name the tagger read as MISC; a name read so more
    often than as a person, place or organisation is not proposed. A name printed mostly as the whole of a quotation is
    a title (of a song, a film, a book). A name of several words the tagger reads as a name but
    cannot say of which type (see MIN_TYPED) is not proposed, nor a person's name that mostly
    follows an article or a possessive ("the Moon", "his Good Will Hunting co-star")."""
    confidence = sum(o.confidence for o in group) / len(group)
    misc = sum(o.misc for o in group) / len(group)
    glued = sum(o.glued or _hyphened(o) for o in group)
    quoted = sum(o.quoted for o in group)
    typed = sum(o.typed for o in group) / len(group) / max(confidence, 1e-9)
    one_word = all(o.words == 1 for o in group)
    determined = sum(o.determined for o in group if o.label == "person")
    return confidence >= (MIN_CONFIDENCE if len(group) > 1 else MIN_CONFIDENCE_ONCE) and misc <= MAX_MISC \
        and (one_word or typed >= MIN_TYPED) and determined * 2 <= len(group) \
        and glued * 2 <= len(group) and quoted * 2 <= len(group) and misc_readings <= len(group)


_SPACED_HYPHEN_AFTER = re.compile(r"(?: (?:al|el|ad|ar|as|bin|ibn|abu))? - [A-Z]")
_SPACED_HYPHEN_BEFORE = re.compile(r"(?:[A-Z][\w'.]*|\b(?:al|el|ad|ar|as|bin|ibn|abu)) - $")  # "Mahmoud al - Goweiny"


def _hyphened(o: _Occurrence) -> bool:
    """A name printed with a hyphen between spaces to a capitalised word, in prose: a piece of a
    longer name whose hyphen the source spaced out ("Strauss - Kahn", "Maria Dulce - Valencia",
    "San Diego Comic - Con", "Abdel Aziz al - Hilu"); not in a table's line ("Charleroi - Eric
    Cleymans 18"), where the hyphen separates a team from a scorer."""
    before, after = _around(o)
    return bool(_SPACED_HYPHEN_AFTER.match(after) or _SPACED_HYPHEN_BEFORE.search(before)) and _prose(o.paragraph_text)


def _evidenced(group: list[_Occurrence], vocabulary: frozenset[str] = frozenset()) -> bool:
    """Whether the archive gives a curator enough to judge the name a person's, a place's or an
    organisation's; not so:
    - an acronym that the archive spells out in lower case, or as the name of a thing ("focused
      ion beam (FIB)", "intravenous immunoglobulin (IVIG)", "Chemical Weapons Convention (CWC)"):
      an organisation's acronym is spelt out in capitals, and is then a mention of the full name
      (see _resolve_short_forms);
    - a name of several words, printed in one article only, that is no person's, whose words the
      archive all prints in lower case elsewhere and none of which is the head of a name (an
      organisation's or a place's, or a compass point): the name of a condition, a work or a notion ("Clinical
      Depression", "Area Forecast Discussion", "Big Soda")."""
    if all(o.words == 1 and _acronym(o.text) for o in group) and any(_spelt_out_as_thing(o) for o in group):
        return False
    full = [o for o in group if o.words > 1]
    if len({o.article for o in group}) == 1 and full and all(o.label != "person" for o in full):
        parts = full[0].key.split()
        content = [w for w in parts if w not in words.CONNECTORS and w not in words.STOP]
        if content and not any(w in _THING_HEADS or w.rstrip("ern") in _COMPASS_WORDS for w in parts) \
                and all(w in vocabulary for w in content):
            return False
    return True


_THING_HEADS = words.ORGANISATION_HEADS | words.GROUP_HEADS | words.PLACE_HEADS | words.MORE_HEADS
_COMPASS_WORDS = frozenset("north south east west northeast northwest southeast southwest".split())


def _acronym(printed: str) -> bool:
    letters = printed.replace(".", "")
    return 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()


_SPELT_OUT = re.compile(r"((?:[\w'-]+[ -]){1,8})\($")


def _spelt_out_as_thing(o: _Occurrence) -> bool:
    """"focused ion beam (FIB)": the acronym in brackets after words whose initials spell it, in
    lower case or ending in a thing's head word ("Convention", "Act")."""
    text = fold(o.paragraph_text)
    before = _SPELT_OUT.search(text[max(0, o.start - 120):o.start])
    if not before or text[o.end:o.end + 1] != ")":
        return False
    letters = o.text.replace(".", "").lower()
    spelt = [w for w in re.split(r"[ -]+", before.group(1).strip()) if w.lower() not in ("of", "and", "the", "for", "&")]
    spelt = spelt[-len(letters):]
    if len(spelt) != len(letters) or "".join(w[0].lower() for w in spelt) != letters:
        return False
    return sum(w[:1].islower() for w in spelt) * 2 >= len(spelt) or spelt[-1].lower() in KIND_HEADS


def _preferred(group: list[_Occurrence]) -> str:
    """The most frequent spelling, longer ones first (a lone surname never names the group)."""
    counts = Counter(o.text for o in group if o.words > 1) or Counter(o.text for o in group)
    return max(counts, key=lambda name: (counts[name], len(name), name))


def _candidate(name: str, group: list[_Occurrence]) -> Candidate:
    name = " ".join(name.split())
    spellings = Counter(o.text for o in group)
    return Candidate(
        name, _type_guess(group), len(group), tuple((o.article, o.paragraph, o.context) for o in group),
        articles=len({o.article for o in group}),
        outlets=tuple(sorted({o.outlet for o in group if o.outlet})),
        spellings=tuple(sorted(spellings, key=lambda s: (-spellings[s], s))),
        ambiguous=tuple(sorted({r for o in group for r in o.ambiguous})),
    )


def _particled(parts: Sequence[str]) -> bool:
    """A name with a particle before its last word ("bashar al assad", "osama bin laden")."""
    return len(parts) >= 3 and parts[-2] in _NAME_PARTICLES and parts[-1] not in _NAME_HEADS


_NAME_PARTICLES = frozenset("al el bin ibn bint abu".split())


def _type_guess(group: list[_Occurrence]) -> str:
    """The tagger's majority label over the full names (lone words are typed less surely); a tie
    is left for the curator. A name of several words printed after a person's title is a person's,
    whatever the tagger says ("President Bashar al Assad", which it reads as an organisation),
    unless it ends in the head of an organisation's or a place's name."""
    full = [o for o in group if o.words > 1]
    if any(o.titled for o in full) and not any(o.key.split()[-1] in _NAME_HEADS for o in full):
        return "person"
    ranked = (Counter(o.label for o in group if o.words > 1) or Counter(o.label for o in group)).most_common(2)
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return "unknown"
    return ranked[0][0]


# --- the proposal's score: how likely a name is junk, from the tagger and the archive's evidence ---

# A product's or a work's noun printed right after the name ("the Firefox browser", "Xeon chips",
# "a GarageBand plug-in"), one naming the kind of work or product right before it ("the sitcom
# Scrubs", "the film Catching Fire"), or a verb of making, releasing or installing things ("launched
# Windows Update", "a version of GarageBand"). A maker's name takes the same nouns ("Intel chips"):
# what tells them apart is AGENT, below, which a company's name has and a product's has not.
_THING_AFTER = re.compile(
    r" (?:apps?|browsers?|software|consoles?|handsets?|smartphones?|tablets?|laptops?|chips?|chipsets?|processors?"
    r"|cpus?|gpus?|episodes?|soundtrack|sequels?|trilogy|franchise|gadgets?|video games?|plug-ins?|operating system"
    r"|sitcoms?|novels?|spin-off|remake|download|firmware|drivers?|engine)\b")
_THING_BEFORE = re.compile(
    r"\b(?:film|movie|sitcom|comedy|drama|series|show|album|single|song|track|novel|book|game|browser|app|software"
    r"|programme|program|opera|musical|documentary|soap|console|handset|smartphone|technology|format|product|chip"
    r"|processor|franchise|ship|vessel|tanker|liner|award|fellowship|prize),? $")
_THING_VERB = re.compile(
    r"\b(?:launch(?:ed|es|ing)?|releas(?:ed|es|ing)|unveil(?:ed|s|ing)?|install(?:ed|s|ing)?|download(?:ed|s|ing)?"
    r"|episodes? of|seasons? of|versions? of|copies of|sequel to|editions? of|the new|the latest|upgrade to|running"
    r"|runs|powered by|based on|play(?:ing|ed)? with) $", re.IGNORECASE)
_MODEL = re.compile(r" (?:[IVX]{2,4}|XP|HD|Pro|Plus|Mini|Max|Live|Online|2\.0|3\.0)\b")  # "Xbox Live", "Windows XP"
# What a person or an organisation does and a place is, and a product or a work never: it speaks,
# has officials, people go to it ("Intel said", "a spokesman for Intel", "in Kent").
_AGENT_AFTER = re.compile(
    r"(?:,[^,]{0,30},)?(?: (?:has|had|have|is|was|were|will|would|could|also|then|later|previously|now|has also|had also))?"
    r" (?:said|says|told|announced|added|denied|confirmed|reported|argued|claimed|warned|urged|called|asked|agreed"
    r"|decided|accused|critici[sz]ed|ruled|voted|hired|fired|sued|filed|issued|estimated|investigat\w+|reports?|spokes(?:man|woman|person)|chief"
    r"|officials?|executives?|boss|president|chairman|founder|head|director|minister|government|mayor|police|workers"
    r"|allies|fighters|militants|militiamen|troops|forces|soldiers|terrorists|rebels|members|supporters|leaders?|envoy"
    r"|delegates?|lawmakers|(?:[a-z]+ )?agency|residents|authorities"
    r"|spoke|speaking|visited|met"
    r"|staff|employees|shares|stock)\b|,(?: the| a| an)?(?: [a-z]+)? (?:head|chief|director|president|chairman|leader"
    r"|spokes\w+|minister|secretary|founder|member|owner|mayor|governor)\b|'s (?:chief|president|chairman|founder|head|director|spokes|board|shares"
    r"|government|minister|mayor|police|officials?|executive|owner|ceo)|(?-i: \([A-Z]{2,6}\))|,? the (?:[a-z]+ )?(?:company|firm"
    r"|group|party|agency|bank|newspaper|club|team|union|city|town|village|province|capital|region|district)\b",
    re.IGNORECASE)
_AGENT_BEFORE = re.compile(
    r"\b(?:according to|told|spokes(?:man|woman|person) for|(?:members?|president|chairman|head|leader|chief|director"
    r"|founder|officials?|secretary|minister|meeting|executives?|shareholders|owners?|cit(?:y|ies)|towns?"
    r"|villages?|provinces?|governorates?|regions?|districts?|count(?:y|ies)|states?|capital|heartland|suburbs?|outskirts|people|fall|capture|recapture"
    r"|residents|governor) of(?: the)?|in|into|at|near"
    r"|from|to|towards?|across|outside|around|throughout|inside"
    r"|with|by|against|mr|mrs|ms|dr|said|says|the (?:daily|newspaper|weekly|bank|firm|company|group|party|agency|ruling"
    r"|opposition|club|team|union|city|town|village|province|state|capital|region|district))(?: the)? $",
    re.IGNORECASE)
_CAMEL_PREFIX = re.compile(r"^(?:Mac|Mc|Fitz|De|Di|Da|Du|La|Le|Van|Von|O')")
_CONTEXT = 40  # characters either side a cue is looked for in


def _around(o: _Occurrence) -> tuple[str, str]:
    text = o.paragraph_text  # fold keeps offsets: each side is folded alone
    return fold(text[max(0, o.start - _CONTEXT):o.start]), fold(text[o.end:o.end + _CONTEXT])


def _thing_context(before: str, after: str) -> bool:
    """Whether one mention is printed as a product's or a work's name (see _THING_AFTER)."""
    return bool(_THING_AFTER.match(after) or _THING_BEFORE.search(before) or _MODEL.match(after)
                or (_THING_VERB.search(before) and not re.match(r" [a-z]", after)))


def _agent_context(before: str, after: str) -> bool:
    """Whether one mention is printed as a person's, an organisation's or a place's (see _AGENT_AFTER)."""
    return bool(_AGENT_AFTER.match(after) or _AGENT_BEFORE.search(before))


def _camel(name: str) -> bool:
    """A word with a capital inside after lower-case letters ("GarageBand", "QuickBooks"; not
    "MacDonald", "DeLay"): the spelling of brands and products more than of people or places."""
    return any(re.search(r"[a-z]{2,}[A-Z]", _CAMEL_PREFIX.sub("", w)) for w in name.split())


def score_features(group: Sequence[_Occurrence]) -> dict[str, float]:
    """What the score weighs, over all of a name's mentions in the archive: the tagger's marginal
    probabilities (as a log-odds that the words are a person's, place's or organisation's name;
    that they are a MISC name; the share of the name's probability that goes to its own type), the
    type guessed (a product is read as an organisation far more often than as a person), a name
    printed once, and the share of its mentions printed as a thing's or as an agent's (see
    _THING_AFTER, _AGENT_AFTER), a brand's spelling, and three things known of names: a place's in
    GeoNames (gazetteer.py), a first word the census lists as a given name, an organisation's or a
    place's head among the words ("Amnesty International", "Tehran University")."""
    n = len(group)
    confidence = min(max(sum(o.confidence for o in group) / n, 1e-4), 1 - 1e-4)
    contexts = [_around(o) for o in group]
    kind = _type_guess(list(group))
    return {
        "logit": math.log(confidence / (1 - confidence)),
        "misc": sum(o.misc for o in group) / n,
        "typed": sum(o.typed for o in group) / n / confidence,
        "organisation": float(kind == "organisation"),
        "place": float(kind == "place"),
        "unknown": float(kind == "unknown"),
        "once": float(n == 1),
        "thing": sum(_thing_context(*c) for c in contexts) / n,
        "agent": sum(_agent_context(*c) for c in contexts) / n,
        "camel": float(_camel(group[0].text)),
        "gazetteer": float(_known_place(group[0].text)),
        "given": float(_given_first(group[0].key)),
        "head": float(_headed(group[0].key)),
    }


_ORG_PLACE_HEADS = (words.ORGANISATION_HEADS | words.GROUP_HEADS | words.PLACE_HEADS
                    | frozenset("international society holdings institution alliance bureau center centers centre centres"
                                " administration academy museum army navy command brigade church laboratory"
                                " airlines airways trust journal magazine herald tribune gazette list".split()))


def _headed(key: str) -> bool:
    """A name of two words or more with an organisation's or a place's head among them ("Tehran
    University", "Westchester County", "Syrian Observatory for Human Rights", "Amnesty International")."""
    parts = key.split()
    return len(parts) >= 2 and any(p in _ORG_PLACE_HEADS for p in parts)


def _known_place(name: str) -> bool:
    """A place's name in GeoNames (gazetteer.py; imported here, so that `python -m
    annalist.entities.gazetteer` does not find it imported already)."""
    from .gazetteer import place_key, place_names

    return place_key(name) in place_names()


def _given_first(key: str) -> bool:
    """A name of two words or more whose first is a given name ("Rory Read")."""
    parts = key.split()
    return len(parts) >= 2 and parts[0] in given_names()


# A logistic model of junk over score_features, fitted by `python3 bench/fit_discovery_score.py
# --frontier h12d,h12e,h12f` (its "refitted" weights) on the names judged by hand in
# bench/entities_judged.tsv but for the six samples of the sessions h12d-h12f; the threshold keeps a
# name whose probability of being junk is below it, 0.22: the highest threshold at which those six
# samples' junk left is at most 0.10 (the command names it). Fresh samples drawn after this was frozen
# (h12g-*, h12h-*) report it (docs/entities.md).
JUNK_WEIGHTS = {"intercept": -0.67, "logit": -0.23, "misc": -0.09, "typed": -0.1, "organisation": 1.12,
                "place": 0.28, "unknown": 0.87, "once": 0.58, "thing": 1.71, "agent": -1.31, "camel": 0.3,
                "gazetteer": -1.34, "given": -1.87, "head": -0.78}
MAX_JUNK_SCORE = 0.22
# A name scoring from MAX_JUNK_SCORE up to this is not proposed, but still counts as a name when
# stories are grouped: story grouping and its thresholds were calibrated with every name scoring
# under 0.40 (docs/stories.md), and a work's or a product's name two reports share is evidence
# that they report one story all the same. Measured: docs/entities.md.
MAX_EVIDENCE_SCORE = 0.4


_LOWER_WORD = re.compile(r"\b[a-z]{2,}\b")


def _in_prose(group: Sequence[_Occurrence]) -> bool:
    """Whether most of a name's mentions are printed in prose (a paragraph of six lower-case words
    or more), where the score's evidence is found; not in a table's or a list's line (results,
    standings, prices: "Hamburger SV 16 4 5 7 20 25 17"), where the tagger's doubt is over which kind
    of name a team or a market is, not whether it is one, and no context speaks for it."""
    prose = sum(_prose(o.paragraph_text) for o in group)
    return prose * 2 >= len(group)


@lru_cache(maxsize=4096)
def _prose(paragraph: str) -> bool:
    """A paragraph of six lower-case words or more (see _in_prose)."""
    return len(_LOWER_WORD.findall(fold(paragraph))) >= 6


def junk_score(group: Sequence[_Occurrence], weights: Mapping[str, float] | None = None) -> float:
    """The probability that a name is junk (not a person's, place's or organisation's name, or one
    with words glued on or cut off), by the logistic model JUNK_WEIGHTS over score_features."""
    weights = JUNK_WEIGHTS if weights is None else weights
    z = weights["intercept"] + sum(weights[k] * v for k, v in score_features(group).items())
    return 1 / (1 + math.exp(-z))
