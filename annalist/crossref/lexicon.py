"""Word-level normalisation for alignment: a crude stemmer, stop words, a small paraphrase table.

Everything here is deliberately small and general (news English, not this corpus), so that a
reader can check why two sentences were linked: each shared token is a word or a word class.
"""

from __future__ import annotations

import re
from functools import lru_cache

STOP_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either few for
    from further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself one's its' s t
    said says say saying told tell tells added adding adds according quoted quote cited
    reported reports reporting announced stated claimed described describing
    mr mrs ms dr
    bn mn m k pc
    since last first next today yesterday tomorrow
    time still already even just also however although though despite including include
    may might must shall would could another many much several
    new old well way made make makes making take taken took get got come came go went
    us least""".split()
)

# Irregular forms the suffix stripper cannot reach.
IRREGULAR = {
    "died": "die", "dead": "die", "dying": "die", "lost": "lose", "losing": "lose",
    "took": "take", "taken": "take", "retook": "retake", "retaken": "retake",
    "fell": "fall", "fallen": "fall", "overran": "overrun", "blew": "blow", "blown": "blow",
    "men": "man", "women": "woman", "held": "hold", "fought": "fight", "began": "begin",
    "won": "win", "struck": "strike", "hit": "strike", "shot": "shoot", "left": "leave",
    "driven": "drive", "drove": "drive", "seen": "see", "saw": "see", "gave": "give",
    "airstrike": "strike", "airstrikes": "strike", "sorties": "sortie",
}

# Paraphrase classes common in news reports. The first word names the class; every word is
# stemmed the same way as text before lookup. General on purpose: it must work on stories this
# project never saw.
SYNONYM_CLASSES: tuple[tuple[str, ...], ...] = (
    ("kill", "die", "death", "lose", "loss", "casualty", "fatality", "slay", "slain", "toll"),
    ("recapture", "retake", "regain", "reclaim", "liberate", "liberation", "recover"),
    ("capture", "seize", "overrun", "conquer"),
    ("militant", "fighter", "terrorist", "jihadist", "extremist", "insurgent", "gunman"),
    ("soldier", "troop", "serviceman"),
    ("army", "military"),
    ("government", "regime", "administration"),
    ("destroy", "demolish", "raze", "blow", "flatten"),
    ("explosive", "bomb", "mine", "ied"),
    ("defuse", "clear", "demine"),
    ("ancient", "historic"),
    ("retreat", "withdraw", "withdrawal", "pull", "flee"),
    ("defeat", "reversal", "setback"),
    ("big", "large", "major", "heavy", "significant"),
    ("offensive", "campaign", "assault", "operation"),
    ("strike", "raid", "bombing", "bombard", "airstrike"),
    ("control", "hold"),
    ("president", "leader"),
    ("arrest", "detain", "apprehend"),
    ("injure", "wound", "hurt"),
    ("start", "begin", "launch"),
)

# Two-word phrases (stemmed) that mean one thing: "seized back" is a recapture.
PHRASES = {
    ("seiz", "back"): "~recapture", ("tak", "back"): "~recapture", ("tak", "over"): "~capture",
    ("win", "back"): "~recapture", ("blow", "up"): "~destroy", ("pull", "out"): "~retreat",
}
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)

_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude, predictable stemmer: lower-case, irregulars, then one suffix and a final e.

    "recaptured", "recaptures", "recapture" → "recaptur"; "deaths" → "death"; "died" → "di".
    """
    word = word.lower().strip("'-")
    if word.endswith("'s"):
        word = word[:-2]
    word = IRREGULAR.get(word, word)
    for suffix, replacement in _SUFFIXES:
        if len(word) > len(suffix) + 2 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


_CLASS_OF = {stem(word): cls[0] for cls in SYNONYM_CLASSES for word in cls}
_STEMMED_STOP = frozenset(stem(w) for w in STOP_WORDS) | STOP_WORDS


@lru_cache(maxsize=200_000)
def is_stop(word: str) -> bool:
    return word.lower() in STOP_WORDS or stem(word) in _STEMMED_STOP


def phrase_token(first: str, second: str) -> str | None:
    """The class token of a two-word phrase ("seized back" → "~recapture"), if it is one."""
    return PHRASES.get((stem(first), second.lower()))


@lru_cache(maxsize=200_000)
def content_token(word: str) -> str | None:
    """The token a word contributes to alignment, or None for stop words.

    Paraphrase classes become "~kill", "~militant" (the ~ marks a class, so readers can tell a
    word class from a literal word).
    """
    if word == "May":  # the month, not the modal verb (sentence-initial "May" is rare in news)
        return "may"
    if is_stop(word) or len(word) < 2:
        return None
    stemmed = stem(word)
    cls = _CLASS_OF.get(stemmed)
    return f"~{cls}" if cls else stemmed


WORD_RE = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'\-]*")

# Units of measure: a number in "14 mph" and one in "115 mph winds" share the unit but not what is
# measured, so a shared unit alone never makes two numbers comparable (see compare.py).
MEASURE_UNITS = frozenset(
    """mph km kph kmh miles mile metres meters metre meter feet foot ft inches inch cm mm kg kilograms
    pounds lb lbs tonnes tons ton percent per cent % degrees celsius fahrenheit dollars dollar euros
    euro pounds yen bn mn billion million thousand hours hour minutes minute seconds days day weeks
    week months month years year acres hectares litres liters gallons barrels knots""".split()
)
