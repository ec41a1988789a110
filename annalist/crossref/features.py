"""What a sentence offers as evidence for alignment: tokens a reader can check.

Tokens are of three kinds, kept apart by a prefix:
  "palmyra", "~kill"   content words (stemmed; ~ marks a paraphrase class, see lexicon.py)
  "E:islamic-state"    a canonical entity id from the mentions (DAESH, ISIS and IS all give this)
  "N:400"              a quantity, normalised ("3,650" → 3650, "nine" → 9); years, days of the
                       month and numbers inside codes ("A320-200") are not quantities

Each token also has a *generality* factor from general English word frequency (wordfreq's Zipf
scale, not this archive): "said" or "people" weigh a quarter of a name or a rare word, so a
sentence made of news furniture ("declined to comment", "contact the editor") carries little
evidence whatever archive it is in. A token is *specific* when it is an entity, a quantity, a
name (a capitalised word inside a sentence that is not in title case) or a rare word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..cache import remember
from ..model import Mention, Sentence
from ..text import fold
from .lexicon import MEASURE_UNITS, MONTHS, WORD_RE, content_token, is_stop, phrase_token, stem

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A number in digits, not glued to letters or other digits ("A320-200", "G7", "3rd" are codes).
NUMBER_RE = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w/-]|[.,]\d|-\w)")
NUMBER_WORDS = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
     "hundred": 100, "dozen": 12}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# Words that make a number approximate or a bound. Two reports of "400" with different hedges
# agree on the number but not on its precision: a difference of precision, not a disagreement.
HEDGE_RE = re.compile(
    r"(at least|at most|around|about|approximately|roughly|nearly|almost|more than|over|"
    r"fewer than|less than|up to|some|an estimated|as many as|just over|just under|under|"
    r"dozens of|hundreds of|thousands of)\s+$"
)
QUOTE_RES = (re.compile(r'"([^"]+)"'), re.compile(r"(?<![A-Za-z])'([^']+)'(?![A-Za-z])"))
QUOTE_GRAM = 4  # a shared quotation: the same run of at least 4 words inside quotes on both sides
CONTEXT_WINDOW = 4  # words either side of a number that say what it counts
RARE_ZIPF = 3.5  # rarer than ~3 per million words of general English: a rare word
COMMON_ZIPF = 6.0  # "people", "said": weighs GENERALITY_FLOOR of a rare word
GENERALITY_FLOOR = 0.25
TITLE_CASE_SHARE = 0.8  # a headline in Title Case: capitals do not mark names there
ACRONYM_ZIPF = 4.0  # an all-capitals word is a name (NATO) unless it is a common word shouted (JUST)


@dataclass(frozen=True)
class Number:
    value: str  # normalised: "3650", "1.13", "9"
    surface: str  # as printed, with its hedge: "at least 400"
    hedge: str  # "" when the number is given plainly
    kind: str  # "quantity", "year" or "day" (a day of the month: "Dec. 28")
    unit: str  # the counted noun or unit, stemmed ("ship", "mph", "activist"); "" if none
    context: frozenset[str]  # content tokens within CONTEXT_WINDOW words: what it counts
    counts: str = ""  # the counted noun or unit as printed ("activists", "mph"): `unit` for readers

    @property
    def is_year(self) -> bool:
        return self.kind == "year"


@dataclass(frozen=True)
class Features:
    sentence: Sentence
    tokens: frozenset[str]  # content ∪ entities ∪ quantities: what IDF and the index see
    content: frozenset[str]  # content-word tokens only
    names: tuple[tuple[str, tuple[str, ...]], ...]  # entity id → surfaces as printed
    numbers: tuple[Number, ...]
    weekdays: frozenset[str]
    quote_grams: frozenset[tuple[str, ...]]
    words: tuple[str, ...]  # lower-cased running words, entity mentions as "E:<id>" (wording)
    specific: frozenset[str] = frozenset()  # entities, quantities and names (see above)
    rare: frozenset[str] = frozenset()  # content tokens of rare words (Zipf ≤ RARE_ZIPF)
    generality: tuple[tuple[str, float], ...] = ()  # token → weight factor, < 1 for common words
    article_names: frozenset[str] = frozenset()  # words named elsewhere in the article (align.with_article_names)

    def factor(self, token: str) -> float:
        return dict(self.generality).get(token, 1.0)


KNOWN_ZIPF: dict[str, float] = {}
"""zipf's answers known without asking wordfreq: the pipeline keeps them between builds (as the
stories' rarities), so that a rebuild aligning one story again need not import wordfreq and read
its English list (about 0.3 s). Bounded (cache.remember), as stories.features.KNOWN_RARITIES."""
ZIPF_NOTED: dict[str, float] | None = None  # set by the pipeline in a worker: the answers asked of wordfreq there


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """General-English frequency of a word on the Zipf scale (wordfreq; 0 when unknown)."""
    key = word.lower()
    found = KNOWN_ZIPF.get(key)
    if found is None:
        from wordfreq import zipf_frequency

        found = zipf_frequency(key, "en")
        remember(KNOWN_ZIPF, key, found)
        if ZIPF_NOTED is not None:
            ZIPF_NOTED[key] = found
    return found


@lru_cache(maxsize=200_000)
def generality_factor(word: str) -> float:
    """1.0 for rare words, falling linearly to GENERALITY_FLOOR at COMMON_ZIPF."""
    z = zipf(word)
    if z <= RARE_ZIPF:
        return 1.0
    share = (min(z, COMMON_ZIPF) - RARE_ZIPF) / (COMMON_ZIPF - RARE_ZIPF)
    return round(1.0 - share * (1.0 - GENERALITY_FLOOR), 3)


def _local_mentions(sentence: Sentence, mentions: Sequence[Mention]) -> list[Mention]:
    return [
        m
        for m in mentions
        if m.paragraph == sentence.paragraph and m.start >= sentence.start and m.end <= sentence.end
    ]


_WORD_OR_NUMBER = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'\-]*|\d[\d,.:]*")


def _running_words(folded: str, local: list[tuple[int, int, str]]) -> list[tuple[int, str]]:
    """(position, word) for words and entity placeholders, in reading order."""
    out: list[tuple[int, str]] = [(start, f"E:{entity}") for start, _, entity in local]
    for m in _WORD_OR_NUMBER.finditer(folded):
        if not (local and any(start <= m.start() < end for start, end, _ in local)):  # most sentences: no mention
            out.append((m.start(), m.group(0).strip("'.,-:")))
    return sorted(p for p in out if p[1])


def _content_of(word: str) -> list[str]:
    return [t for part in word.split("-") if part and part.lower() not in NUMBER_WORDS and part.lower()
            not in SCALES for t in [content_token(part)] if t]


def _number_at(folded: str, start: int, end: int, value: str, running: list[tuple[int, str]]) -> Number:
    """A number with its hedge, its kind, its unit and the words around it."""
    before = folded[max(0, start - 20) : start]
    hedge_match = HEDGE_RE.search(before.lower())
    hedge = before[hedge_match.start(1) : hedge_match.end(1)] if hedge_match else ""
    surface = f"{hedge} {folded[start:end]}".strip()
    at = next((k for k, (pos, _) in enumerate(running) if pos >= start), len(running))
    after = [w for pos, w in running[at:] if pos >= end]
    prior = [w for _, w in running[:at]]
    whole = value.split(".")[0]
    month_near = (prior and prior[-1].lower().rstrip(".") in MONTHS_AND_ABBR) or (
        after and after[0].lower().rstrip(".") in MONTHS_AND_ABBR)
    if "." not in value and len(whole) == 4 and 1800 <= int(whole) <= 2100 and not hedge:
        kind = "year"
    elif month_near and "." not in value and 1 <= int(whole) <= 31:
        kind = "day"
    else:
        kind = "quantity"
    unit = counts = ""
    for word in after[:4]:  # "nine of the activists", "115 mph winds", "400 people"
        if word.lower() in MEASURE_UNITS or word == "%":
            unit = counts = word.lower()
            break
        token = next(iter(_content_of(word)), None) if not word.startswith("E:") else word
        if token and not word[0].isdigit():
            unit, counts = token, ("" if word.startswith("E:") else word.lower())
            break
    def tokens(words: list[str]) -> list[str]:
        return [t for w in words if not w[0].isdigit() for t in ([w] if w.startswith("E:") else _content_of(w))]

    context = frozenset(tokens(prior)[-CONTEXT_WINDOW:] + tokens(after)[:CONTEXT_WINDOW])
    return Number(value, surface, hedge, kind, unit, context, counts)


MONTHS_AND_ABBR = MONTHS | frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())


def _numbers(folded: str, running: list[tuple[int, str]]) -> tuple[Number, ...]:
    found: list[tuple[int, int, str]] = []
    # each pattern is tried at every character (NUMBER_RE opens with a look-behind); a text
    # without a digit, or (in ASCII, where IGNORECASE is lower()) without a number word, has no match
    for m in NUMBER_RE.finditer(folded) if _DIGIT.search(folded) else ():
        whole = m.group(1).replace(",", "")
        value = whole + (m.group(2) or "")
        value = value.rstrip("0").rstrip(".") if "." in value else value
        end = m.end()
        scale = SCALE_RE.match(folded, end)
        if scale:  # "2 million" = 2000000
            value = _scaled(value, SCALES[scale.group(1).lower()])
            end = scale.end()
        found.append((m.start(), end, value))
    for m in NUMBER_WORD_RE.finditer(folded) if _may_hold_number_words(folded) else ():
        if re.match(r"-[A-Za-z]", folded[m.end() : m.end() + 2]):
            continue  # "three-week campaign", "five-year-old": an attribute, like "82-year-old"
        first = m.group(1).lower()
        if first in ("zero", "hundred", "dozen") and not m.group(3):
            continue
        if first == "one" and not m.group(3):  # "one of the", "no one": not a count
            continue
        n = NUMBER_WORDS[first] + (NUMBER_WORDS.get((m.group(2) or "").lower(), 0) if first in
                                   ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety") else 0)
        value = _scaled(str(n), SCALES[m.group(3).lower()]) if m.group(3) else str(n)
        found.append((m.start(), m.end(), value))
    return tuple(_number_at(folded, s, e, v, running) for s, e, v in sorted(found))


_DIGIT = re.compile(r"\d")  # what every match of NUMBER_RE holds


def _may_hold_number_words(text: str) -> bool:
    """False only when NUMBER_WORD_RE cannot match: an ASCII text none of whose number words is in
    its lower-case form (outside ASCII, IGNORECASE matches more than lower() gives: "ſix")."""
    if not text.isascii():
        return True
    low = text.lower()
    return any(word in low for word in NUMBER_WORDS)


def _weekdays(running: list[tuple[int, str]]) -> tuple[Number, ...]:
    """Weekdays as dates ("on Friday"), with the words around them: the event they date."""
    out = []
    for k, (_, word) in enumerate(running):
        if word.lower() in WEEKDAYS:
            near = [t for _, w in running[:k] if not w[0].isdigit() for t in _content_of(w)][-CONTEXT_WINDOW:]
            near += [t for _, w in running[k + 1 :] if not w[0].isdigit() for t in _content_of(w)][:CONTEXT_WINDOW]
            out.append(Number(word.lower(), word, "", "weekday", "", frozenset(near)))
    return tuple(out)


NUMBER_WORD_RE = re.compile(
    r"\b(" + "|".join(NUMBER_WORDS) + r")\b(?:[\s-]+(" + "|".join(NUMBER_WORDS) + r"))?"
    r"(?:\s+(hundred|thousand|million|billion))?", re.I)
SCALE_RE = re.compile(r"\s+(hundred|thousand|million|billion)\b", re.I)


def _scaled(value: str, scale: int) -> str:
    number = float(value) * scale
    return str(int(number)) if number == int(number) else str(number)


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


def _title_case(words: list[str]) -> bool:
    letters = [w for w in words if w[0].isalpha() and not is_stop(w)]
    return bool(letters) and sum(w[0].isupper() for w in letters) >= TITLE_CASE_SHARE * len(letters) and len(letters) > 2


def _content(words: list[str]) -> tuple[set[str], dict[str, float], set[str], set[str]]:
    """Content tokens of the running words (case kept: "May" the month is not "may"), each
    token's generality factor, and the tokens that are names or rare words."""
    plain = [w for w in words if not w.startswith("E:") and not w[0].isdigit()]
    title = _title_case(plain)
    tokens: set[str] = set()
    factor: dict[str, float] = {}
    specific: set[str] = set()
    rare: set[str] = set()
    for k, w in enumerate(plain):
        calendar = w.lower().rstrip(".") in MONTHS_AND_ABBR or w.lower() in WEEKDAYS
        if w.isupper() and len(w) > 1:
            name = not calendar and zipf(w) < ACRONYM_ZIPF
        else:
            name = not calendar and not title and k > 0 and w[0].isupper()
        for part in w.split("-"):
            token = content_token(part) if part and part.lower() not in NUMBER_WORDS else None
            if not token:
                continue
            tokens.add(token)
            f = 1.0 if name else generality_factor(part)
            factor[token] = max(f, factor.get(token, 0.0))
            if name:
                specific.add(token)
            elif not calendar and zipf(part) <= RARE_ZIPF:
                rare.add(token)
    for a, b in zip(plain, plain[1:]):
        token = phrase_token(a, b)
        if token:
            tokens.add(token)
            factor.setdefault(token, 1.0)
    return tokens, factor, specific, rare - specific


def extract(sentence: Sentence, mentions: Sequence[Mention]) -> Features:
    """Features of one sentence; `mentions` may be all of the article's mentions."""
    folded = fold(sentence.text)
    local = _local_mentions(sentence, mentions)
    spans = [(m.start - sentence.start, m.end - sentence.start, m.entity) for m in local]
    running = _running_words(folded, spans)
    content, factor, specific, rare = _content([w for _, w in running])
    numbers = _numbers(folded, running) + _weekdays(running)
    names: dict[str, set[str]] = {}
    for m in local:
        names.setdefault(m.entity, set()).add(m.text)
    quantities = {f"N:{n.value}" for n in numbers if n.kind == "quantity"}
    entities = {f"E:{e}" for e in names}
    tokens = content | entities | quantities
    return Features(
        sentence=sentence,
        tokens=frozenset(tokens),
        content=frozenset(content),
        names=tuple(sorted((e, tuple(sorted(s))) for e, s in names.items())),
        numbers=numbers,
        weekdays=frozenset(w.lower() for _, w in running if w.lower() in WEEKDAYS),
        quote_grams=_quote_grams(folded),
        words=tuple(w if w.startswith("E:") else w.lower() for _, w in running),
        specific=frozenset(specific | entities | quantities),
        rare=frozenset(rare),
        generality=tuple(sorted((t, f) for t, f in factor.items() if f < 1.0)),
    )
