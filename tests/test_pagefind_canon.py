"""Pagefind bundles made canonical (annalist.publish.pagefind_canon): byte-identical across builds, and
still loaded and searched by Pagefind's own pagefind.js + wasm in a real browser."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
import gzip
import hashlib
import shutil
from collections import Counter
from pathlib import Path

import cbor2
import pytest
from pagefind.index import IndexConfig, PagefindIndex

from annalist.publish.pagefind_canon import PAGE_HASH_LENGTH, SIGNATURE, canonicalise, full_hash

from support import CHROMIUM, serve

OUTLETS = ["Sky News", "TRT World", "Ynetnews", "Télam", "Al Jazeera"]
KINDS = ["report", "opinion", "analysis"]
WORD = "palmyra"


def _page(i: int) -> dict:
    return {
        "url": f"/articles/p{i}.html",
        "outlet": OUTLETS[i % len(OUTLETS)],
        "kind": KINDS[i % len(KINDS)],
        "has_word": i % 4 != 3,
    }


PAGES = [_page(i) for i in range(14)]


def _html(i: int, page: dict) -> str:
    text = f"The ruins of {WORD} were reported on." if page["has_word"] else "A quiet day in the desert."
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Story {i}</title>
<meta data-pagefind-meta="author[content]" content="Author {i % 3}"></head>
<body><main data-pagefind-body data-pagefind-filter="outlet:{page['outlet']}"
 data-pagefind-sort="date:2020-01-{i + 1:02d}">
<h1 data-pagefind-meta="title">Story {i}</h1>
<p>Kind: <span data-pagefind-filter="kind">{page['kind']}</span></p>
<p>{text} Story number{i}.</p>
</main></body></html>
"""


async def _index(out: Path) -> None:
    config = IndexConfig(output_path=str(out), force_language="en")
    async with PagefindIndex(config=config) as index:
        for i, page in enumerate(PAGES):
            await index.add_html_file(content=_html(i, page), url=page["url"],
                                      source_path=page["url"].lstrip("/"))


def _build(out: Path) -> Path:
    # In a thread of its own: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, _index(out)).result()
    assert (out / "pagefind-entry.json").is_file()
    return out


def _files(bundle: Path) -> dict[str, bytes]:
    files = sorted(p for p in bundle.rglob("*") if p.is_file())
    return {p.relative_to(bundle).as_posix(): p.read_bytes() for p in files}


def _digests(bundle: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in _files(bundle).items()}


def _decode(path: Path):
    raw = gzip.decompress(path.read_bytes())
    assert raw.startswith(SIGNATURE)
    return raw[len(SIGNATURE):]


@pytest.fixture(scope="module")
def raw_bundles(tmp_path_factory) -> list[Path]:
    """Two bundles of the same pages, straight from Pagefind (not canonical)."""
    root = tmp_path_factory.mktemp("pagefind")
    return [_build(root / f"raw{n}") for n in (1, 2)]


@pytest.fixture(scope="module")
def canonical_bundles(raw_bundles, tmp_path_factory) -> list[Path]:
    root = tmp_path_factory.mktemp("canonical")
    out = []
    for n, raw in enumerate(raw_bundles, 1):
        bundle = root / f"canon{n}"
        shutil.copytree(raw, bundle)
        canonicalise(bundle)
        out.append(bundle)
    return out


def test_canonical_bundles_are_byte_identical(canonical_bundles):
    first, second = (_digests(b) for b in canonical_bundles)
    assert first == second
    assert any(name.startswith("filter/") for name in first)


def _rewritten(name: str) -> bool:
    return name.startswith("filter/") or name.endswith(".pf_meta") or name == "pagefind-entry.json"


def _fragment(name: str) -> bool:
    return name.startswith("fragment/")


def test_only_filter_meta_and_entry_files_change_and_fragments_are_renamed(raw_bundles, canonical_bundles):
    raw, canon = _digests(raw_bundles[0]), _digests(canonical_bundles[0])
    kept = {k: v for k, v in raw.items() if not _rewritten(k) and not _fragment(k)}
    assert kept == {k: v for k, v in canon.items() if not _rewritten(k) and not _fragment(k)}
    assert sorted(map(_rewritten, raw)) == sorted(map(_rewritten, canon))  # as many files as before
    # Fragments: the same bytes, under longer names (unique across bundles merged at query time).
    assert sorted(v for k, v in raw.items() if _fragment(k)) == sorted(v for k, v in canon.items() if _fragment(k))
    for name in (k for k in canon if _fragment(k)):
        body = _decode(canonical_bundles[0] / name)
        assert name == f"fragment/{('en_' + full_hash(body))[:3 + PAGE_HASH_LENGTH]}.pf_fragment"


def test_canonicalise_is_idempotent(canonical_bundles, tmp_path):
    again = tmp_path / "again"
    shutil.copytree(canonical_bundles[0], again)
    canonicalise(again)
    assert _files(again) == _files(canonical_bundles[0])


def test_canonical_layout(canonical_bundles):
    bundle = canonical_bundles[0]
    metas = list(bundle.glob("pagefind.*.pf_meta"))
    assert len(metas) == 1
    meta_body = _decode(metas[0])
    meta_hash = metas[0].name[len("pagefind."):-len(".pf_meta")]
    assert meta_hash == "en_" + full_hash(meta_body)[:10]
    assert f'"hash":"{meta_hash}"' in (bundle / "pagefind-entry.json").read_text(encoding="utf-8")

    meta = cbor2.loads(meta_body)
    filters = meta[3]
    assert [name for name, _ in filters] == ["kind", "outlet"]
    assert [s[0] for s in meta[4]] == sorted(s[0] for s in meta[4])
    for name, file_hash in filters:
        path = bundle / "filter" / f"{file_hash}.pf_filter"
        body = _decode(path)
        assert file_hash == ("en_" + full_hash(body))[:10]
        assert path.read_bytes()[:10] == b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # no name, MTIME 0
        filter_name, values = cbor2.loads(body)
        assert filter_name == name
        assert [v for v, _ in values] == sorted(v for v, _ in values)
        expected = {}
        for number, page in enumerate(PAGES):
            expected.setdefault(page[name], []).append(number)
        assert dict((v, pages) for v, pages in values) == expected
    assert sorted(f"{name}.pf_fragment" for name, _ in meta[1]) == sorted(p.name for p in (bundle / "fragment").iterdir())
    on_disk = sorted(p.name for p in (bundle / "filter").iterdir())
    assert on_disk == sorted(f"{file_hash}.pf_filter" for _, file_hash in filters)


@pytest.fixture
def served_canonical(canonical_bundles, tmp_path):
    """A small site (the pages, plus the canonical bundle as /_pagefind/) over http."""
    site = tmp_path / "site"
    for i, page in enumerate(PAGES):
        path = site / page["url"].lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_html(i, page), encoding="utf-8")
    (site / "index.html").write_text("<!doctype html><title>search</title><p>search</p>", encoding="utf-8")
    shutil.copytree(canonical_bundles[0], site / "_pagefind")
    with serve(site) as url:
        yield url


SEARCH_JS = """
async ([word, queries]) => {
  const pf = await import('/_pagefind/pagefind.js');
  const out = {searches: [], filters: await pf.filters()};
  for (const filters of queries) {
    const r = await pf.search(word, {filters});
    const urls = [];
    for (const result of r.results) urls.push((await result.data()).url);
    out.searches.push(urls.sort());
  }
  return out;
}
"""


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_canonical_bundle_searches_in_chromium(served_canonical, browser):
    queries = [{}, *({"outlet": o} for o in OUTLETS), {"outlet": "Sky News", "kind": "report"},
               *({"kind": k} for k in KINDS)]

    def expected(filters: dict) -> list[str]:
        return sorted(p["url"] for p in PAGES
                      if p["has_word"] and all(p[k] == v for k, v in filters.items()))

    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # Every file Pagefind asks for must exist (the browser's own /favicon.ico need not).
        page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
        page.goto(served_canonical + "index.html")
        got = page.evaluate(SEARCH_JS, [WORD, queries])
    finally:
        context.close()

    assert not errors, errors
    for filters, urls in zip(queries, got["searches"]):
        assert urls == expected(filters), filters
    assert all(got["searches"][1:1 + len(OUTLETS)])  # every outlet has a hit: the filters did work
    assert got["filters"] == {
        "outlet": dict(Counter(p["outlet"] for p in PAGES)),
        "kind": dict(Counter(p["kind"] for p in PAGES)),
    }
