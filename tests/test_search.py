"""The offline search index (annalist/publish/search.py) and its engine (static/js/search.js, run in node)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from annalist import pipeline, urls
from annalist.publish import search

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
const textOf = d => { eval(fs.readFileSync(process.argv[5] + "/" + d + ".js", "utf8")); return texts[d]; };
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
    """Pagefind's own Python client, awaited one page at a time: the reference index_site must match."""
    from pagefind.index import IndexConfig, PagefindIndex

    config = IndexConfig(output_path=str(site / search.BUNDLE_DIR), force_language=language)
    async with PagefindIndex(config=config) as index:
        for rel, html in search._searchable_pages(site):
            await index.add_html_file(content=html, url="/" + rel, source_path=rel)


def test_index_site_gives_the_bundle_of_pagefinds_own_client_page_by_page(built_site, tmp_path, monkeypatch):
    from annalist.publish import pagefind_canon

    reference = _unindexed_copy(built_site, tmp_path / "reference")
    _in_a_loop_of_its_own(_index_page_by_page(reference, "en"))
    pagefind_canon.canonicalise(reference / search.BUNDLE_DIR)

    monkeypatch.setattr(search, "PAGEFIND_WINDOW", 7)  # several windows, the last one partial
    fast = _unindexed_copy(built_site, tmp_path / "fast")
    pages = search.index_site(fast, "en")
    pagefind_canon.canonicalise(fast / search.BUNDLE_DIR)

    assert pages == len(list(search._searchable_pages(built_site))) > 2 * 7
    assert pages % 7
    assert _bundle_bytes(fast / search.BUNDLE_DIR) == _bundle_bytes(reference / search.BUNDLE_DIR)
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
