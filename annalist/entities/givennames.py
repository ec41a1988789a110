"""Given names, from a package of the registry (no network at build time): the US Census Bureau's
1990 lists of first names (about 5,000: "John", "Maria", "Rory"), as the `names` package ships them
(MIT; the lists are the US Government's, public domain). Discovery uses them for one thing only:
a lone first name resolves to the one person its article names in full with it ("Rory said" after
"Rory Read"). A name the lists lack is never held against: it is simply not resolved so.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """First names of the US Census 1990 lists (male and female), lower-case. Read once per process."""
    found: set[str] = set()
    for listing in ("dist.male.first", "dist.female.first"):
        text = resources.files("names").joinpath(listing).read_text(encoding="ascii")
        found.update(line.split()[0].lower() for line in text.splitlines() if line.strip())
    return frozenset(found)
