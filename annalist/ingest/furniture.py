"""Page furniture found across the archive: lines that repeat in articles telling other stories.

A site's template (a newsletter prompt, a location-sharing notice under every embedded tweet, a
crawler's notice) repeats word for word in unrelated articles; an agency's copy republished by two
outlets repeats too, but with the rest of the story. So a line is a template when it is found in
two articles (three, for a long line) that otherwise share little of their wording.
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


def template_lines(pages: Mapping[str, Sequence[str]]) -> dict[str, dict[str, str]]:
    """For each page (name → its lines), the line keys that are templates and the reason shown."""
    keys = {name: {line_key(t) for t in lines} for name, lines in pages.items()}
    words = {name: set(_WORD.findall(" ".join(ks))) for name, ks in keys.items()}
    holders: dict[str, list[str]] = defaultdict(list)
    for name in sorted(keys):
        for key in keys[name]:
            if len(key) >= MIN_KEY_CHARS:
                holders[key].append(name)
    related: dict[tuple[str, str], bool] = {}

    def unrelated(a: str, b: str) -> bool:
        if (a, b) not in related:
            union = words[a] | words[b]
            related[(a, b)] = bool(union) and len(words[a] & words[b]) / len(union) >= UNRELATED_BELOW
        return not related[(a, b)]

    found: dict[str, dict[str, str]] = defaultdict(dict)
    for key, names in holders.items():
        if len(names) < (3 if len(key.split()) > LONG_LINE_WORDS else 2):
            continue
        pairs = [(a, b) for a, b in combinations(names, 2) if unrelated(a, b)]
        if not pairs:
            continue
        for name in names:
            others = sorted({b if a == name else a for a, b in pairs if name in (a, b)} or set(names) - {name})
            example = others[0]
            more = f" and {len(others) - 1} more" if len(others) > 1 else ""
            found[name][key] = f"template line: also in {example}{more}, which tell other stories"
    return dict(found)
