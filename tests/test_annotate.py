"""Annotated Markdown: golden files for the seeds, lossless round trip, stable anchors.

Regenerate the golden files after an intended change, then review them as a diff:

    ANNALIST_REGEN_GOLDEN=1 python3 -m pytest tests/test_annotate.py && git diff tests/golden
"""

from __future__ import annotations

import html
import os
import re

import pytest

from annalist import pipeline
from annalist.markdown import RenderEnv, render
from support import CONTENT, ROOT, copy_content

GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def corpus():
    corpus, _ = pipeline.gather(CONTENT)
    return corpus


def test_golden_annotated_markdown(corpus):
    regenerate = os.environ.get("ANNALIST_REGEN_GOLDEN") == "1"
    for item in corpus.articles:
        golden = GOLDEN / f"{item.article.id}.md"
        if regenerate:
            GOLDEN.mkdir(exist_ok=True)
            golden.write_text(item.markdown, encoding="utf-8")
        assert golden.is_file(), f"no golden file for {item.article.id}: run with ANNALIST_REGEN_GOLDEN=1"
        assert item.markdown == golden.read_text(encoding="utf-8"), f"{golden.name} differs"
    names = {f"{item.article.id}.md" for item in corpus.articles}
    assert {p.name for p in GOLDEN.glob("*.md")} == names


def _visible_paragraphs(page_html: str) -> dict[int, str]:
    out = {}
    for n, inner in re.findall(r'<p id="p(\d+)" class="para" dir="auto">(.*?)</p>', page_html, flags=re.S):
        inner = re.sub(r'<a class="pnum".*?</a> ', "", inner)
        inner = re.sub(r'<sup class="footnote-ref"[^>]*>.*?</sup>', "", inner)
        out[int(n)] = html.unescape(re.sub(r"<[^>]+>", "", inner))
    return out


def test_annotation_loses_nothing(corpus):
    entities = {e.id: e for e in corpus.entities}
    for item in corpus.articles:
        shown = _visible_paragraphs(render(item.markdown, RenderEnv("articles/x.html", entities)))
        assert shown == {p.n: p.text for p in item.article.paragraphs}, item.article.id


def test_every_entity_id_in_the_markdown_is_known(corpus):
    known = {e.id for e in corpus.entities}
    for item in corpus.articles:
        assert set(re.findall(r"\{entity=([^}\s]+)\}", item.markdown)) <= known


def _anchors(site):
    return {
        p.name: re.findall(r'id="(p\d+)"', p.read_text(encoding="utf-8"))
        for p in (site / "articles").glob("*.html")
    }


def test_anchors_and_urls_survive_rebuilds_and_additions(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content = copy_content(tmp_path)
    pipeline.build(content, tmp_path / "one", index=False)
    pipeline.build(content, tmp_path / "two", index=False)
    before = _anchors(tmp_path / "one")
    assert before == _anchors(tmp_path / "two")
    (content / "sources" / "zz-added.txt").write_text(
        "Palmyra museum reopens\n\nThe museum of Palmyra reopened on Monday, officials said.\n", encoding="utf-8"
    )
    pipeline.build(content, tmp_path / "three", index=False)
    after = _anchors(tmp_path / "three")
    assert len(after) == len(before) + 1
    for name, anchors in before.items():
        assert after[name] == anchors


# --- footnotes count outlets, not articles (issue 10, point 4) ---------------------------------


def _footnotes(markdown: str) -> list[str]:
    return re.findall(r"^\[\^p[\d.]+\]: .*?(?=^\[\^|\Z)", markdown, flags=re.S | re.M)


def test_another_article_of_the_same_outlet_is_not_another_outlet(corpus):
    trt = next(i for i in corpus.articles if i.article.id.startswith("2016-03-25-trt-world"))
    notes = _footnotes(trt.markdown)
    assert any("also in TRT World’s report of 27 March 2016" in n for n in notes)
    for note in notes:
        assert "- **TRT World**" not in note  # never listed, nor counted, as another outlet
        others = re.findall(r"^    - \*\*", note, flags=re.M)
        head = re.match(r"\[\^[\w.]+\]: (?:Also reported by (\d+) other|No other outlet)", note)
        assert head, note
        assert int(head.group(1) or 0) <= len(others)


def test_unknown_outlets_are_never_merged_into_one(tmp_path):
    content = copy_content(tmp_path)
    manifest = content / "sources.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("outlet: Ynetnews", "outlet: null"), encoding="utf-8")
    corpus, _ = pipeline.gather(content)
    outlet = {i.article.id: i.article.outlet.value for i in corpus.articles}
    unknown = {a for a, o in outlet.items() if o is None}
    assert len(unknown) == 2
    both = 0
    for item in corpus.articles:
        refs = sorted(item.crossrefs, key=lambda c: (c.paragraph, c.start))
        for ref, note in zip(refs, _footnotes(item.markdown)):
            own = outlet[item.article.id]
            keys = {outlet[m.article] or m.article for m in ref.matches
                    if m.relation == "claim" and not (own and outlet[m.article] == own)}  # "same event" links apart
            head = re.match(r"\[\^[\w.]+\]: (?:Also reported by (\d+) other|No other outlet)", note)
            assert int(head.group(1) or 0) == len(keys), note
            both += unknown <= {m.article for m in ref.matches}
    assert both, "no sentence is reported by both unknown outlets"


def test_footnote_lists_same_event_reports_apart():
    """Issue 10: a link is typed; "reports the same event" is shown as such and not counted as
    another outlet stating the fact."""
    from annalist.markdown.annotate import Report, footnote
    from annalist.model import CrossRef, Match

    claim = Match("b", 2, "Some 420 ships were waiting.", 0.9)
    event = Match("c", 5, "The canal reopened on Monday.", 0.8, relation="event")
    reports = {"a": Report("Outlet A", "1 May 2021"), "b": Report("Outlet B", "1 May 2021"),
               "c": Report("Outlet C", "2 May 2021")}
    note = footnote(CrossRef("a", 1, 0, 10, "About 360 ships were waiting.", (event, claim)), "p1.1", reports)
    head, first, second = note.splitlines()
    assert head == "[^p1.1]: Also reported by 1 other outlet; 1 more reports the same event:"
    assert "**Outlet B**" in first and "(reports the same event)" not in first
    assert "**Outlet C**" in second and "(reports the same event)" in second
    only = footnote(CrossRef("a", 1, 0, 10, "x", (event,)), "p1.2", reports)
    assert only.splitlines()[0] == "[^p1.2]: No other outlet states this; 1 other outlet reports the same event:"


def test_a_footnote_label_numbers_its_sentence_within_the_paragraph(corpus):
    """`[^p4.3]` is the third sentence of ¶ 4, footnoted or not: a footnote that comes or goes in a
    later build (an outlet added) never moves the anchor of another one in the same paragraph."""
    checked = 0
    for item in corpus.articles:
        sentences = sorted(item.sentences, key=lambda s: (s.paragraph, s.start))
        for ref in item.crossrefs:
            in_paragraph = [s for s in sentences if s.paragraph == ref.paragraph]
            number = next(n for n, s in enumerate(in_paragraph, start=1) if (s.start, s.end) == (ref.start, ref.end))
            assert f"[^p{ref.paragraph}.{number}]:" in item.markdown, (item.article.id, ref.text)
            checked += 1
    assert checked >= 20


def test_front_matter_yaml_is_pyyaml_safe_dump_text(corpus):
    """The front matter goes through libyaml's emitter when its characters are ones both of
    PyYAML's emitters print alike: the same text as yaml.safe_dump, on the seeds' front matter,
    on lines of the corpora, and on characters across the Basic Multilingual Plane."""
    import yaml

    from annalist.markdown.annotate import _LIBYAML_ALIKE, front_matter, front_matter_yaml
    from support import CORPORA

    def same(meta: dict) -> bool:
        return front_matter_yaml(meta) == yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000)

    assert all(same(front_matter(item.article)) for item in corpus.articles)
    lines = [line for path in sorted(CORPORA.rglob("*.txt"))[::9]
             for line in path.read_bytes().decode("utf-8", "replace").splitlines()[:6]]
    assert all(same({"title": line, "field": {"value": line or None, "origin": "text"}, "credits": [line]})
               for line in lines)
    alike = 0
    for code in [*range(0x400), *range(0x400, 0x10000, 37), 0x85, 0xD800, 0xDFFF, 0x1F600]:
        ch = chr(code)
        for text in (ch, f"a{ch}b", f"{ch} lead", f"Title: {ch}", ch * 3, f"x\n{ch}", f"{ch}\u00e9 \U0001F600"):
            assert same({"t": text, "l": [text], "f": {"value": text, "note": None}}), hex(code)
            alike += bool(_LIBYAML_ALIKE.fullmatch(text))
    assert alike > 5000
