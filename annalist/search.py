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
      "words": "word word ...",          # sorted (code point order), folded, lower-cased
      "postings": "p p ..."              # one per word, same order
    }

Each doc's full text (an article's standfirst and paragraphs, one a line, never footnote markers;
an entity's description) is a script of its own, `static/search-text/<doc>.js`, calling
`ANNALIST_TEXT(doc, "text")`: the page loads only the texts of the results it shows, and cuts
each excerpt from the passage that matched (classic scripts load from file://, fetch does not).

A postings string lists doc numbers as base-36 deltas separated by commas; a doc's weight
(occurrences, a title word counting TITLE_WEIGHT times) follows a "." when it is more than 1:
"0,3.2,a" is doc 0 (weight 1), doc 3 (weight 2), doc 13 (weight 1). Words are folded the same
way on both sides: NFKD, combining marks dropped, lower-cased, split on anything not a letter or
digit, one-character words dropped.
"""

from __future__ import annotations

import asyncio
import json
import re
import unicodedata
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from . import urls
from .model import Corpus

BUNDLE_DIR = "_pagefind"
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


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def encode_postings(weights: dict[int, int]) -> str:
    """{doc: weight} → "delta[.weight],..." in base 36 (weight written only when above 1)."""
    parts, previous = [], 0
    for doc in sorted(weights):
        part = _base36(doc - previous)
        weight = min(weights[doc], MAX_WEIGHT)
        if weight > 1:
            part += "." + _base36(weight)
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


def offline_index(corpus: Corpus) -> dict:
    """The offline search index of a corpus: articles first (in corpus order), then entity pages."""
    from .views import outlet_name, story_labels

    outlets = sorted({outlet_name(item.article) for item in corpus.articles})
    outlet_of = {name: i for i, name in enumerate(outlets)}
    types = ["article", *sorted({e.type for e in corpus.entities})]
    docs: list[list] = []
    postings: dict[str, dict[int, int]] = defaultdict(dict)

    def add(doc: int, title: str, body: list[str]) -> None:
        counts = Counter(words(" ".join(body)))
        for word in words(title):
            counts[word] += TITLE_WEIGHT
        for word, n in counts.items():
            postings[word][doc] = n

    for doc, item in enumerate(corpus.articles):
        a = item.article
        body = [p.text for p in a.paragraphs]
        if a.standfirst:
            body.insert(0, a.standfirst)
        docs.append([a.title, urls.article(a.id), outlet_of[outlet_name(a)], 0, a.published.value or "",
                     1 if a.published.value and a.published.origin == "inferred" else 0])
        add(doc, a.title, body)

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
        add(doc, " ".join((e.name, *e.aliases)), [e.description])
        entities.append([e.name, types.index(e.type), doc, "|".join(e.aliases), encode_postings(mentioned[e.id])])

    labels = story_labels(corpus)
    stories = sorted(set(labels.values()))
    story_of = [stories.index(labels[item.article.id]) if item.article.id in labels else -1
                for item in corpus.articles]

    vocabulary = sorted(postings)
    return {
        "v": FORMAT_VERSION,
        "stop": " ".join(sorted(STOP_WORDS)),
        "outlets": outlets,
        "types": types,
        "docs": docs,
        "entities": entities,
        "stories": stories,
        "story": story_of,
        "words": " ".join(vocabulary),
        "postings": " ".join(encode_postings(postings[w]) for w in vocabulary),
    }


def _script_json(value) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # Safe inside a script element and as JavaScript source (U+2028/2029 end lines in old engines).
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def offline_script(index: dict) -> str:
    """The index as a classic script (loads from file://, where fetch and modules are blocked)."""
    return f"window.{OFFLINE_GLOBAL}={_script_json(index)};\n"


def text_script(doc: int, text: str) -> str:
    """One doc's text as a classic script handing it to the search page."""
    return f"ANNALIST_TEXT({doc},{_script_json(text)});\n"


def write_offline_index(corpus: Corpus, site_dir: Path) -> Path:
    """Write static/search-index.js and static/search-text/<doc>.js into the site; returns the index's path."""
    path = site_dir / OFFLINE_INDEX
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(offline_script(offline_index(corpus)), encoding="utf-8")
    texts = site_dir / TEXT_DIR
    texts.mkdir(parents=True, exist_ok=True)
    for doc, text in enumerate(doc_texts(corpus)):
        (texts / f"{doc}.js").write_text(text_script(doc, text), encoding="utf-8")
    return path


def _searchable_pages(site_dir: Path) -> list[tuple[str, str]]:
    """(path, HTML) of the pages carrying `data-pagefind-body` (articles, entities), in a fixed order."""
    pages = []
    for path in sorted(site_dir.rglob("*.html")):
        if BUNDLE_DIR in path.parts:
            continue
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            pages.append((path.relative_to(site_dir).as_posix(), html))
    return pages


async def _index(site_dir: Path, language: str) -> int:
    # Pages are added one by one in sorted order (not with add_directory, which reads them in
    # parallel): page numbers inside the bundle then never depend on timing. The bundle is written
    # once, when the context closes; pagefind_canon then fixes the order of its filter maps.
    config = IndexConfig(output_path=str(site_dir / BUNDLE_DIR), force_language=language)
    pages = _searchable_pages(site_dir)
    async with PagefindIndex(config=config) as index:
        for rel, html in pages:
            await index.add_html_file(content=html, url="/" + rel, source_path=rel)
    return len(pages)


def index_site(site_dir: Path, language: str = "en") -> int:
    """Index the site in place; returns the number of pages Pagefind indexed."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_index(site_dir, language))
    # Called from inside an event loop (e.g. under Playwright's sync API): run in a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, _index(site_dir, language)).result()
