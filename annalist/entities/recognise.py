"""Recognition: find the authority file's names in article text.

One Aho-Corasick automaton over the lower-cased matching form of every name and alias
(see `keys`), so the cost is linear in the text whatever the size of the registry. Of all the
matches, the leftmost-longest non-overlapping ones win, on word boundaries. A match must be
printed with at least one capital letter ("Observatory", not "observatory"); short all-capital
aliases must be printed exactly so ("IS", never "is" or "Is"), and not in an all-capitals line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import ahocorasick

from annalist.model import Article, Entity, Mention

from .keys import Normalised, alias_key, exact_form, is_exact, normalise

_SHOUT_WINDOW = 24  # characters each side that must hold a lower-case letter for IS/US to count


class _Alias(NamedTuple):
    entity: str
    exact: str | None  # the spelling required, for case-sensitive aliases


class Recogniser:
    """Finds known entities; build once per authority file, use for every paragraph."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = {entity.id: entity for entity in entities}
        self._automaton = _build(entities)

    def find(self, text: str, paragraph: int) -> list[Mention]:
        """Non-overlapping mentions in `text`, sorted, with offsets into `text` itself."""
        if not text or len(self._automaton) == 0:
            return []
        norm = normalise(text)
        chosen: list[Mention] = []
        last_end = 0
        for start, end, entity in sorted(self._matches(norm), key=lambda m: (m[0], -m[1])):
            if start >= last_end:
                first, stop = norm.span(start, end)
                chosen.append(Mention(entity, text[first:stop], paragraph, first, stop))
                last_end = end
        return chosen

    def article(self, article: Article) -> tuple[Mention, ...]:
        """Mentions in the body paragraphs (not the title, standfirst or captions)."""
        return tuple(m for p in article.paragraphs for m in self.find(p.text, p.n))

    def _matches(self, norm: Normalised):
        lower = norm.lower
        for last, (length, aliases) in self._automaton.iter(lower):
            start, end = last - length + 1, last + 1
            if _bounded(lower, start, end):
                entity = _choose(aliases, norm.cased, start, end)
                if entity is not None:
                    yield start, end, entity


def _build(entities: Sequence[Entity]) -> ahocorasick.Automaton:
    keyed: dict[str, list[_Alias]] = {}
    for entity in entities:
        for alias in (entity.name, *entity.aliases):
            key = alias_key(alias)
            if key:
                entry = _Alias(entity.id, exact_form(alias) if is_exact(alias) else None)
                if entry not in keyed.setdefault(key, []):
                    keyed[key].append(entry)
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


def _choose(aliases: tuple[_Alias, ...], cased: str, start: int, end: int) -> str | None:
    printed = cased[start:end]
    for alias in aliases:
        if alias.exact is None:
            if any(c.isupper() for c in printed):
                return alias.entity
        elif printed == alias.exact and not _shouting(cased, start, end):
            return alias.entity
    return None


def _shouting(cased: str, start: int, end: int) -> bool:
    """An all-capitals line ("SYRIA IS BACK"): a short capital word there is not an acronym."""
    around = cased[max(0, start - _SHOUT_WINDOW):start] + cased[end:end + _SHOUT_WINDOW]
    letters = [c for c in around if c.isalpha()]
    return len(letters) >= 3 and not any(c.islower() for c in letters)
