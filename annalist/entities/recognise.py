"""Recognition: find the authority file's names in article text.

One Aho-Corasick automaton over the lower-cased matching form of every name and alias
(see `keys`), so the cost is linear in the text whatever the size of the registry. Of all the
matches, the leftmost-longest non-overlapping ones win, on word boundaries. A match must be
printed with at least one capital letter ("Observatory", not "observatory"); short all-capital
aliases must be printed exactly so ("IS", never "is" or "Is"), and not in an all-capitals line.

Short forms are resolved per article, never by whichever record carries the alias. A short form
is a one-word alias that is a word of a longer name of its record ("Assad"), or the surname of a
person's multi-word name (implicit: "Simpson" for O.J. Simpson, listed or not). In an article it
resolves to the one record that article names in full; with no full name there, to the record
whose alias it is, if no other record's name holds it. A short form glued to another capitalised
word ("Saffir-Simpson", "Bloomberg News") is part of a longer name and never resolves; one that
the article's other names make ambiguous (two Simpsons named in full, or a Simpson the
authority file does not know) stays unresolved, and discovery lists it for review.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import ahocorasick

import re

from annalist.model import Article, Entity, Mention

from . import propernames as words
from .keys import Normalised, alias_key, exact_form, is_exact, normalise

_SHOUT_WINDOW = 24  # characters each side that must hold a lower-case letter for IS/US to count


class _Alias(NamedTuple):
    entity: str
    exact: str | None  # the spelling required, for case-sensitive aliases
    short: bool = False  # a one-word form of a longer name of the entity
    implicit: bool = False  # not listed: a person's surname, resolved only with the full name


class _Match(NamedTuple):
    paragraph: int
    start: int  # in the normalised text
    end: int
    aliases: tuple[_Alias, ...]
    inside: str | None  # "prev" / "next": glued to a capitalised word of a longer name


_NOT_A_NAME_WORD = words.STOP | words.TITLES | words.TITLE_MODIFIERS | words.WEEKDAYS | words.MONTHS
_PREVIOUS = re.compile(r"([^\W\d_][\w.']*) $")
_NEXT = re.compile(r"^ ([^\W\d_][\w']*)")


class Recogniser:
    """Finds known entities; build once per authority file, use for every paragraph."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = {entity.id: entity for entity in entities}
        self._automaton = _build(entities)

    def find(self, text: str, paragraph: int) -> list[Mention]:
        """Non-overlapping mentions in `text` read as an article of one paragraph, sorted,
        with offsets into `text` itself."""
        return self._read([(paragraph, text)])

    def article(self, article: Article) -> tuple[Mention, ...]:
        """Mentions in the body paragraphs (not the title, standfirst or captions)."""
        return tuple(self._read([(p.n, p.text) for p in article.paragraphs]))

    def _read(self, paragraphs: list[tuple[int, str]]) -> list[Mention]:
        if len(self._automaton) == 0:
            return []
        texts = {n: text for n, text in paragraphs}
        norms = {n: normalise(text) for n, text in paragraphs if text}
        chosen = [m for n, norm in norms.items() for m in self._chosen(n, norm)]
        full = {a.entity for m in chosen if not any(x.short or x.implicit for x in m.aliases)
                for a in m.aliases[:1]}
        foreign = {norms[m.paragraph].lower[m.start:m.end] for m in chosen if m.inside == "prev" and _is_short(m)}
        mentions = []
        for m in chosen:
            entity = m.aliases[0].entity if not _is_short(m) else _resolve(m, full, foreign, norms[m.paragraph])
            if entity is not None:
                first, stop = norms[m.paragraph].span(m.start, m.end)
                mentions.append(Mention(entity, texts[m.paragraph][first:stop], m.paragraph, first, stop))
        return mentions

    def _chosen(self, paragraph: int, norm: Normalised) -> list[_Match]:
        chosen: list[_Match] = []
        last_end = 0
        for start, end, aliases in sorted(self._matches(norm), key=lambda m: (m[0], -m[1])):
            if start >= last_end:
                chosen.append(_Match(paragraph, start, end, aliases, _glued(norm.cased, start, end)))
                last_end = end
        return chosen

    def _matches(self, norm: Normalised):
        lower = norm.lower
        for last, (length, aliases) in self._automaton.iter(lower):
            start, end = last - length + 1, last + 1
            if _bounded(lower, start, end):
                usable = _usable(aliases, norm.cased, start, end)
                if usable:
                    yield start, end, usable


def _is_short(match: _Match) -> bool:
    return any(a.short or a.implicit for a in match.aliases)


def _resolve(match: _Match, full: set[str], foreign: set[str], norm: Normalised) -> str | None:
    """The record a short form names in this article, or None (left for review)."""
    ids = list(dict.fromkeys(a.entity for a in match.aliases))
    named = [i for i in ids if i in full]
    whole = [a.entity for a in match.aliases if not (a.short or a.implicit)]
    if whole and not named:
        return whole[0]  # the name of a record ("Jordan"), not only someone's surname
    if match.inside or norm.lower[match.start:match.end] in foreign:
        return None  # "Saffir-Simpson", "Bloomberg News", or an unknown "O.J. Simpson" in the article
    if named:
        return named[0] if len(named) == 1 else None
    listed = {a.entity for a in match.aliases if a.short}
    return listed.pop() if len(listed) == 1 and len(ids) == 1 else None


def _glued(cased: str, start: int, end: int) -> str | None:
    """Whether a match is glued (by a space or hyphen) to a capitalised name word before or after."""
    for side, found in (("prev", _PREVIOUS.search(cased, max(0, start - 40), start)),
                        ("next", _NEXT.match(cased[end:end + 40]))):
        if found:
            word = found.group(1)
            if word[:1].isupper() and word.lower().rstrip(".") not in _NOT_A_NAME_WORD \
                    and not word.lower().endswith(("'s",)):
                return side
    return None


def _build(entities: Sequence[Entity]) -> ahocorasick.Automaton:
    keyed: dict[str, list[_Alias]] = {}
    for entity in entities:
        names = (entity.name, *entity.aliases)
        longer_words = {w for n in names for w in alias_key(n).split() if len(alias_key(n).split()) > 1}
        for alias in names:
            key = alias_key(alias)
            if key:
                exact = exact_form(alias) if is_exact(alias) else None
                entry = _Alias(entity.id, exact, exact is None and " " not in key and key in longer_words)
                if entry not in keyed.setdefault(key, []):
                    keyed[key].append(entry)
    for entity in entities:  # surnames of people, for "the same article names in full"
        if entity.type != "person":
            continue
        for alias in (entity.name, *entity.aliases):
            parts = alias_key(alias).split()
            if len(parts) > 1 and len(parts[-1]) >= 3 and parts[-1] not in _NOT_A_NAME_WORD:
                listed = keyed.setdefault(parts[-1], [])
                if not any(a.entity == entity.id for a in listed):
                    listed.append(_Alias(entity.id, None, implicit=True))
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
    for key, aliases in keyed.items():
        # exact spellings are tried first; among others the authority file's order decides
        aliases.sort(key=lambda a: a.exact is None)
        automaton.add_word(key, (len(key), tuple(aliases)))
    if len(automaton):
        automaton.make_automaton()
    return automaton


def _bounded(text: str, start: int, end: int) -> bool:
    """No letter or digit glued to either end ("IS" is not in "ISIS"; "Iran" not in "Iranian")."""
    before = start > 0 and text[start].isalnum() and text[start - 1].isalnum()
    after = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    return not (before or after)


def _usable(aliases: tuple[_Alias, ...], cased: str, start: int, end: int) -> tuple[_Alias, ...]:
    """The aliases this printed form can be: capitalised for the folded ones, exactly so for short
    capital ones; the first one is the answer for a full name."""
    printed = cased[start:end]
    usable = []
    for alias in aliases:
        if alias.exact is None:
            # capitalised, or in a script without case (Arabic, Hebrew): never all lower case
            if any(c.isupper() for c in printed) or not any(c.islower() for c in printed):
                usable.append(alias)
        elif printed == alias.exact and not _shouting(cased, start, end):
            usable.append(alias)
    return tuple(usable)


def _shouting(cased: str, start: int, end: int) -> bool:
    """An all-capitals line ("SYRIA IS BACK"): a short capital word there is not an acronym."""
    around = cased[max(0, start - _SHOUT_WINDOW):start] + cased[end:end + _SHOUT_WINDOW]
    letters = [c for c in around if c.isalpha()]
    return len(letters) >= 3 and not any(c.islower() for c in letters)
