"""Matching forms of names and of text: the one place where the entities stage decides what
counts as "the same spelling".

Built on `annalist.text.fold` (non-breaking spaces, curly quotes, dashes), then: hyphens count
as spaces ("Deir al-Zor" = "Deir al Zor"), runs of whitespace count as one space, and a leading
"the" is not part of a name. Offsets found in the matching form map back to the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annalist.text import fold

_AS_SPACE = str.maketrans({"-": " ", "\t": " ", "\n": " ", "\r": " ", "\f": " ", "\v": " "})
_RUN = re.compile(r" {2,}")
_THE = re.compile(r"^the ", re.IGNORECASE)
EXACT_MAX_LENGTH = 4  # all-capital aliases up to this length match case-sensitively (IS, US, AFP)


@dataclass(frozen=True)
class Normalised:
    """A text in matching form, with the way back to offsets in the original."""

    cased: str  # folded, hyphens as spaces, whitespace runs squeezed
    lower: str  # `cased` lower-cased, character for character
    origin: tuple[int, ...] | None  # index in `cased` -> index in the original; None: identical

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the original text of `cased[start:end]` (end exclusive, end > start)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> Normalised:
    spaced = fold(text).translate(_AS_SPACE)
    cased, origin = _squeeze(spaced)
    return Normalised(cased, lower_same_length(cased), origin)


def _squeeze(text: str) -> tuple[str, tuple[int, ...] | None]:
    if "  " not in text:
        return text, None
    pieces: list[str] = []
    origin: list[int] = []
    pos = 0
    for run in _RUN.finditer(text):
        keep = run.start() + 1
        pieces.append(text[pos:keep])
        origin.extend(range(pos, keep))
        pos = run.end()
    pieces.append(text[pos:])
    origin.extend(range(pos, len(text)))
    return "".join(pieces), tuple(origin)


def lower_same_length(text: str) -> str:
    """Lower case without changing length (str.lower turns 'İ' into two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def is_exact(alias: str) -> bool:
    """Short all-capital aliases (IS, US, U.S., AFP, SANA) are matched case-sensitively."""
    name = strip_the(normalise(alias).cased.strip())
    return len(name) <= EXACT_MAX_LENGTH and name == name.upper() and any(c.isupper() for c in name)


def strip_the(name: str) -> str:
    return _THE.sub("", name)


def exact_form(alias: str) -> str:
    """The spelling a case-sensitive alias must have in the (normalised) text."""
    return strip_the(normalise(alias).cased.strip())


def alias_key(alias: str) -> str:
    """The automaton key of an alias: matching form, lower case, without a leading "the"."""
    return lower_same_length(exact_form(alias))


def claim_key(alias: str) -> str:
    """Two aliases with the same claim key cannot belong to two entities."""
    return exact_form(alias) if is_exact(alias) else alias_key(alias)
