"""The data export contract: site/data/articles/<id>.json and site/data/entities.json."""

import json

import pytest

CONTRACT = ["id", "title", "outlet", "published", "source_file", "sha256", "url", "paragraphs", "mentions", "crossrefs"]


@pytest.fixture(scope="module")
def records(built_site):
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted((built_site / "data" / "articles").glob("*.json"))]


def test_every_article_has_the_contract_fields(records, built_site):
    assert len(records) == 5
    for r in records:
        assert all(key in r for key in CONTRACT)
        assert r["url"] == f"articles/{r['id']}.html"
        assert (built_site / r["url"]).is_file()
        assert [p["n"] for p in r["paragraphs"]] == list(range(1, len(r["paragraphs"]) + 1))
        assert len(r["sha256"]) == 64


def test_paragraph_numbers_match_the_page(records, built_site):
    for r in records:
        html = (built_site / r["url"]).read_text(encoding="utf-8")
        for p in r["paragraphs"]:
            assert f'id="p{p["n"]}"' in html


def test_mention_offsets_index_the_paragraph_text(records):
    total = 0
    for r in records:
        text = {p["n"]: p["text"] for p in r["paragraphs"]}
        for m in r["mentions"]:
            assert text[m["paragraph"]][m["start"]:m["end"]] == m["text"]
            total += 1
    assert total > 100


def test_crossrefs_point_at_real_paragraphs(records):
    by_id = {r["id"]: r for r in records}
    count = 0
    for r in records:
        text = {p["n"]: p["text"] for p in r["paragraphs"]}
        for c in r["crossrefs"]:
            assert c["text"] in text[c["paragraph"]]
            assert c["matches"]
            for m in c["matches"]:
                assert m["article"] != r["id"]
                other = {p["n"]: p["text"] for p in by_id[m["article"]]["paragraphs"]}
                assert m["text"] in other[m["paragraph"]]
                assert 0 < m["score"] <= 1.5
                count += 1
    assert count > 10


def test_entities_json(built_site):
    entities = json.loads((built_site / "data" / "entities.json").read_text(encoding="utf-8"))
    assert isinstance(entities, list)
    by_id = {e["id"]: e for e in entities}
    islamic_state = by_id["islamic-state"]
    assert {"DAESH", "ISIS", "IS"} <= set(islamic_state["aliases"])
    assert islamic_state["type"] and islamic_state["mentions"] > 20 and islamic_state["articles"] == 5
    assert by_id["palmyra"]["wikidata"] == "Q5747"
    for e in entities:
        assert set(e) >= {"id", "name", "type", "aliases", "description", "wikidata", "geonames", "mentions"}


def test_differences_are_typed(records):
    """Issue 10 point 3: each difference also comes as an object with its kind, the two values and
    what they count; `differences` (the footnote's words) keeps its meaning."""
    details = [(m, d) for r in records for c in r["crossrefs"] for m in c["matches"] for d in m["difference_details"]]
    assert details
    for m, d in details:
        assert m["relation"] == "claim"  # only sentences stating the same fact are compared
        assert set(d) == {"kind", "disagreement", "there", "here", "there_value", "here_value", "counts", "text"}
        assert d["kind"] in ("number", "date", "precision", "spelling")
        assert d["disagreement"] == (d["kind"] in ("number", "date"))
        assert d["text"] in m["differences"]
    precision = [d for _, d in details if d["kind"] == "precision" and d["counts"] == "militants"]
    assert any(d["there_value"] == d["here_value"] == "400" and d["there"] != d["here"] for d in precision)
    assert {m["relation"] for r in records for c in r["crossrefs"] for m in c["matches"]} <= {"claim", "event"}


def test_export_difference_record_of_a_disagreement():
    from annalist.crossref.compare import difference_details
    from annalist.crossref.features import extract
    from annalist.model import Sentence
    from annalist.publish.export import difference_record

    def features(text):
        return extract(Sentence("x", 1, 0, len(text), text), ())

    (d,) = difference_details(features("About 360 ships were waiting to pass through the Suez Canal."),
                              features("Some 420 ships were waiting to pass through the Suez Canal."))
    assert difference_record(d) == {
        "kind": "number", "disagreement": True, "there": "Some 420", "here": "About 360", "there_value": "420",
        "here_value": "360", "counts": "ships", "text": 'says "Some 420" (here: "About 360")'}


def test_json_text_is_json_dumps_text(built_site):
    """export.json_text (the indented JSON of the exports and citation files, made faster) gives
    json.dumps's text: on every JSON file of the built site, and on values chosen to be awkward."""
    from annalist.publish.export import json_text

    values = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(built_site.rglob("*.json"))]
    assert len(values) > 5
    values += [
        {}, [], "", 0, -1, 2 ** 70, 1.5, -0.0, 1e16, 1e-7, 3.141592653589793, True, False, None,
        float("nan"), float("inf"), {"b": [1, {"c": []}], "a": {}, "é": "«\u2028\x00\"\\\n»"},
        [[[]], [{}], ({"x": (1, 2)},)], {3: "number keys", 2.5: "left to json.dumps"}, {"z": 1, "a": {"y": [None, True]}},
    ]
    for value in values:
        for indent in (1, 2, 4):
            for sort_keys in (False, True):
                assert json_text(value, indent, sort_keys) == \
                    json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys), (value, indent)
