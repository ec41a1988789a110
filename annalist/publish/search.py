"""Search: Pagefind's index over the built site (through its Python API), and the offline index.

Only what sits inside `data-pagefind-body` is indexed by Pagefind: headlines and article text,
and entity pages; navigation, footers, footnotes quoting other outlets and the provenance tables
are not.

Pagefind cannot run from file:// (its module import and fetches are blocked there), so the build
also writes `static/search-index.js`: a classic script defining `window.ANNALIST_SEARCH`, which
static/js/search.js searches in plain JavaScript when Pagefind does not load. Its format:

    {
      "v": 1,
      "stop": "a an and ...",            # words left out of the index (and ignored in queries)
      "outlets": ["Sky News", ...],      # doc → outlet index
      "types": ["article", "person", ...],
      "docs": [[title, path, outlet, type, date, inferred], ...],
          # path from the site root; outlet -1 for entity pages; date ISO or ""; inferred 1 when
          # the date was guessed by the tool (shown so), else 0
      "entities": [[name, type, page doc, "alias|alias", postings], ...],
      "stories": ["story name", ...],    # stories of two or more articles (views.story_labels)
      "story": [s, ...],                 # per article doc: its story's index, or -1
          # postings: the articles mentioning the entity under any name
      "bundles": ["other", "articles-00", ...],  # the Pagefind bundles (BUNDLE_NAMES)
      "bundle": "0a3...",                # per doc, one base-36 digit: the bundle its page is in
      "words": "word word ...",          # sorted (code point order), folded, lower-cased
      "postings": "p p ..."              # one per word, same order
    }

Each doc's full text (an article's standfirst and paragraphs, one a line, never footnote markers;
an entity's description) is a script of its own, named after the doc's page
(`static/search-text/articles/<id>.js` for `articles/<id>.html`: a doc that did not change keeps
its file when others are added), calling `ANNALIST_TEXT("articles/<id>.html", "text")`: the page
loads only the texts of the results it shows, and cuts each excerpt from the passage that matched
(classic scripts load from file://, fetch does not).

A postings string lists doc numbers as base-36 deltas separated by commas; a doc's weight
(occurrences, a title word counting TITLE_WEIGHT times) follows a "." when it is more than 1:
"0,3.2,a" is doc 0 (weight 1), doc 3 (weight 2), doc 13 (weight 1). Words are folded the same
way on both sides: NFKD, combining marks dropped, lower-cased, split on anything not a letter or
digit, one-character words dropped.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import itertools
import json
import logging
import os
import re
import shutil
import signal
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

from .. import urls
from . import pagefind_canon
from ..model import Corpus

BUNDLE_DIR = "_pagefind"
PAGEFIND_WINDOW = 64  # pages in flight to Pagefind at once (bounds memory, keeps it busy)
OFFLINE_INDEX = "static/search-index.js"
TEXT_DIR = "static/search-text"
OFFLINE_GLOBAL = "ANNALIST_SEARCH"
FORMAT_VERSION = 2
TITLE_WEIGHT = 5
MAX_WEIGHT = 35 * 36 + 35  # two base-36 digits

# Function words: in nearly every article, so their postings would be the bulk of the index and
# they tell one article from another least. Queries drop them too (the list ships in the index).
STOP_WORDS = frozenset(
    """a about after all also an and any are as at be been before but by can could did do does
    for from had has have he her his how i if in into is it its just may more most my no not of on
    one or our out over said says she so some than that the their them then there these they this
    those to too up us was we were what when where which who will with would you your""".split()
)

_WORD = re.compile(r"[^\W_]+")


def index_form(text: str) -> str:
    """Lower-cased, accents dropped: the form words are indexed and looked up in."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")).lower()


def words(text: str) -> list[str]:
    """The indexable words of a text, folded; stop words and one-character words dropped."""
    return [w for w in _WORD.findall(index_form(text)) if len(w) > 1 and w not in STOP_WORDS]


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SMALL = [a + b for a in ("", *_DIGITS[1:]) for b in _DIGITS]  # 0 … 1295 (36²-1), written out once


def _base36(n: int) -> str:
    if n < 1296:
        return _SMALL[n]
    digits = _DIGITS
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def encode_postings(weights: dict[int, int]) -> str:
    """{doc: weight} → "delta[.weight],..." in base 36 (weight written only when above 1)."""
    parts, previous, small = [], 0, _SMALL  # MAX_WEIGHT < 36²: a weight is always in the table
    for doc in sorted(weights):
        delta = doc - previous
        part = small[delta] if delta < 1296 else _base36(delta)
        weight = weights[doc]
        if weight > 1:
            part += "." + small[min(weight, MAX_WEIGHT)]
        parts.append(part)
        previous = doc
    return ",".join(parts)


def decode_postings(text: str) -> dict[int, int]:
    """The inverse of encode_postings (for tests and tools; the browser has its own copy)."""
    weights, doc = {}, 0
    for part in filter(None, text.split(",")):
        delta, _, weight = part.partition(".")
        doc += int(delta, 36)
        weights[doc] = int(weight, 36) if weight else 1
    return weights


def _text(paragraphs: list[str]) -> str:
    """A doc's searchable text, one paragraph a line: what result excerpts are cut from."""
    return "\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def doc_texts(corpus: Corpus) -> list[str]:
    """The full text of each doc of the offline index, in the same order."""
    texts = []
    for item in corpus.articles:
        a = item.article
        texts.append(_text(([a.standfirst] if a.standfirst else []) + [p.text for p in a.paragraphs]))
    texts.extend(_text([e.description]) for e in corpus.entities)
    return texts


def doc_counts(title: str, body: list[str]) -> Counter:
    """A doc's indexed words and their weights (title words count TITLE_WEIGHT each)."""
    counts = Counter(words(" ".join(body)))
    for word in words(title):
        counts[word] += TITLE_WEIGHT
    return counts


def offline_index(corpus: Corpus, postings_of=None) -> dict:
    """The offline search index of a corpus: articles first (in corpus order), then entity pages.
    `postings_of(texts)` replaces postings (same result: each word's encoded postings from every
    doc's (title, body), in doc order), e.g. by one that reuses an earlier build's (the pipeline's
    cache)."""
    from .views import outlet_name, story_labels

    outlets = sorted({outlet_name(item.article) for item in corpus.articles})
    outlet_of = {name: i for i, name in enumerate(outlets)}
    types = ["article", *sorted({e.type for e in corpus.entities})]
    docs: list[list] = []
    texts: list[tuple[str, list[str]]] = []  # each doc's (title, body), in doc order

    for item in corpus.articles:
        a = item.article
        body = [p.text for p in a.paragraphs]
        if a.standfirst:
            body.insert(0, a.standfirst)
        docs.append([a.title, urls.article(a.id), outlet_of[outlet_name(a)], 0, a.published.value or "",
                     1 if a.published.value and a.published.origin == "inferred" else 0])
        texts.append((a.title, body))

    article_count = len(docs)
    mentioned: dict[str, dict[int, int]] = defaultdict(dict)
    for doc, item in enumerate(corpus.articles):
        for m in item.mentions:
            if m.reviewed:
                mentioned[m.entity][doc] = mentioned[m.entity].get(doc, 0) + 1

    entities = []
    for offset, e in enumerate(corpus.entities):
        doc = article_count + offset
        docs.append([e.name, urls.entity(e.id), -1, types.index(e.type), "", 0])
        texts.append((" ".join((e.name, *e.aliases)), [e.description]))
        entities.append([e.name, types.index(e.type), doc, "|".join(e.aliases), encode_postings(mentioned[e.id])])
    encoded = (postings_of or postings)(texts)

    labels = story_labels(corpus)
    stories = sorted(set(labels.values()))
    story_of = [stories.index(labels[item.article.id]) if item.article.id in labels else -1
                for item in corpus.articles]

    vocabulary = sorted(encoded)
    bundle_of = {name: i for i, name in enumerate(BUNDLE_NAMES)}
    return {
        "v": FORMAT_VERSION,
        "stop": " ".join(sorted(STOP_WORDS)),
        "outlets": outlets,
        "types": types,
        "docs": docs,
        "entities": entities,
        "stories": stories,
        "story": story_of,
        "bundles": list(BUNDLE_NAMES),
        "bundle": "".join(_base36(bundle_of[bundle_name(doc[1])]) for doc in docs),
        "words": " ".join(vocabulary),
        "postings": " ".join(encoded[w] for w in vocabulary),
    }


def postings(texts: Sequence[tuple[str, list[str]]]) -> dict[str, str]:
    """Each indexed word → its postings (encode_postings) over the docs (title, body), in order."""
    return postings_of_counts([doc_counts(title, body) for title, body in texts])


def postings_of_counts(counts: Sequence[Mapping[str, int]]) -> dict[str, str]:
    """postings from each doc's words (doc_counts), in doc order."""
    found: dict[str, dict[int, int]] = defaultdict(dict)
    for doc, words in enumerate(counts):
        for word, n in words.items():
            found[word][doc] = n
    return {word: encode_postings(weights) for word, weights in found.items()}


def postings_changed(encoded: Mapping[str, str], changed: Mapping[int, tuple[Mapping[str, int], Mapping[str, int]]],
                     ) -> dict[str, str]:
    """`encoded` (postings' answer for some docs) with some docs' words changed: doc → (its former
    counts, its counts now). The same answer as postings over the docs as they are now: a word's
    postings list each doc holding it with its (capped) weight, and nothing else."""
    found = dict(encoded)
    for word in {w for old, new in changed.values() for w in (*old, *new)}:
        weights = decode_postings(found.get(word, ""))
        for doc, (_, new) in changed.items():
            weights.pop(doc, None)
            if word in new:
                weights[doc] = new[word]
        if weights:
            found[word] = encode_postings(weights)
        else:
            found.pop(word, None)
    return found


def _script_json(value) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # Safe inside a script element and as JavaScript source (U+2028/2029 end lines in old engines).
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def offline_script(index: dict) -> str:
    """The index as a classic script (loads from file://, where fetch and modules are blocked)."""
    return f"window.{OFFLINE_GLOBAL}={_script_json(index)};\n"


def text_path(page: str) -> str:
    """The text script of the doc whose page is `page` (a path from the site root, ".html")."""
    return f"{TEXT_DIR}/{page.removesuffix('.html')}.js"


def text_script(page: str, text: str) -> str:
    """One doc's text as a classic script handing it to the search page."""
    return f"ANNALIST_TEXT({_script_json(page)},{_script_json(text)});\n"


def write_offline_index(corpus: Corpus, site_dir: Path, write=None, postings_of=None) -> Path:
    """Write static/search-index.js and each doc's static/search-text/<page>.js into the site;
    returns the index's path. `postings_of`: see offline_index. `write(rel, text)`: how a file is
    written (the build's writer, which links a file whose bytes did not change); default: into site_dir."""
    def into_site(rel: str, text: str) -> None:
        target = site_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    write = write or into_site
    index = offline_index(corpus, postings_of)
    write(OFFLINE_INDEX, offline_script(index))
    for doc, text in zip(index["docs"], doc_texts(corpus)):
        write(text_path(doc[1]), text_script(doc[1], text))
    return site_dir / OFFLINE_INDEX


def pagefind_label(text: str) -> str:
    """A filter value as it may reach Pagefind: its UI inserts filter labels as HTML, so '<' and
    '>' are given as their full-width forms (＜ ＞), which read the same and can never open a tag.
    Applied to every filter value (outlets, entity names), which come from untrusted sources."""
    return text.replace("<", "\uff1c").replace(">", "\uff1e")


class IndexFailed(Exception):
    """Pagefind failed (or its process died or stopped answering); str() is its message."""


PAGEFIND_TIMEOUT = 600.0
"""Seconds one Pagefind request may take before the build gives up on it (indexing the whole
Palmyra archive takes about one)."""


def _site_html(site_dir: Path) -> Iterator[str]:
    """The site's own HTML pages (paths from the root, sorted): never the published originals under
    sources/ (whose HTML is the outlet's, and which are published as .txt anyway) nor Pagefind's
    own bundles."""
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if _own_page(rel):
            yield rel


def _own_page(rel: str) -> bool:
    return rel.endswith(".html") and rel.split("/", 1)[0] not in (BUNDLE_DIR, "sources")


def _is_searchable(html: str) -> bool:
    return "data-pagefind-body" in html


def _searchable_pages(site_dir: Path) -> Iterator[tuple[str, str]]:
    """(path, HTML) of the pages carrying `data-pagefind-body` (articles, entities), in a fixed
    order. A generator: one page is held in memory at a time."""
    for rel in _site_html(site_dir):
        html = (site_dir / rel).read_text(encoding="utf-8")
        if _is_searchable(html):
            yield rel, html


# --- bundles: the index split so that a rebuild re-indexes only what changed ---------------------

ARTICLE_BUCKETS = 16
"""Article pages are spread over this many bundles by a hash of their path (which is the article's
permanent id, so an article never changes bundle); every other searchable page (entity pages) is in
one more bundle, OTHER_BUNDLE. Never change it lightly: every bundle of every site is rewritten."""
OTHER_BUNDLE = "other"
BUNDLE_NAMES = (OTHER_BUNDLE, *(f"articles-{n:02d}" for n in range(ARTICLE_BUCKETS)))
BUNDLES_FILE = "bundles.json"
"""`_pagefind/bundles.json`: {"v": 1, "bundles": ["other", "articles-03", ...]}, the non-empty
bundles in BUNDLE_NAMES order; the first is the primary (the one whose pagefind.js the search page
imports; the others are merged into it with pagefind.mergeIndex)."""
BUNDLES_VERSION = 1
SCRATCH = ".new"
"""`_pagefind/.new/<bundle>/`: where Pagefind writes a bundle before its files are published."""
_INDEX_FILES = re.compile(r"^(pagefind-entry\.json|pagefind\.[^/]+\.pf_meta|(index|filter|fragment)/[^/]+)$")
"""A bundle's own files; the rest Pagefind writes into every bundle (pagefind.js, its worker, the
wasm, the UI scripts and styles) is the same for all and kept in the primary bundle only."""


def bundle_name(rel: str) -> str:
    """The bundle a searchable page belongs to, from its path alone (stable across builds)."""
    if rel.startswith("articles/"):
        bucket = int.from_bytes(hashlib.sha256(rel.encode("utf-8")).digest()[:4], "big") % ARTICLE_BUCKETS
        return BUNDLE_NAMES[1 + bucket]
    return OTHER_BUNDLE


@dataclass(frozen=True)
class Bundle:
    """One Pagefind index of the site: its pages (path, SHA-256 of the page), sorted by path."""

    name: str
    pages: tuple[tuple[str, str], ...]
    primary: bool  # holds Pagefind's runtime (pagefind.js, worker, wasm) for every bundle

    @property
    def folder(self) -> str:
        return f"{BUNDLE_DIR}/{self.name}"

    def key(self, language: str) -> str:
        """Everything the bundle's bytes depend on (with the program's version, which the build
        cache adds): the same key, the same files."""
        h = hashlib.sha256(f"pagefind-bundle/1\0{language}\0{self.name}\0{int(self.primary)}".encode("utf-8"))
        for rel, sha in self.pages:
            h.update(f"\0{rel}\0{sha}".encode("utf-8"))
        return h.hexdigest()


def plan_bundles(searchable: dict[str, str]) -> list[Bundle]:
    """The site's bundles (non-empty ones, in BUNDLE_NAMES order; the first is the primary) from
    its searchable pages {path: SHA-256}."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rel in sorted(searchable):
        groups[bundle_name(rel)].append((rel, searchable[rel]))
    names = [name for name in BUNDLE_NAMES if groups[name]]
    return [Bundle(name, tuple(groups[name]), i == 0) for i, name in enumerate(names)]


def bundle_list(bundles: list[Bundle]) -> str:
    """`_pagefind/bundles.json`: which bundles the search page loads (the first one's pagefind.js)."""
    return json.dumps({"v": BUNDLES_VERSION, "bundles": [b.name for b in bundles]}, separators=(",", ":")) + "\n"


def _published_files(scratch: Path, bundle: Bundle) -> Iterator[tuple[str, Path]]:
    """(path in the site, file in the scratch folder) of what a freshly written bundle publishes."""
    for path in sorted(scratch.rglob("*")):
        if path.is_file():
            inner = path.relative_to(scratch).as_posix()
            if bundle.primary or _INDEX_FILES.match(inner):
                yield f"{bundle.folder}/{inner}", path


class _Recorder:
    """Pagefind's stdout, as its Python API reads it, remembering the last piece read: its panic
    message arrives there (stderr is merged into stdout) and the API drops what it cannot decode."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.stream = stream
        self.last = b""

    async def readuntil(self, separator: bytes = b"\n") -> bytes:
        try:
            self.last = await self.stream.readuntil(separator)
        except asyncio.IncompleteReadError as exc:
            self.last = exc.partial
            raise
        return self.last

    def __getattr__(self, name):
        return getattr(self.stream, name)


class _PromptService(PagefindService):
    """Pagefind's service client, reading each reply the moment it arrives.

    pagefind 1.5.2's client sleeps 0.1 s before reading each reply from the Pagefind process
    (`PagefindService._wait_for_responses`), so however many requests are in flight a site costs
    0.1 s a page: 2,225 articles took minutes where Pagefind's CLI takes seconds. This reader is
    the same loop without the sleep. The process itself is untouched: it handles requests one at
    a time in the order they arrive, so pages are numbered in the order we send them.
    """

    async def _wait_for_responses(self) -> None:
        try:
            while True:
                line = await self._backend.stdout.readuntil(b",")
                reply = json.loads(base64.b64decode(line[:-1]))
                if reply is None:
                    continue
                future = self._responses.get(reply.get("message_id"))
                if future is None or future.done():
                    continue
                payload = reply["payload"]
                if payload.get("type") == "Error":  # as Pagefind's own reader reports it
                    future.set_exception(Exception(payload.get("message"), payload.get("original_message")))
                else:
                    future.set_result(payload)
        except Exception as exc:  # the process died or wrote something else: fail every waiter
            for future in self._responses.values():
                if not future.done():
                    future.set_exception(RuntimeError(f"Pagefind's service stopped answering: {exc!r}"))


async def _launch() -> PagefindService:
    service = await _PromptService().launch()
    # The API's reader first sleeps 0.1 s, so it reads through the recorder from its first read.
    service._backend.stdout = _Recorder(service._backend.stdout)  # type: ignore[assignment]
    return service


async def _watched(service: PagefindService, request):
    """Await one request to Pagefind's process, but never forever: when the process dies (a Rust
    panic) or stops answering, raise IndexFailed with what it printed."""
    task = asyncio.ensure_future(request)
    done, _ = await asyncio.wait({task, service._poll_task}, timeout=PAGEFIND_TIMEOUT,
                                 return_when=asyncio.FIRST_COMPLETED)
    if task in done and task.exception() is None:
        return task.result()
    if task in done and not isinstance(task.exception(), (ConnectionError, OSError)) and not service._poll_task.done():
        error = task.exception()
        raise IndexFailed(f"Pagefind failed: {' '.join(str(a) for a in error.args if a) or repr(error)}")
    task.cancel()
    raise IndexFailed(await _last_words(service, timed_out=not done))


async def _last_words(service: PagefindService, timed_out: bool) -> str:
    """What the dead or stuck Pagefind process printed (its panic message), as one line."""
    process = service._backend
    if timed_out and process.returncode is None:
        process.kill()
    stdout = process.stdout
    said = b""
    if isinstance(stdout, _Recorder):
        said = stdout.last if not _is_response(stdout.last) else b""
        try:
            said += await asyncio.wait_for(stdout.stream.read(), 5)
        except (asyncio.TimeoutError, RuntimeError, ValueError):
            pass
    try:
        await asyncio.wait_for(process.wait(), 5)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
    if not service._poll_task.done():
        service._poll_task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await service._poll_task
    text = " ".join(said.decode("utf-8", "replace").replace("note: run with `RUST_BACKTRACE=1`", " ").split())
    text = text.removesuffix("environment variable to display a backtrace").strip()
    if service._poll_task.done() and not service._poll_task.cancelled():
        service._poll_task.exception()  # retrieved: the reason is reported here, not by asyncio
    code = process.returncode or 0
    status = f"killed by signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
    what = f"Pagefind did not answer within {PAGEFIND_TIMEOUT:.0f} s" if timed_out else f"Pagefind stopped ({status})"
    return f"{what}: {text[:500]}" if text else what


def _is_response(chunk: bytes) -> bool:
    try:
        json.loads(base64.b64decode(chunk.rstrip(b","), validate=True))
    except ValueError:
        return False
    return True


async def _index(site_dir: Path, language: str, bundles: list[Bundle]) -> int:
    # Pagefind processes one after the other, each holding a few bundles' indexes at most
    # (see PAGES_PER_PROCESS; a bundle is about a sixteenth of the site) and handing its memory back when it ends, so Pagefind's share
    # of a build's memory does not grow with the archive (one process for every bundle reached
    # 0.8 GB at 5,000 articles). Each bundle's bytes depend only on its own pages, sent in path
    # order, so they are the same whichever bundles are indexed with it, and in whatever order.
    # Small bundles share a process, up to PAGES_PER_PROCESS pages (a rebuild that re-indexes a
    # few bundles of 140 pages starts one process, not one per bundle: each start costs Pagefind's
    # start-up and its runtime files); at 10,000 articles a bundle is about 600 pages (a sixteenth
    # of 10,000), so two do not fit one process: most have one of their own, as before.
    count = 0
    for run in _runs(bundles):
        count += await _index_run(site_dir, language, run)
    for b in bundles:
        _check_bundle(site_dir / BUNDLE_DIR / SCRATCH / b.name)
    return count


PAGES_PER_PROCESS = 1000
"""Bundles are indexed by one Pagefind process together while their pages add up to at most
this (a larger bundle has a process of its own): bounds Pagefind's memory (see _index)."""


def _runs(bundles: list[Bundle]) -> list[list[Bundle]]:
    """The bundles in order, cut into runs of at most PAGES_PER_PROCESS pages (or one bundle)."""
    runs: list[list[Bundle]] = []
    size = 0
    for b in bundles:
        if runs and size + len(b.pages) <= PAGES_PER_PROCESS:
            runs[-1].append(b)
            size += len(b.pages)
        else:
            runs.append([b])
            size = len(b.pages)
    return runs


async def _index_run(site_dir: Path, language: str, run: list[Bundle]) -> int:
    # Pages are sent in sorted order (not with add_directory, which reads them in parallel), a
    # window of them at a time with asyncio.gather: Pagefind handles requests in arrival order,
    # so its page numbers depend only on the bundle's pages, while Python's reading and encoding
    # overlaps Pagefind's parsing. The bundle is written into _pagefind/.new/<name>/ at the end;
    # pagefind_canon then fixes the order of its filter maps. Every request is watched
    # (_watched): a Pagefind process that panics ends the build with its message, never a hang.
    # The bundles of a run are indexed one after the other, each an index of its own, by one process.
    try:
        service = await _launch()
    except OSError as exc:
        raise IndexFailed(f"cannot start Pagefind: {exc.strerror or exc}") from None
    try:
        for bundle in run:
            target = site_dir / BUNDLE_DIR / SCRATCH / bundle.name
            index = await _watched(service, service.create_index(IndexConfig(force_language=language)))
            pages = iter(bundle.pages)  # sorted by path (plan_bundles)
            while window := list(itertools.islice(pages, PAGEFIND_WINDOW)):
                html = [(rel, (site_dir / rel).read_text(encoding="utf-8")) for rel, _ in window]
                await asyncio.gather(*(_watched(service, index.add_html_file(content=text, url="/" + rel,
                                                                             source_path=rel))
                                       for rel, text in html))
            await _watched(service, index.write_files(output_path=str(target)))
            await _writes_landed(service._backend.pid, target)
        await _finish(service)
    finally:
        if service._backend.returncode is None:  # after a failure: stop it
            service._poll_task.cancel()
            service._backend.terminate()
            await service._backend.wait()
    return sum(len(bundle.pages) for bundle in run)


async def _finish(service: PagefindService) -> None:
    """Let Pagefind end on its own (end of its input) so every file it writes is complete: killed
    right after answering, it can leave a file created but not yet written."""
    process = service._backend
    if process.stdin is not None:
        process.stdin.close()
    try:
        await asyncio.wait_for(process.wait(), PAGEFIND_TIMEOUT)
    except asyncio.TimeoutError:
        raise IndexFailed(f"Pagefind did not finish writing within {PAGEFIND_TIMEOUT:.0f} s") from None
    finally:
        if not service._poll_task.done():
            service._poll_task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await service._poll_task
    if process.returncode not in (0, None):
        raise IndexFailed(await _last_words(service, timed_out=False))


async def _writes_landed(pid: int, bundle: Path, timeout: float = 60.0) -> None:
    """Wait until Pagefind's process has no file of the bundle open any more.

    Pagefind writes through tokio's async File, whose last write to a file can still be running
    on a background thread when Pagefind answers "files written" (seen: wasm.unknown.pagefind
    still open); ending the process then can leave that file short. Pagefind's own client hid
    this behind its 0.1 s sleep. A file is open in /proc/<pid>/fd until its last write is done.
    """
    fd_dir = Path(f"/proc/{pid}/fd")
    if not fd_dir.is_dir():  # no /proc (not Linux): give the writes the grace Pagefind's client gave
        await asyncio.sleep(0.5)
        return
    prefix = str(bundle.resolve()) + "/"
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        targets = []
        for fd in os.listdir(fd_dir):
            try:
                targets.append(os.readlink(fd_dir / fd))
            except OSError:  # closed meanwhile
                pass
        if not any(t.startswith(prefix) for t in targets):
            return
        if loop.time() > deadline:
            raise RuntimeError(f"Pagefind did not finish writing {bundle} within {timeout:.0f} s")
        await asyncio.sleep(0.005)


def _check_bundle(bundle: Path) -> None:
    """Pagefind's entry file must be there and whole (a full disk leaves it empty)."""
    entry = bundle / "pagefind-entry.json"
    try:
        json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IndexFailed(f"Pagefind's {entry.name} is missing or incomplete (a full disk?): "
                          f"{getattr(exc, 'strerror', None) or exc}") from None


def _run(coroutine):
    quiet = logging.getLogger("asyncio")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # "Unknown child process pid": a dead Pagefind, reported by us
    try:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(coroutine)
        # Called from inside an event loop (e.g. under Playwright's sync API): run in a thread of its own.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, coroutine).result()
    finally:
        quiet.setLevel(level)


def index_bundles(site_dir: Path, language: str, bundles: list[Bundle]) -> int:
    """Index each bundle's pages into _pagefind/.new/<name>/, canonical (pagefind_canon); returns
    the number of pages indexed. Raises IndexFailed."""
    if not bundles:
        return 0
    count = _run(_index(site_dir, language, bundles))
    for b in bundles:
        pagefind_canon.canonicalise(site_dir / BUNDLE_DIR / SCRATCH / b.name)
    return count


def index_site(site_dir: Path, language: str = "en") -> int:
    """Index the whole site in place, every bundle afresh (_pagefind/<bundle>/ and
    _pagefind/bundles.json); returns the number of pages Pagefind indexed. Raises IndexFailed."""
    searchable = {rel: hashlib.sha256(html.encode("utf-8")).hexdigest() for rel, html in _searchable_pages(site_dir)}
    bundles = plan_bundles(searchable)
    count = index_bundles(site_dir, language, bundles)
    scratch = site_dir / BUNDLE_DIR / SCRATCH
    for b in bundles:
        for rel, path in _published_files(scratch / b.name, b):
            (site_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            path.replace(site_dir / rel)
    shutil.rmtree(scratch, ignore_errors=True)
    (site_dir / BUNDLE_DIR).mkdir(exist_ok=True)
    (site_dir / BUNDLE_DIR / BUNDLES_FILE).write_text(bundle_list(bundles), encoding="utf-8")
    return count


@dataclass(frozen=True)
class Indexed:
    """What update_index did: pages Pagefind indexed, seconds it took (None: nothing was indexed),
    bundles reused whole and indexed again."""

    pages: int
    seconds: float | None
    reused: tuple[str, ...]
    indexed: tuple[str, ...]


class _Writer(Protocol):  # publish.output.Writer
    hashes: dict[str, str]

    def reuse(self, rel: str, sha: str) -> bool: ...
    def write(self, rel: str, data: str | bytes) -> str: ...
    def forget(self, folder: str) -> None: ...


class _Store(Protocol):  # annalist.cache.Store
    def get(self, kind: str, key: str, default=None): ...
    def put(self, kind: str, key: str, value) -> None: ...


_UNREVIEWED_LINK = re.compile(r'<a class="entity entity-unreviewed" href="[^"<>]*" data-candidate="[^"<>]*">([^<>]*)</a>')


def pagefind_view(html: str) -> str:
    """The SHA-256 of a page as its bundle's key sees it: its HTML with the links of names awaiting
    review replaced by their text (markdown/__init__.py's `entity-unreviewed` links). Such a link
    carries nothing Pagefind indexes (no id, no data-pagefind attribute: not a filter, see
    render.py), and whether a name is proposed can change on hundreds of pages when one article is
    added (the archive's counts), so these pages' bundles are not indexed again for it: their
    index is the same bytes (a rebuild compares with a build from nothing in tests/test_search.py)."""
    return hashlib.sha256(_UNREVIEWED_LINK.sub(r"\1", html).encode("utf-8")).hexdigest()


def update_index(site_dir: Path, language: str, writer: _Writer, store: _Store) -> Indexed:
    """Bring the staged site's Pagefind bundles up to date, indexing only the bundles whose pages
    changed.

    `writer` is writing the site into `site_dir` (its `hashes` hold every page written so far);
    `store` keeps, per bundle key (Bundle.key: its pages' paths and bytes, the language, whether it
    is the primary), the files the bundle was published as. A bundle whose key is known and whose
    files the previous site still holds untouched is linked from it, byte for byte; the others are
    indexed again, and of their files too, those whose bytes did not change (fragments of pages
    that did not change) are linked rather than written. Which pages are searchable
    (`data-pagefind-body`), and their view (pagefind_view), is kept per page SHA-256, so unchanged
    pages are not read again."""
    searchable = {}
    for rel, sha in sorted(writer.hashes.items()):
        if not _own_page(rel):
            continue
        found = store.get("pagefind-view", sha)
        if found is None:
            html = (site_dir / rel).read_text(encoding="utf-8")
            found = pagefind_view(html) if _is_searchable(html) else ""
        store.put("pagefind-view", sha, found)
        if found:
            searchable[rel] = found
    bundles = plan_bundles(searchable)
    keys = {b.name: b.key(language) for b in bundles}
    todo, reused = [], []
    for b in bundles:
        files = store.get("pagefind-bundle", keys[b.name])
        if files is not None and all(writer.reuse(rel, sha) for rel, sha in files):
            reused.append(b.name)
        else:
            writer.forget(b.folder)  # what was linked before a file was found missing
            todo.append(b)
    seconds, count = None, 0
    if todo:
        started = time.perf_counter()
        count = index_bundles(site_dir, language, todo)
        seconds = time.perf_counter() - started
        scratch = site_dir / BUNDLE_DIR / SCRATCH
        for b in todo:
            files = tuple((rel, writer.write(rel, path.read_bytes())) for rel, path in _published_files(scratch / b.name, b))
            store.put("pagefind-bundle", keys[b.name], files)
        shutil.rmtree(scratch)
    writer.write(f"{BUNDLE_DIR}/{BUNDLES_FILE}", bundle_list(bundles))
    return Indexed(count, seconds, tuple(reused), tuple(b.name for b in todo))
