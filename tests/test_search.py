"""The offline search index (annalist/publish/search.py) and its engine (static/js/search.js, run in node)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from annalist import pipeline, urls
from annalist.publish import pagefind_canon, search

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SEARCH_JS = ROOT / "static" / "js" / "search.js"
YNET = "2016-03-27-ynetnews-syrian-military-allies-takes-control-of-palmyra"
TARGET_BYTES_PER_1000 = 1_500_000


@pytest.fixture(scope="module")
def corpus():
    corpus, _ = pipeline.gather(CONTENT)
    return corpus


@pytest.fixture(scope="module")
def index(corpus):
    return search.offline_index(corpus)


def test_fold_and_words():
    assert search.index_form("Ḥomṣ DAESH Türkiye") == "homs daesh turkiye"
    assert search.words("Palmyra’s ruins, and the IS group: 2016.") == ["palmyra", "ruins", "group", "2016"]
    assert search.words("פרסום ראשון") == ["פרסום", "ראשון"]


@pytest.mark.parametrize("weights", [{}, {0: 1}, {0: 2, 3: 1, 13: 40}, {5: 1, 1000: 7, 1001: 1}, {2: 5000}])
def test_postings_round_trip(weights):
    encoded = search.encode_postings(weights)
    assert search.decode_postings(encoded) == {d: min(w, search.MAX_WEIGHT) for d, w in weights.items()}
    assert " " not in encoded


def test_postings_are_deltas_in_base_36():
    assert search.encode_postings({0: 1, 3: 2, 13: 1}) == "0,3.2,a"


def test_postings_updated_by_difference_are_those_made_from_nothing(corpus):
    """search.postings_changed (a rebuild's: only the words of the docs that changed, before and
    after, posted again) gives what search.postings gives over the docs as they are now: on the
    seeds' docs, one edited, one emptied of its words, one given another doc's text, and a word
    given a weight above the cap."""
    texts = [(item.article.title, [p.text for p in item.article.paragraphs]) for item in corpus.articles]
    texts += [(e.name, [e.description]) for e in corpus.entities]
    encoded = search.postings(texts)
    edits = [
        {0: (texts[0][0], texts[0][1] + ["A convoy reached Palmyra on Monday, the ministry said."])},
        {1: ("", []), 3: texts[2]},
        {len(texts) - 1: ("Palmyra " * (search.MAX_WEIGHT + 5), ["Palmyra"])},
    ]
    for edit in edits:
        now = [edit.get(doc, text) for doc, text in enumerate(texts)]
        changed = {doc: (search.doc_counts(*texts[doc]), search.doc_counts(*now[doc])) for doc in edit}
        updated = search.postings_changed(encoded, changed)
        assert updated == search.postings(now)
        texts, encoded = now, updated
    assert search.postings_changed(encoded, {}) == encoded


def test_index_lists_every_article_and_entity_page(corpus, index):
    paths = [doc[1] for doc in index["docs"]]
    assert paths[: len(corpus.articles)] == [urls.article(item.article.id) for item in corpus.articles]
    assert paths[len(corpus.articles):] == [urls.entity(e.id) for e in corpus.entities]
    assert len(index["words"].split(" ")) == len(index["postings"].split(" "))
    assert index["words"].split(" ") == sorted(index["words"].split(" "))


def test_words_are_indexed_with_title_weight(index):
    vocabulary = index["words"].split(" ")
    palmyra = search.decode_postings(index["postings"].split(" ")[vocabulary.index("palmyra")])
    article_docs = [d for d, doc in enumerate(index["docs"]) if doc[3] == 0]
    assert set(article_docs) <= set(palmyra)  # every seed article says Palmyra, in its title too
    assert all(palmyra[d] > search.TITLE_WEIGHT for d in article_docs)
    assert "the" not in vocabulary and "is" not in vocabulary  # stop words


def test_entities_carry_aliases_and_the_articles_mentioning_them(corpus, index):
    by_name = {e[0]: e for e in index["entities"]}
    islamic_state = by_name["Islamic State"]
    assert "DAESH" in islamic_state[3].split("|") or "Daesh" in islamic_state[3].split("|")
    mentioning = {index["docs"][d][1] for d in search.decode_postings(islamic_state[4])}
    assert urls.article(YNET) in mentioning  # which says ISIS, never DAESH
    assert index["docs"][islamic_state[2]][1] == urls.entity("islamic-state")


def test_articles_carry_their_story(corpus, index):
    """The seeds are one story of five reports: every article doc names it; entity pages have none."""
    assert len(index["stories"]) == 1 and index["stories"][0].endswith("(5 articles)")
    assert index["story"] == [0] * len(corpus.articles)


def test_written_as_a_classic_script(corpus, tmp_path):
    path = search.write_offline_index(corpus, tmp_path)
    assert path == tmp_path / "static" / "search-index.js"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("window.ANNALIST_SEARCH={") and text.endswith("};\n")
    assert "</" not in text
    assert json.loads(text[len("window.ANNALIST_SEARCH="):-2].replace("<\\/", "</"))["v"] == search.FORMAT_VERSION


# --- the engine, in node ---------------------------------------------------------------------

NODE_RUNNER = """
const fs = require("fs");
global.window = {};
eval(fs.readFileSync(process.argv[2], "utf8"));
eval(fs.readFileSync(process.argv[3], "utf8"));
const engine = new window.AnnalistSearch.Engine(window.ANNALIST_SEARCH);
const texts = {};
global.ANNALIST_TEXT = (doc, text) => { texts[doc] = text; };
const textOf = d => {
  const page = window.ANNALIST_SEARCH.docs[d][1];
  eval(fs.readFileSync(process.argv[5] + "/" + page.replace(/\\.html$/, ".js"), "utf8"));
  return texts[page];
};
const out = JSON.parse(process.argv[4]).map(([q, filters]) => {
  if (q.startsWith("suggest:")) return engine.suggest(q.slice(8));
  const found = engine.search(q, filters);
  return found.results.map(r => ({path: window.ANNALIST_SEARCH.docs[r.doc][1],
    excerpt: engine.excerpt(textOf(r.doc), found).map(([t, m]) => m ? `<mark>${t}</mark>` : t).join("")}));
});
console.log(JSON.stringify(out));
"""


@pytest.fixture(scope="module")
def run_engine(corpus, tmp_path_factory):
    node = shutil.which("node")
    if not node:
        pytest.skip("node is not installed")
    folder = tmp_path_factory.mktemp("engine")
    index_js = search.write_offline_index(corpus, folder)
    (folder / "run.js").write_text(NODE_RUNNER, encoding="utf-8")

    def run(*queries):
        args = json.dumps([[q, f] for q, f in queries])
        done = subprocess.run([node, str(folder / "run.js"), str(SEARCH_JS), str(index_js), args,
                               str(folder / search.TEXT_DIR)],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    return run


def test_engine_finds_all_five_seed_articles(run_engine, corpus):
    (results,) = run_engine(("Palmyra", {}))
    found = [r["path"] for r in results]
    assert {urls.article(item.article.id) for item in corpus.articles} <= set(found)
    assert all("<mark>Palmyra</mark>" in r["excerpt"] for r in results if r["path"].startswith("articles/"))


def test_engine_is_alias_aware_and_lists_articles_before_entity_pages(run_engine):
    (results,) = run_engine(("daesh", {}))
    paths = [r["path"] for r in results]
    assert urls.article(YNET) in paths  # which says ISIS, never DAESH
    assert urls.entity("islamic-state") in paths
    kinds = [p.split("/")[0] for p in paths]
    assert kinds == sorted(kinds)  # "articles" before "entities"
    ynet = next(r for r in results if r["path"] == urls.article(YNET))
    assert "<mark>" in ynet["excerpt"]  # the entity's names are marked in the matching passage


def test_engine_excerpt_is_the_matching_passage_not_the_opening(run_engine):
    (results,) = run_engine(("amphitheatre", {}))
    assert results, "the seeds mention Palmyra's amphitheatre"
    for r in results:
        assert "<mark>amphitheatre</mark>" in r["excerpt"].lower()
        assert r["excerpt"].startswith("…")  # not the article's first sentence
        assert "[" not in r["excerpt"]  # no footnote markers


def test_engine_suggests_the_nearest_indexed_word(run_engine):
    palmira, both, fine, nonsense = run_engine(("suggest:Palmira", {}), ("suggest:palmira citadell", {}),
                                               ("suggest:Palmyra", {}), ("suggest:qqqqqqqqqq", {}))
    assert palmira == "Palmyra"
    assert both == "palmyra citadel"
    assert fine is None and nonsense is None


def test_engine_date_range_and_sort(run_engine, index):
    article_type = index["types"].index("article")
    newest, oldest, march_25 = run_engine(
        ("palmyra", {"type": article_type, "sort": "newest"}), ("palmyra", {"type": article_type, "sort": "oldest"}),
        ("palmyra", {"from": "2016-03-25", "to": "2016-03-25"}))
    date_of = {doc[1]: doc[4] for doc in index["docs"]}
    dated = [date_of[r["path"]] for r in newest if date_of[r["path"]]]
    assert dated == sorted(dated, reverse=True) and len(dated) >= 3
    dated_old = [date_of[r["path"]] for r in oldest]
    assert [d for d in dated_old if d] == sorted(d for d in dated_old if d) and dated_old[-1] == ""  # undated last
    assert [date_of[r["path"]] for r in march_25] == ["2016-03-25"]


def test_engine_ands_words_and_completes_the_last(run_engine):
    typing, palm, both, nothing = run_engine(("palmy", {}), ("palm", {}), ("palmyra citadel", {}), ("palmyra zzzxq", {}))
    assert [r["path"] for r in typing] == [r["path"] for r in palm]
    assert typing and both and len(both) < len(typing) and nothing == []


def test_engine_filters(run_engine, index):
    outlet = index["outlets"].index("TRT World")
    article_type = index["types"].index("article")
    entity = [e[0] for e in index["entities"]].index("Vladimir Putin")
    everything, by_outlet, by_type, by_entity, filters_only = run_engine(
        ("palmyra", {}), ("palmyra", {"outlet": outlet}), ("palmyra", {"type": article_type}),
        ("palmyra", {"entity": entity}), ("", {"outlet": outlet}))
    assert 0 < len(by_outlet) < len(everything)
    assert all("trt-world" in r["path"] for r in by_outlet)
    assert all(r["path"].startswith("articles/") for r in by_type) and len(by_type) == 5
    assert 0 < len(by_entity) < len(everything)
    assert {r["path"] for r in filters_only} == {r["path"] for r in by_outlet}


# --- size: real text (the BBC corpus), against the 1.5 MB per 1,000 articles target ----------------

def test_index_size_per_thousand_real_articles():
    bench_file = ROOT / "bench" / "bench_search.py"
    spec = importlib.util.spec_from_file_location("bench_search", bench_file)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    if not bench.BBC.is_dir():
        pytest.skip(f"no BBC corpus at {bench.BBC}")
    script = search.offline_script(search.offline_index(bench.corpus(1000)))
    assert len(script.encode("utf-8")) < TARGET_BYTES_PER_1000


# --- Pagefind indexing (index_site) ---------------------------------------------------------------


def _bundle_bytes(bundle: Path) -> dict[str, bytes]:
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in sorted(bundle.rglob("*")) if p.is_file()}


def _unindexed_copy(built_site: Path, target: Path) -> Path:
    shutil.copytree(built_site, target, ignore=shutil.ignore_patterns(search.BUNDLE_DIR))
    return target


def _in_a_loop_of_its_own(coroutine):
    """asyncio.run in a thread: the browser tests' Playwright may hold this thread's event loop."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _index_page_by_page(site: Path, language: str) -> None:
    """Pagefind's own Python client, one index per bundle, awaited one page at a time: the
    reference index_site must match."""
    from pagefind.index import IndexConfig, PagefindIndex

    pages = dict(search._searchable_pages(site))
    for bundle in search.plan_bundles(dict.fromkeys(pages, "")):
        out = site / "reference" / bundle.name
        async with PagefindIndex(config=IndexConfig(output_path=str(out), force_language=language)) as index:
            for rel, _ in bundle.pages:
                await index.add_html_file(content=pages[rel], url="/" + rel, source_path=rel)
        pagefind_canon.canonicalise(out)
        for rel, path in search._published_files(out, bundle):
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            path.replace(site / rel)
    shutil.rmtree(site / "reference")


def test_index_site_gives_the_bundles_of_pagefinds_own_client_page_by_page(built_site, tmp_path, monkeypatch):
    reference = _unindexed_copy(built_site, tmp_path / "reference")
    _in_a_loop_of_its_own(_index_page_by_page(reference, "en"))

    monkeypatch.setattr(search, "PAGEFIND_WINDOW", 7)  # several windows, the last one partial
    fast = _unindexed_copy(built_site, tmp_path / "fast")
    pages = search.index_site(fast, "en")

    assert pages == len(list(search._searchable_pages(built_site))) > 2 * 7
    assert pages % 7
    bundles = search.plan_bundles(dict.fromkeys(dict(search._searchable_pages(built_site)), ""))
    assert len(search._runs(bundles)) == 1 < len(bundles)  # one Pagefind process indexed every bundle
    expected = _bundle_bytes(reference / search.BUNDLE_DIR)
    expected[search.BUNDLES_FILE] = (built_site / search.BUNDLE_DIR / search.BUNDLES_FILE).read_bytes()
    assert _bundle_bytes(fast / search.BUNDLE_DIR) == expected
    assert _bundle_bytes(fast / search.BUNDLE_DIR) == _bundle_bytes(built_site / search.BUNDLE_DIR)


def test_a_page_pagefind_rejects_fails_the_indexing_at_once(tmp_path):
    """An error answer from Pagefind's service is raised (not a hang, not a smaller index)."""
    import asyncio

    from pagefind.index import IndexConfig

    async def run() -> None:
        async with search._PromptService() as service:
            index = await service.create_index(IndexConfig(output_path=str(tmp_path / "_pagefind")))
            await index.add_html_file(content="<html lang=en><body><p>Palmyra</p></body></html>", url="/a.html")
            await asyncio.wait_for(index.add_html_file(content="<html>", url=None, source_path=None), 30)

    with pytest.raises(Exception, match="source_path or url"):
        _in_a_loop_of_its_own(run())


def test_indexing_waits_until_pagefind_has_closed_every_bundle_file(tmp_path):
    """Pagefind answers "written" while its last write to a file may still be running; index_site
    waits for the process to close every file of the bundle (here a stand-in process that holds
    one open, writes its last bytes later, then lives on)."""
    import subprocess
    import sys

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("no /proc: a fixed grace period is used instead")
    bundle = tmp_path / search.BUNDLE_DIR
    bundle.mkdir()
    target = bundle / "pagefind.js"
    writer = subprocess.Popen([sys.executable, "-c", (
        "import sys, time\n"
        f"f = open({str(target)!r}, 'w'); f.write('part'); f.flush(); print('open', flush=True)\n"
        "time.sleep(0.5); f.write(' and the rest'); f.close()\n"
        "time.sleep(30)\n")], stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        _in_a_loop_of_its_own(search._writes_landed(writer.pid, bundle))
        assert target.read_text() == "part and the rest"
    finally:
        writer.kill()
        writer.wait()


# --- bundles: the index split so that a rebuild re-indexes only what changed ----------------------


def _site_files(site: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of a site's _pagefind/: its bytes and inode (a file linked from the previous site
    keeps its inode)."""
    bundle = site / search.BUNDLE_DIR
    return {p.relative_to(site).as_posix(): (p.read_bytes(), p.stat().st_ino)
            for p in sorted(bundle.rglob("*")) if p.is_file()}


def test_a_page_is_in_one_bundle_chosen_by_its_path_alone():
    assert search.bundle_name("entities/palmyra.html") == search.OTHER_BUNDLE
    assert search.bundle_name("articles/x.html") == search.bundle_name("articles/x.html") != search.OTHER_BUNDLE
    names = {search.bundle_name(f"articles/{n}.html") for n in range(400)}
    assert names == set(search.BUNDLE_NAMES) - {search.OTHER_BUNDLE}  # every article bucket used
    plan = search.plan_bundles({"articles/b.html": "2", "entities/e.html": "3", "articles/a.html": "1"})
    assert plan[0].name == search.OTHER_BUNDLE and plan[0].primary and not any(b.primary for b in plan[1:])
    assert [b.name for b in plan] == [n for n in search.BUNDLE_NAMES if n in {b.name for b in plan}]
    assert all(list(b.pages) == sorted(b.pages) for b in plan)


def test_the_seed_site_is_searched_through_several_bundles(built_site):
    listed = json.loads((built_site / search.BUNDLE_DIR / search.BUNDLES_FILE).read_text())["bundles"]
    pages = dict((rel, html) for rel, html in search._searchable_pages(built_site))
    assert listed == [b.name for b in search.plan_bundles(dict.fromkeys(pages, ""))]
    assert listed[0] == search.OTHER_BUNDLE and len(listed) >= 4  # the five seed articles fall in 4 bundles
    for i, name in enumerate(listed):
        folder = built_site / search.BUNDLE_DIR / name
        entry = json.loads((folder / "pagefind-entry.json").read_text())
        assert entry["languages"]["en"]["page_count"] == sum(search.bundle_name(rel) == name for rel in pages)
        # Pagefind's runtime (pagefind.js, its worker, the wasm) once, in the primary bundle
        assert (folder / "pagefind.js").is_file() == (folder / "wasm.en.pagefind").is_file() == (i == 0)
    index = search.offline_index(pipeline.gather(CONTENT)[0])
    assert [index["bundles"][int(c, 36)] for c in index["bundle"]] == [search.bundle_name(d[1]) for d in index["docs"]]


def test_a_rebuild_reindexes_only_the_bundle_of_the_edited_article(tmp_path, monkeypatch):
    from support import copy_content

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content, site = copy_content(tmp_path), tmp_path / "site"
    assert not pipeline.build(content, site).errors
    before = _site_files(site)
    source = content / "sources" / "003_b1e7b4e0a281deb4.txt"  # TRT World, 25 March
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Updated Mar 25, 2016", "Updated Mar 25, 2016\n\nThe amphitheatre was floodlit for the cameras."), encoding="utf-8")
    edited = "articles/2016-03-25-trt-world-syrian-regime-forces-retake-palmyra-citadel-from-daesh.html"
    result = pipeline.build(content, site)
    assert not result.errors and result.search_seconds is not None
    after = _site_files(site)

    own = f"{search.BUNDLE_DIR}/{search.bundle_name(edited)}/"
    changed = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
    assert changed and all(rel.startswith(own) for rel in changed), sorted(changed)
    kept = [rel for rel in after if not rel.startswith(own)]
    assert len(kept) > 50 and all(after[rel] == before[rel] for rel in kept)  # same bytes, same inode: linked

    # The same bytes as a build from nothing (no cache, no previous site).
    cold = tmp_path / "cold"
    assert not pipeline.build(content, cold, reuse=False).errors
    assert {r: b for r, (b, _) in _site_files(cold).items()} == {r: b for r, (b, _) in after.items()}


def test_bundles_share_a_pagefind_process_up_to_its_page_budget(monkeypatch):
    """A rebuild that re-indexes a few small bundles starts one Pagefind process (each start costs
    its start-up and runtime files), while no process holds more than PAGES_PER_PROCESS pages
    unless one bundle alone is larger (Pagefind's memory stays bounded at 10,000 articles)."""
    def bundle(name: str, size: int) -> search.Bundle:
        return search.Bundle(name, tuple((f"{name}/{i}.html", "") for i in range(size)), False)

    monkeypatch.setattr(search, "PAGES_PER_PROCESS", 300)
    bundles = [bundle("a", 140), bundle("b", 150), bundle("c", 20), bundle("d", 500), bundle("e", 100)]
    runs = search._runs(bundles)
    assert [[b.name for b in run] for run in runs] == [["a", "b"], ["c"], ["d"], ["e"]]
    assert [b for run in runs for b in run] == bundles  # every bundle once, in order


def test_a_link_to_a_name_awaiting_review_changes_nothing_pagefind_indexes(built_site, tmp_path):
    """Adding one article can make a name proposed (or no longer) on hundreds of pages, which
    then gain or lose its `entity-unreviewed` links; the bundle keys see pages through
    pagefind_view, which leaves those links out, so such pages' bundles are not indexed again.
    That is right only if Pagefind indexes such a page as the same bytes: checked here with
    Pagefind itself, on pages whose words are wrapped in such links as markdown renders them."""
    import re

    plain = _unindexed_copy(built_site, tmp_path / "plain")
    linked = _unindexed_copy(built_site, tmp_path / "linked")
    wrapped = 0
    for page in sorted((linked / "articles").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        changed, n = re.subn(r'(<span class="single">)([A-Z][a-z]+)',
                             r'\1<a class="entity entity-unreviewed" href="../entities/unreviewed/x.html" '
                             r'data-candidate="x">\2</a>', html)
        if n:
            assert search.pagefind_view(changed) == search.pagefind_view(html) and changed != html
            page.write_text(changed, encoding="utf-8")
            wrapped += n
    assert wrapped > 10
    search.index_site(plain, "en")
    search.index_site(linked, "en")
    assert _bundle_bytes(linked / search.BUNDLE_DIR) == _bundle_bytes(plain / search.BUNDLE_DIR)
    # anything else a page changes is seen (here: a word of its text)
    html = next((linked / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert search.pagefind_view(html.replace('<span class="single">', '<span class="single">Also ', 1)) \
        != search.pagefind_view(html)
