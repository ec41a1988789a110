"""Page furniture found across the archive: lines that repeat in articles telling other stories.

A site's template (a newsletter prompt, a location-sharing notice under every embedded tweet, a
crawler's notice) repeats word for word in unrelated articles; an agency's copy republished by two
outlets repeats too, but with the rest of the story. So a line is a template when it is found in
two articles (three, for a long line or a sentence) that otherwise share little of their wording;
a sentence must moreover repeat across mostly unrelated articles (a quote two reports of one story
share is not a template).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import combinations

from .clean import line_key

MIN_KEY_CHARS = 4
LONG_LINE_WORDS = 20  # a line this long must repeat in 3 articles to count as a template
UNRELATED_BELOW = 0.12  # Jaccard similarity of two articles' word sets below which they tell other stories
_WORD = re.compile(r"[a-z0-9]{3,}")
_SENTENCE = re.compile(r"[.!?][\"'”’)]*$")


def line_keys(lines: Sequence[str]) -> frozenset[str]:
    """A page's line keys (clean.line_key of each line): all template_lines looks at."""
    return frozenset(line_key(t) for t in lines)


def template_lines(pages: Mapping[str, Sequence[str]]) -> dict[str, dict[str, str]]:
    """For each page (name → its lines), the line keys that are templates and the reason shown."""
    return templates_of({name: line_keys(lines) for name, lines in pages.items()})


def templates_of(keys: Mapping[str, frozenset[str]],
                 previous: tuple[Mapping[str, frozenset[str]], Mapping[str, dict[str, str]]] | None = None,
                 ) -> dict[str, dict[str, str]]:
    """template_lines from each page's line keys (name → line_keys). `previous`: the line keys and
    the result of an earlier call, of which only what a page that changed (added, removed, other
    keys) holds or held is judged again: a line's verdict depends on the pages holding it and
    their keys alone, so the result is the same. Each page's templates in key order."""
    line_words: dict[str, frozenset[str]] = {}

    def words_of(key: str) -> frozenset[str]:
        found = line_words.get(key)
        if found is None:
            found = line_words[key] = frozenset(_WORD.findall(key))
        return found

    found: dict[str, dict[str, str]] = defaultdict(dict)
    affected: frozenset[str] | None = None  # the line keys judged (again); None: all of them
    if previous is not None:
        old_keys, old_found = previous
        changed = [n for n in keys.keys() | old_keys.keys() if keys.get(n) != old_keys.get(n)]
        affected = frozenset().union(*(keys.get(n, frozenset()) | old_keys.get(n, frozenset()) for n in changed))
        for name, entries in old_found.items():
            if name in keys:
                kept = {k: reason for k, reason in entries.items() if k not in affected}
                if kept:
                    found[name] = kept
    holders: dict[str, list[str]] = defaultdict(list)
    for name in sorted(keys) if affected is None or affected else ():
        for key in keys[name] if affected is None else keys[name] & affected:
            if len(key) >= MIN_KEY_CHARS:
                holders[key].append(name)

    def words_without(name: str, key: str) -> set[str]:
        return set().union(*(words_of(k) for k in keys[name] if k != key))

    def unrelated(a: str, b: str, key: str) -> bool:
        """The two articles share little once this line is left out: they tell other stories."""
        wa, wb = words_without(a, key), words_without(b, key)
        union = wa | wb
        return not union or len(wa & wb) / len(union) < UNRELATED_BELOW

    for key, names in holders.items():
        sentence = len(key.split()) > 1 and _SENTENCE.search(key) is not None
        if len(names) < (3 if sentence or len(key.split()) > LONG_LINE_WORDS else 2):
            continue
        candidates = list(combinations(names[:40], 2))
        pairs = [(a, b) for a, b in candidates if unrelated(a, b, key)]
        # A sentence shared by articles on one story is quoted or syndicated wording, not a template:
        # it must repeat across mostly unrelated articles.
        if not pairs or (sentence and len(pairs) * 2 < len(candidates)):
            continue
        for name in names:
            others = sorted({b if a == name else a for a, b in pairs if name in (a, b)} or set(names) - {name})
            example = others[0]
            more = f" and {len(others) - 1} more" if len(others) > 1 else ""
            found[name][key] = f"template line: also in {example}{more}, which tell other stories"
    return {name: dict(sorted(entries.items())) for name, entries in sorted(found.items())}
