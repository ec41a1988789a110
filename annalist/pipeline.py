"""build(): the stages in order, one line each. Gather everything, then write.

ingest → entities → crossref → markdown → render → search

Two kinds of stage. Per-article stages are pure functions of one article (and of read-only,
archive-wide values such as the authority file): they run across all cores (parallel.pmap) and
their results are kept between builds in the cache beside the content (annalist/cache.py), so
an article that did not change is not worked on again. Corpus-level stages look at the whole
archive and reuse what they can:

    per article (cached, parallel)          corpus-level (whole archive)
    ------------------------------          ----------------------------
    ingest: read, clean, metadata           furniture (lines repeated across sources), ids
    entities: recognition                   discovery of unknown names (per-article part cached)
                                            stories: grouping
    crossref: alignment (per story, cached)
    markdown: annotated Markdown
    article pages, exports                  home, outlets, entities, review, stories, coverage
                                            search: offline index, Pagefind (bundles of changed pages)

Writing: the site is written into a staging folder and swapped in whole (publish/output.py);
every file whose bytes did not change is hard-linked from the previous site (same bytes, same
mtime), so a rebuild writes only what changed. A build whose inputs all equal the last
successful build's, on a site nobody touched since, does nothing and says so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path

import jinja2

from . import cache, resources, stories, urls, yamlio
from .markdown import annotate
from .publish import cite, export, feeds, fixity, output, search, views
from .config import SETTINGS_FILE, Edition, build_date, load_settings
from .crossref import align
from .crossref import features as crossref_features
from .entities import AuthorityError, Recogniser, apply_decisions, discover, load_authority, load_decisions, suggest_merges
from .entities.authority import warnings as authority_warnings
from .entities.decisions import FILE as CURATION_FILE
from .ingest import ingest_corpus, inside
from .ingest.ids import RegistryError, record_published
from .ingest.manifest import load_manifest
from .markdown import split_front_matter
from .model import Annotated, Article, Corpus, CrossRef, Entity, Mention, Problem, Sentence, Story
from .parallel import imap, pmap, stream
from .summary import BuildResult, plural, report, shown  # noqa: F401 (pipeline.report, as before)
from .publish.render import ALIAS_TEMPLATE, KEPT_CITATIONS, UNREVIEWED_TEMPLATE, Deferred, Page, jinja_env, render_page, site_pages
from .publish.render import forget as forget_corpus

ENTITIES_FILE = "entities.yaml"
CORRECTIONS_DIR = "corrections"


class BuildFailed(Exception):
    """A problem that stops the whole build (the previous site is left as it was).

    str() is one line per problem, each starting "error: " and naming the file.
    """

    def __init__(self, message: str | list[Problem]) -> None:
        lines = [str(p) for p in message] if isinstance(message, list) else [message]
        super().__init__("\n".join(line if line.startswith(("error: ", "warning: ")) else f"error: {line}"
                                   for line in lines))


Progress = Callable[[Iterable, str], Iterator]


def no_progress(items: Iterable, label: str) -> Iterator:
    return iter(items)


# --- stages --------------------------------------------------------------------------------


def _memo(store: cache.Store):
    """For ingest: memo(kind, parts, compute) → the kept result for these parts, or compute()'s."""
    def memo(kind: str, parts: tuple, compute):
        key = cache.digest(kind, parts)
        found = store.get(f"ingest-{kind}", key, _MISS)
        if found is _MISS:
            found = compute()
            store.put(f"ingest-{kind}", key, found)
        return found
    memo.kept = lambda kind, parts: store.get(f"ingest-{kind}", cache.digest(kind, parts), _MISS) is not _MISS
    # what ingest's archive-wide pass (furniture) keeps of the last build: see ingest._templates
    memo.key = lambda kind, parts: cache.digest(kind, parts)
    memo.found = lambda kind, key: store.get(f"ingest-{kind}", key)
    memo.touch = lambda kind, parts: store.touch(f"ingest-{kind}", cache.digest(kind, parts))
    memo.last = lambda kind: store.get(f"ingest-{kind}", "last")
    memo.keep_last = lambda kind, value: store.put(f"ingest-{kind}", "last", value)
    return memo


_MISS = object()


def recognise(articles: list[Article], recogniser: Recogniser, progress: Progress,
              jobs: int | None = 1, store: cache.Store | None = None,
              keys: dict[str, str] | None = None) -> dict[str, tuple[Mention, ...]]:
    store = store or cache.Store(None)
    authority = cache.digest(sorted(recogniser.entities.items()))
    found = store.map("entities", articles, lambda a: cache.digest(_key(a, keys), authority), recogniser.article,
                      lambda fn, todo: pmap(fn, todo, jobs, progress, "entities"))
    return {a.id: mentions for a, mentions in zip(articles, found)}


def _key(article: Article, keys: dict[str, str] | None) -> str:
    """The digest of an article (computed once per build when `keys` holds it)."""
    if keys is not None and article.id in keys:
        return keys[article.id]
    return cache.digest(article)


class _Recorded(frozenset):
    """A vocabulary that notes which words were looked up, and the answers: an article's
    discovered names depend on the archive's vocabulary only through these."""

    def __new__(cls, words: frozenset[str], asked: dict[str, bool]):
        made = super().__new__(cls, words)
        made.asked = asked
        return made

    def __contains__(self, word) -> bool:
        answer = frozenset.__contains__(self, word)
        self.asked[word] = answer
        return answer


class _Asking:
    """A set that notes which members were looked up (`in`), and the answers."""

    def __init__(self, members, asked: dict[str, bool]) -> None:
        self.members, self.asked = members, asked

    def __contains__(self, word) -> bool:
        answer = word in self.members
        self.asked[word] = answer
        return answer


def _common_words(store: cache.Store) -> None:
    """discover's dictionary of common words, kept between builds (it depends on the pinned
    english-words package alone; the program's version is in every key)."""
    from .entities.discover import common_words, keep_common_words

    kept = store.get("common-words", "web2")
    if isinstance(kept, frozenset) and kept:
        keep_common_words(kept)
    else:
        store.put("common-words", "web2", common_words())


def _recorded(step, article):
    """discover's per-article step on one article, noting which vocabulary words it looked up and
    the answers (in a worker: what it returns is all the parent sees)."""
    asked: dict[str, bool] = {}
    kw = {**step.keywords, "vocabulary": _Recorded(step.keywords["vocabulary"], asked), "occurrences": None}
    return step.func(article, **kw), asked


def with_candidates(articles, known, entities, rejected=frozenset(), store: cache.Store | None = None,
                    keys: dict[str, str] | None = None, jobs: int | None = 1, evidence: dict | None = None):
    """Discovery of unknown names: each article's mentions, known and proposed, and the candidates.
    Its per-article step is kept between builds: valid while the article, its mentions and the
    authority file are the same and every vocabulary word it looked up gives the same answer. The
    cache is read and written here, in this process; only the articles not found are worked on,
    across cores. `evidence`, when given, is filled with each article's mentions for story grouping:
    those, and the names the junk score alone held back (discover's `evidence`; the very same tuple
    when there are none)."""
    store = store or cache.Store(None)
    entities_key = cache.digest(tuple(entities))
    texts = [p.text for a in articles for p in a.paragraphs]  # occurrences refer to their paragraph's text
    found_keys: dict[str, str] = {}  # article id → a key of its occurrences: its own key and the answers it got
    _common_words(store)

    def mapped(step, items):
        items = list(items)
        if not isinstance(step, functools.partial) or "vocabulary" not in step.keywords:
            return pmap(step, items, jobs, shared=texts)  # discover changed shape: compute all (correct, slower)
        vocabulary, by_article = step.keywords["vocabulary"], step.keywords["known"]
        item_keys = [cache.digest(_key(a, keys), store.digest_of(by_article.get(a.id, ())), entities_key) for a in items]
        results: list = [None] * len(items)
        todo: list[tuple[int, str]] = []  # (index, cache key) of the article pages to make
        for i, key in enumerate(item_keys):
            kept = store.get("occurrences", key)
            if kept is not None and all((word in vocabulary) == answer for word, answer in kept[1].items()):
                results[i] = kept[0]
                found_keys[items[i].id] = cache.digest(key, kept[1])
            else:
                todo.append(i)
        computed = pmap(functools.partial(_recorded, step), [items[i] for i in todo], jobs, shared=texts)
        for i, (found, asked) in zip(todo, computed):
            store.put("occurrences", item_keys[i], (found, asked))
            found_keys[items[i].id] = cache.digest(item_keys[i], asked)
            results[i] = found
        return results

    from .entities.discover import _whole_spans

    def whole_spans(found, proposed, names):
        """discover's whole-name step on one article, kept between builds: valid while the
        article's occurrences are the same and each name it looked up gives the same answer."""
        key = found_keys.get(found[0].article)
        kept = store.get("whole-names", key) if key else None
        if kept is not None and all((w in proposed) == answer for w, answer in kept[1].items()) \
                and all((w in names) == answer for w, answer in kept[2].items()):
            return kept[0]
        asked_proposed: dict[str, bool] = {}
        asked_names: dict[str, bool] = {}
        spans = _whole_spans(found, _Asking(proposed, asked_proposed), _Asking(names, asked_names))
        if key:
            store.put("whole-names", key, (spans, asked_proposed, asked_names))
        return spans

    from .entities.discover import article_lower_words

    def lower_words(items):
        return store.map("lower-words", list(items), lambda a: _key(a, keys), article_lower_words)

    from .entities.discover import _proposed

    paragraph_keys: dict[int, str] = {}  # id(paragraph text) → its digest (occurrences share their paragraph's text)

    def occurrence(o) -> tuple:
        fields = {f.name: getattr(o, f.name) for f in dataclasses.fields(o)} if not hasattr(o, "__dict__") else dict(vars(o))
        text = fields.pop("paragraph_text")
        key = paragraph_keys.get(id(text))
        if key is None:
            key = paragraph_keys[id(text)] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        return (*fields.values(), key)

    def proposed(group, misc_readings, vocabulary):
        """discover's judgement of one name, kept between builds: valid while its occurrences (every
        field, the paragraph by its digest) and MISC readings are the same, and each vocabulary word
        it looked up gives the same answer."""
        key = cache.digest([occurrence(o) for o in group], misc_readings)
        kept = store.get("proposed", key)
        if kept is not None and all((w in vocabulary) == answer for w, answer in kept[1].items()):
            return kept[0]
        asked: dict[str, bool] = {}
        answer = _proposed(group, misc_readings, _Asking(vocabulary, asked))
        store.put("proposed", key, (answer, asked))
        return answer

    held: dict[str, tuple] = {}
    unreviewed, candidates = discover(articles, known, entities, rejected, map=mapped, lower_words=lower_words,
                                      whole_spans=whole_spans, proposed=proposed, evidence=held)
    merged = {
        a.id: tuple(sorted(known[a.id] + unreviewed.get(a.id, ()), key=lambda m: (m.paragraph, m.start)))
        for a in articles
    }
    if evidence is not None:
        evidence.update({a.id: tuple(sorted(merged[a.id] + held[a.id], key=lambda m: (m.paragraph, m.start)))
                         if a.id in held else merged[a.id] for a in articles})
    return merged, candidates


def _story_steps(store: cache.Store, keys: dict[str, str] | None, jobs: int | None = 1) -> dict:
    """stories.group's steps, kept between builds: each article's token counts; each document
    (its weighted tokens), under its counts' key and the weights of its tokens; the similarity of
    two documents, under the two documents' keys (an edit re-weighs the few documents holding the
    words it added or removed, and only their pairs are compared again)."""
    from .stories.cluster import similarities
    from .stories.features import article_counts, counts_across, document

    counts_keys: dict[str, str] = {}  # article id → the key of its counts
    doc_keys: dict[str, str] = {}  # article id → the key of its document

    def counts_of(items):
        items = list(items)
        for a, found in items:
            counts_keys[a.id] = cache.digest(_key(a, keys), store.digest_of(found))
        return store.map("story-counts", items, lambda item: counts_keys[item[0].id], lambda item: article_counts(*item),
                         lambda fn, todo: counts_across(todo, jobs))  # across cores: the same counts

    def document_of(article, counts, weights):
        key = cache.digest(counts_keys[article.id], [weights[t] for t in counts])
        doc_keys[article.id] = key
        found = store.get("story-document", key)
        if found is None:
            found = document(article, counts, weights)
            store.put("story-document", key, found)
        return found

    def similarities_of(docs):
        found = [doc_keys.get(d.article) for d in docs]
        kept = store.get("story-similarities", "last")
        known_docs, known = kept if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[1], dict) \
            else (frozenset(), {})

        def kept_value(i: int, j: int) -> float | None:
            value = known.get((found[i], found[j]))
            if value is None and found[i] in known_docs and found[j] in known_docs:
                return 0.0  # the same two documents, compared before: no more alike than that
            return value

        sims = similarities(docs, kept_value if all(found) else None)
        store.put("story-similarities", "last", (frozenset(found), {(found[i], found[j]): v for (i, j), v in sims.items()}))
        return sims

    return {"counts_of": counts_of, "document_of": document_of, "similarities_of": similarities_of}


class _KeptAnswers:
    """A pure function's answers, held in a module's dict (`memo`: the general rarity of a word,
    stories.features.KNOWN_RARITIES; its frequency, crossref.features.KNOWN_ZIPF: both functions of
    the word and the pinned wordfreq alone), kept between builds as one entry: read into the memo
    when made (workers forked later know them), written back by keep() when it gained answers."""

    def __init__(self, store: cache.Store, kind: str, memo: dict) -> None:
        self.store, self.kind, self.memo = store, kind, memo
        self.kept = store.get(kind, "all")
        if isinstance(self.kept, dict):
            for key, value in self.kept.items():
                memo.setdefault(key, value)
        self.size = len(memo)

    def keep(self) -> None:
        if not isinstance(self.kept, dict) or len(self.memo) != self.size or len(self.kept) != self.size:
            self.store.put(self.kind, "all", dict(self.memo))


def story_pins(content_dir: Path, articles: list[Article]) -> dict[str, str]:
    """Article id → the story the curator pinned it to (`story:` in sources.yaml). The manifest's
    problems were reported when ingest read it."""
    manifest, _ = load_manifest(content_dir)
    entries = manifest.entries
    return {a.id: entries[a.source_file]["story"] for a in articles if "story" in entries.get(a.source_file, {})}


def align_within(
    found: tuple[Story, ...], articles: list[Article], mentions: dict[str, tuple[Mention, ...]], progress: Progress,
    store: cache.Store | None = None, keys: dict[str, str] | None = None, jobs: int | None = 1,
    story_keys: dict[str, str] | None = None,
) -> dict[str, tuple[tuple[Sentence, ...], tuple[CrossRef, ...]]]:
    """Cross-source alignment run story by story (each on its own, so across cores): a footnote
    never links two stories. A story whose articles and mentions are those of an earlier build
    is not aligned again. `story_keys`, when given, gets article id → the key of its story's
    alignment (everything its sentences and cross-references are made of)."""
    store = store or cache.Store(None)
    by_id = {a.id: a for a in articles}

    def key(story: Story) -> str:
        found = cache.digest(tuple((_key(by_id[a], keys), store.digest_of(mentions[a])) for a in story.articles))
        if story_keys is not None:
            story_keys.update(dict.fromkeys(story.articles, found))
        return found

    def run(fn, todo):
        results = []
        for result, noted in pmap(functools.partial(_noting_zipf, fn), todo, jobs, progress, "crossref"):
            for word, value in noted.items():  # the words the workers asked wordfreq of: kept (_KeptAnswers)
                cache.remember(crossref_features.KNOWN_ZIPF, word, value)
            results.append(result)
        return results

    aligned: dict[str, tuple[tuple[Sentence, ...], tuple[CrossRef, ...]]] = {}
    for result in store.map("alignment", found, key, lambda s: align([(by_id[a], mentions[a]) for a in s.articles]), run):
        aligned.update(result)
    return aligned


def _noting_zipf(fn, item):
    """fn(item), and the word frequencies alignment asked wordfreq for meanwhile (in a worker,
    what it returns is all the build's process sees)."""
    crossref_features.ZIPF_NOTED = {}
    try:
        return fn(item), crossref_features.ZIPF_NOTED
    finally:
        crossref_features.ZIPF_NOTED = None


def correction(content_dir: Path, article: Article) -> tuple[str | None, list[Problem]]:
    """A curator's hand-corrected Markdown for this article, if there is one."""
    path = content_dir / CORRECTIONS_DIR / f"{article.id}.md"
    if not path.is_file():
        return None, []
    rel = f"{CORRECTIONS_DIR}/{path.name}"
    if not inside(content_dir, path):
        return None, [Problem(rel, "a symbolic link to a file outside the content folder; refused")]
    try:
        text = yamlio.read_text(path)
        meta, _ = split_front_matter(text)
    except yamlio.YAMLFileError as exc:
        # a line in the front matter is one more in the file (the opening ---); a decoding line is the file's
        line = exc.line and (exc.line if exc.message.startswith("not UTF-8") else exc.line + 1)
        return None, [Problem(rel, f"unreadable correction, generated text used instead: {exc.message}", line)]
    except (OSError, ValueError) as exc:
        return None, [Problem(rel, f"unreadable correction, generated text used instead: {exc}")]
    problems = []
    if meta.get("sha256") != article.sha256:
        problems.append(
            Problem(rel, "the source it corrects has changed since (sha256 differs): review the correction",
                    severity="warning")
        )
    return text, problems


def annotate_all(content_dir, articles, mentions, aligned, progress,
                 jobs: int | None = 1, store: cache.Store | None = None,
                 keys: dict[str, str] | None = None,
                 story_keys: dict[str, str] | None = None) -> tuple[list[Annotated], list[Problem]]:
    """The annotated Markdown of every article. `story_keys` (align_within's): an article's
    sentences and cross-references are keyed by its story's alignment key, not pickled again."""
    store = store or cache.Store(None)
    reports = {a.id: annotate.Report(a.outlet.value, views.date_label(a.published), a.title) for a in articles}

    def generated(a: Article) -> str:
        sentences, crossrefs = aligned.get(a.id, ((), ()))
        return annotate.to_markdown(Annotated(a, mentions[a.id], sentences, crossrefs), reports)

    def key(a: Article) -> str:  # the Markdown names the outlet, date and title of each article it links to
        sentences, crossrefs = aligned.get(a.id, ((), ()))
        others = sorted({a.id} | {m.article for c in crossrefs for m in c.matches})
        aligned_key = (a.id, story_keys[a.id]) if story_keys and a.id in story_keys else (sentences, crossrefs)
        return cache.digest(_key(a, keys), store.digest_of(mentions[a.id]), aligned_key, [(o, reports.get(o)) for o in others])

    md_keys = {a.id: key(a) for a in articles}
    markdown = store.map("markdown", articles, lambda a: md_keys[a.id], generated,
                         lambda fn, todo: pmap(fn, todo, jobs, progress, "markdown"))
    items, problems = [], []
    for a, text in zip(articles, markdown):
        sentences, crossrefs = aligned.get(a.id, ((), ()))
        item = Annotated(a, mentions[a.id], sentences, crossrefs, text)
        corrected, found = correction(content_dir, a)
        if corrected is not None:
            item = replace(item, markdown=corrected, markdown_origin="curator")
        # the item is made of what its Markdown's key holds, and of a curator's correction
        store.note_digest(item, cache.digest(md_keys[a.id], item.markdown_origin, corrected))
        items.append(item)
        problems += found
    return items, problems


def gather(content_dir: Path, progress: Progress = no_progress, base_url: str | None = None,
           jobs: int | None = None, store: cache.Store | None = None) -> tuple[Corpus, Edition]:
    """Everything the site shows, nothing written. `store`: results kept from earlier builds
    (annalist/cache.py); none, and everything is computed."""
    if not content_dir.is_dir():
        raise BuildFailed(f"{content_dir}: no such content folder (`annalist new DIR` starts an archive)")
    store = store or cache.Store(None)
    settings, problems = load_settings(content_dir, {"base_url": base_url})
    if any(p.severity == "error" for p in problems):
        raise BuildFailed([p for p in problems if p.severity == "error"])
    try:
        articles, found = ingest_corpus(content_dir, settings.language, _memo(store), jobs)
    except RegistryError as exc:  # renumbering the archive would break every published URL
        raise BuildFailed(str(exc)) from None
    problems += found
    store.release()  # each stage's results written to the cache and let go of (memory: Store.release)
    problems += outlet_clashes(articles)
    entities = _authority(content_dir)
    try:
        entities, rejected = apply_decisions(entities, load_decisions(content_dir / CURATION_FILE))
    except AuthorityError as exc:
        raise BuildFailed(list(exc.problems)) from None
    problems += authority_warnings(entities, ENTITIES_FILE)
    keys = {a.id: cache.digest(a) for a in articles}  # each article's digest: the root of its cache keys
    # per article, cached and across cores          | corpus-level, reusing per-article parts
    known = recognise(articles, Recogniser(entities), progress, jobs, store, keys)
    _note_digests(store, known.values())  # each article's mentions are part of several keys: digested once
    evidence: dict[str, tuple] = {}  # what story grouping weighs: the mentions, and names held back as junk
    mentions, candidates = with_candidates(articles, known, entities, rejected, store, keys, jobs, evidence)  # discovery
    _note_digests(store, mentions.values())
    _note_digests(store, [found for a_id, found in evidence.items() if found is not mentions[a_id]])
    store.release()
    rarities = _KeptAnswers(store, "word-rarity", stories.features.KNOWN_RARITIES)
    grouped = stories.group([(a, evidence[a.id]) for a in articles], story_pins(content_dir, articles),
                            **_story_steps(store, keys, jobs))                                     # stories
    rarities.keep()
    store.release()
    story_keys: dict[str, str] = {}  # article id → its story's alignment key
    aligned = align_within(grouped, articles, known, progress, store, keys, jobs, story_keys)  # story by story, cached
    store.release()
    items, found = annotate_all(content_dir, articles, mentions, aligned, progress, jobs, store, keys, story_keys)
    store.release()
    problems += found
    edition = Edition(settings, build_date(settings))
    merges = _merges(candidates, entities, store)
    corpus = Corpus(tuple(items), tuple(entities), tuple(candidates), tuple(problems), merges, stories=grouped)
    return corpus, edition


def _note_digests(store: cache.Store, values) -> None:
    for value in values:
        store.note_digest(value, cache.digest(value))


def _merges(candidates, entities, store: cache.Store):
    """suggest_merges, kept under what it reads: each name, its type and count; each record's names."""
    key = cache.digest([(c.name, c.type_guess, c.count) for c in candidates],
                       [(e.id, e.type, e.name, e.aliases) for e in entities])
    found = store.get("merges", key)
    if found is None:
        found = suggest_merges(candidates, entities)
        store.put("merges", key, found)
    return found


def outlet_clashes(articles: list[Article]) -> list[Problem]:
    """Outlet names spelled differently that would share one outlet page ("Sky News", "SKY-news!"):
    a warning on each article whose spelling is not the first, so the curator can settle it."""
    first: dict[str, Article] = {}
    problems = []
    for a in sorted(articles, key=lambda a: a.source_file):
        if not a.outlet.value:
            continue
        page = urls.outlet(a.outlet.value)
        seen = first.setdefault(page, a)
        if seen.outlet.value != a.outlet.value:
            problems.append(Problem(
                f"sources/{a.source_file}",
                f"outlet {a.outlet.value!r} shares the page {page} with {seen.outlet.value!r} "
                f"(sources/{seen.source_file}): one outlet under two spellings? Give one spelling in sources.yaml",
                severity="warning"))
    return problems


def _authority(content_dir: Path) -> tuple[Entity, ...]:
    """The authority file's entities; no file: nothing known yet; a broken one stops the build."""
    path = content_dir / ENTITIES_FILE
    if not path.exists() and not path.is_symlink():
        return ()
    if not inside(content_dir, path):
        raise BuildFailed([Problem(ENTITIES_FILE, "a symbolic link to a file outside the content folder; refused")])
    try:
        return load_authority(path)
    except AuthorityError as exc:
        raise BuildFailed(list(exc.problems)) from None
    except OSError as exc:
        raise BuildFailed([Problem(ENTITIES_FILE, f"cannot read: {exc.strerror or exc}")]) from None


# --- writing -------------------------------------------------------------------------------


def write_site(corpus: Corpus, edition: Edition, content_dir: Path, out: Path,
               jobs: int | None = 1, writer: output.Writer | None = None,
               store: cache.Store | None = None) -> tuple[int, list[Problem]]:
    """Every page and file of the site into `out` (the staging folder). With a `writer` that knows
    the previous site and a `store`, pages whose inputs did not change are not rendered again:
    the previous file is linked."""
    writer = writer or output.Writer(out, out)
    store = store or cache.Store(None)
    env = jinja_env(resources.template_dirs(content_dir))
    own = [d for d in resources.template_dirs(content_dir) if d != resources.TEMPLATES_DIR]
    look = cache.digest(edition, cache.tree_digest(own))  # the archive's own templates (the package's: code_version)
    pages = _PageCache(corpus, store, writer, look, jobs, env, edition)
    try:
        all_pages, problems = site_pages(corpus, edition, pages.map_articles, pages.story_view)  # article pages written here
        count, listed = pages.write(env, all_pages, edition)  # the others made and written one at a time
    except jinja2.TemplateError as exc:  # most likely in an archive's own template (templates/)
        raise BuildFailed(template_error(exc)) from exc
    resources.copy_static(content_dir, out)
    for item, item_key in zip(corpus.articles, pages.item_keys):
        a = item.article
        writer.write(urls.article_markdown(a.id), item.markdown)
        record_key = cache.digest(item_key, edition)
        kept = store.get("article-json", record_key)
        if kept is None or not writer.reuse(urls.article_json(a.id), kept):
            store.put("article-json", record_key,
                      writer.write(urls.article_json(a.id), export.dumps(export.article_record(item, edition))))
        # a safe name; HTML pages as .html.txt, never run; the bytes untouched (a WARC: the file holding the record)
        writer.write(urls.source(a.original), (content_dir / "sources" / a.source_file).read_bytes())
        for former in a.former_ids:  # permanent URLs: an id given up still leads to the article
            writer.write(urls.article(former), views.redirect_page(urls.relative(urls.article(former), urls.article(a.id))))
    writer.write("data/entities.json", export.dumps(export.entities_record(corpus)))
    writer.write("data/stories.json", export.dumps(export.stories_record(corpus, edition)))
    _citation_files(corpus, edition, writer, store)
    writer.write("sitemap.xml", feeds.sitemap(corpus, edition, listed))
    writer.write("feed.xml", feeds.atom(corpus, edition))
    writer.write("robots.txt", feeds.robots(edition))
    return count, problems


def _write_kept(writer: output.Writer, store: cache.Store, kind: str, key: str, make) -> None:
    """The files make() gives ({path: text}), kept under `key`: when found, the previous site's
    files are linked and make() is not called."""
    kept = store.get(kind, key)
    if kept is not None and all(writer.reuse(path, sha) for path, sha in kept):
        return
    store.put(kind, key, tuple((path, writer.write(path, text)) for path, text in make().items()))


def _citation_files(corpus: Corpus, edition: Edition, writer: output.Writer, store: cache.Store) -> None:
    """export.citation_files, each article's files kept under what they say of it (cite.cited),
    the bibliography under what it says of every article: an edit to an article's text writes none."""
    pairs = [(item.article, cite.CiteContext.of(item.article.id, edition)) for item in corpus.articles]
    keys = [cache.digest(cite.cited(*pair)) for pair in pairs]
    for pair, key in zip(pairs, keys):
        _write_kept(writer, store, "citations", key, lambda: export.article_citation_files(*pair))
        store.get("citation-text", key)  # the page's formatted citations (_PageCache) kept for the next build
    _write_kept(writer, store, "bibliography", cache.digest(keys), lambda: export.bibliography_files(pairs))


_KEPT = "__annalist_kept__"  # a page context standing for a page linked from the previous site


class _PageCache:
    """Pages whose inputs equal an earlier build's are linked from the previous site, not rendered.

    An article page depends on its article and annotations, its story, the labels of the articles
    its footnotes link to, whether each of its unreviewed names has a page (urls.unreviewed: an
    address made from the name alone), the authority file, the edition and the templates (`look`);
    a deferred page (render.Deferred: the review list, a name's page, a story's pages, the coverage
    pages) on its inputs, looked up before its context is made (a story's view itself is kept under
    its story and its articles' digests: story_view); any other page on its context. Keys say
    exactly that."""

    def __init__(self, corpus: Corpus, store: cache.Store, writer: output.Writer, look: str, jobs: int | None,
                 env: jinja2.Environment, edition: Edition) -> None:
        self.corpus, self.store, self.writer, self.look, self.jobs = corpus, store, writer, look, jobs
        self.env, self.edition = env, edition  # article pages are rendered where they are made
        self.item_keys = [store.digest_of(item) for item in corpus.articles]

    def _article_key(self, item: Annotated, item_key: str, kw: dict, everything: dict) -> str:
        a = item.article
        if item.markdown_origin == "curator":  # a hand-written page may link anything
            linked, review = everything["labels"], everything["review"]
        else:
            others = sorted({m.article for c in item.crossrefs for m in c.matches})
            linked = [(o, kw["labels"].get(urls.article(o))) for o in others]
            slugs = sorted({m.entity.split(":", 1)[1] for m in item.mentions if not m.reviewed})
            review = [(s, s in kw["candidates"]) for s in slugs]
        return cache.digest(item_key, kw["story_links"].get(a.id), kw["stories"].get(a.id), linked, review,
                            everything["entities"], self.look)

    def story_view(self, story, items) -> object:
        """views.story_view, kept under the story and its articles' keys (the annotated articles'
        digests: everything a story's view is made of); the view stands for its key in the keys
        of the story's pages and of the coverage pages listing it."""
        key = cache.digest(story, [self.store.digest_of(item) for item in items])
        found = self.store.get("story-view", key)
        if found is None:
            found = views.story_view(story, items)
            self.store.put("story-view", key, found)
        self.store.note_digest(found, "story-view:" + key)
        return found

    def map_articles(self, fn, items) -> list:
        """site_pages' map over the article pages: kept pages stand in for those that did not change."""
        items = list(items)
        kw = getattr(fn, "keywords", None) or {}
        if not {"story_links", "labels", "stories", "candidates"} <= kw.keys() or len(items) != len(self.item_keys):
            return pmap(fn, items, self.jobs)  # site_pages changed shape: compute every page (correct, slower)
        everything = {
            "labels": cache.digest(kw["labels"]), "entities": cache.digest(self.corpus.entities),
            "review": cache.digest(sorted(kw["candidates"])),
        }
        results: list = [None] * len(items)
        todo: list[tuple[int, str]] = []  # (index, cache key) of the article pages to make
        for i, (item, item_key) in enumerate(zip(items, self.item_keys)):
            key = self._article_key(item, item_key, kw, everything)
            path = urls.article(item.article.id)
            kept = self.store.get("article-page", key)
            if kept is not None and self.writer.reuse(path, kept[0]):
                results[i] = (Page(path, "article.html", {_KEPT: True}), list(kept[1]))
            else:
                todo.append((i, key))
        self._write_articles(fn, items, todo, results)
        return results

    def _write_articles(self, fn, items: list, todo: list[tuple[int, str]], results: list) -> None:
        """The article pages to make, each rendered by the worker that made its data and written
        as it comes back: only its HTML crosses, and no page's data or HTML waits for the others
        (at 10,000 articles they would all be held at once). Kept as linked pages are."""
        env, edition = self.env, self.edition
        env.get_template("article.html")  # compiled once, before the workers are forked (errors raised here)
        # Each page's formatted citations, kept under what they say of the article (cite.cited):
        # the styles are compiled only when some page's are not kept (an edit to a text keeps them)
        said = {i: cite.cited(items[i].article, cite.CiteContext.of(items[i].article.id, edition)) for i, _ in todo}
        said_keys = {i: cache.digest(said[i]) for i in said}
        for i, key in said_keys.items():
            kept = self.store.get("citation-text", key)
            if isinstance(kept, dict):
                KEPT_CITATIONS[items[i].article.id] = (said[i], kept)
        if any(items[i].article.id not in KEPT_CITATIONS for i in said):
            cite.compile_styles()  # once, before the workers are forked; not at all when no page needs it

        def rendered(item):
            page, found = fn(item)
            citations = {k: str(v) for k, v in page.context.get("citations", {}).items()}
            # written where it is rendered (in a worker, the build's process only notes it; _rendered)
            return page.path, page.template, _rendered(env, edition, self.writer, (page, None)), found, citations

        try:
            # closed here on an error: no worker is left writing into the staging folder the build removes
            with contextlib.closing(imap(rendered, [items[i] for i, _ in todo], self.jobs)) as made:
                for (i, key), (path, template, (sha, raw), found, citations) in zip(todo, made):
                    if raw is None:
                        self.writer.wrote(path, sha)
                    else:
                        sha = self.writer.write(path, raw)
                    self.store.put("article-page", key, (sha, tuple(found)))
                    if citations:
                        self.store.put("citation-text", said_keys[i], citations)
                    results[i] = (Page(path, template, {_KEPT: True}), found)
        finally:
            KEPT_CITATIONS.clear()

    def _to_render(self, pages: Iterable[Page], counted: list) -> Iterator[tuple[Page, str | None]]:
        """The pages to render (each with its context made), with their keys; those kept are
        linked here. `counted`: [how many pages, the paths of those the sitemap lists]."""
        shared: dict[int, tuple[object, str]] = {}  # large values many pages hold (all the article labels): digested once
        parts: dict[int, tuple[object, str]] = {}  # a deferred page's inputs several pages share (a name's entry)

        def part_digest(part) -> object:
            if part is None or isinstance(part, (str, int, float)):
                return part
            known = parts.get(id(part))
            if known is None or known[0] is not part:  # the part is held here: its id is not reused
                known = parts[id(part)] = (part, self.store.digest_of(part))  # a story's view: its key
            return known[1]

        listed = counted[1]
        for page in pages:
            counted[0] += 1
            if page.template not in (ALIAS_TEMPLATE, UNREVIEWED_TEMPLATE):
                listed.append(page.path)
            if isinstance(page, Deferred):  # keyed by what its context is made of, before it is made
                key = cache.digest(page.path, page.template, [part_digest(part) for part in page.inputs], self.look)
                kept = self.store.get("page", key)
                if kept is None or not self.writer.reuse(page.path, kept):
                    yield Page(page.path, page.template, page.context), key  # its context made here, a plain page
                continue
            if page.context.get(_KEPT):
                continue
            try:
                context = {}
                for k, v in page.context.items():
                    if isinstance(v, dict) and len(v) > 100:
                        known = shared.get(id(v))
                        if known is None or known[0] is not v:  # the value is held here: its id is not reused
                            known = shared[id(v)] = (v, "shared:" + cache.digest(v))
                        v = known[1]
                    context[k] = v
                key = cache.digest(page.path, page.template, context, self.look)
            except Exception:  # a context pickle cannot take: rendered every time
                key = None
            kept = self.store.get("page", key) if key else None
            if kept is not None and self.writer.reuse(page.path, kept):
                continue
            yield page, key

    def write(self, env, pages: Iterable[Page], edition: Edition) -> tuple[int, list[str]]:
        """Render and write the pages (those kept were linked already), each as it comes: no page's
        data waits for the others'. The pages are rendered by workers (parallel.stream: a bounded
        window of pages ahead) while this process makes the next pages' data and writes those
        rendered. Returns how many pages, and the paths of those the sitemap lists."""
        counted: list = [0, []]
        # closed here on an error: no worker is left writing into the staging folder the build removes
        with contextlib.closing(stream(functools.partial(_rendered, env, edition, self.writer),
                                       self._to_render(pages, counted), self.jobs)) as made:
            for (page, key), (sha, raw) in made:
                if raw is None:  # written where it was rendered
                    self.writer.wrote(page.path, sha)
                else:
                    sha = self.writer.write(page.path, raw)
                if key:
                    self.store.put("page", key, sha)
        return counted[0], counted[1]


def _rendered(env, edition: Edition, writer: output.Writer, item: tuple[Page, str | None]) -> tuple[str, bytes | None]:
    """parallel.stream's function: one page rendered and, when the previous site holds no file
    of its bytes, written into the staging folder (in a worker: the build's process only notes
    it); else its bytes, for the writer to link or write. A template error as one line."""
    page = item[0]
    try:
        raw = render_page(env, page, edition).encode("utf-8")
    except jinja2.TemplateError as exc:
        raise BuildFailed(template_error(exc)) from None
    sha = hashlib.sha256(raw).hexdigest()
    if not writer.new(page.path, sha):
        return sha, raw
    writer.put(page.path, raw)
    return sha, None


def template_error(exc: jinja2.TemplateError) -> str:
    """One line naming the template (and line) that failed."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = shown(Path(exc.filename)) if exc.filename else exc.name
        return f"{where}:{exc.lineno}: template error: {exc.message}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template not found: {exc.name}"
    where = _template_frame(exc)
    return f"{where}: template error: {exc.message or exc}" if where else f"template error: {exc.message or exc}"


def _template_frame(exc: BaseException) -> str | None:
    """Where a template failed while rendering ("templates/page.html:7"): the innermost frame
    of the traceback Jinja rewrote to point into its template files; None when there is none."""
    where, tb = None, exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not name.endswith(".py") and not name.startswith("<") and Path(name).is_file():
            where = f"{shown(Path(name))}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _absolute(path: Path) -> Path:
    """An absolute path whose last part is kept as given (a symlink there is not followed)."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name


def build(content_dir: Path, out: Path, progress: Progress = no_progress, index: bool = True,
          base_url: str | None = None, jobs: int | None = None, reuse: bool = True,
          wait: bool = False) -> BuildResult:
    """Build content_dir into out: the one entry point (`annalist build`, `annalist serve`'s rebuilds).

    `base_url`, when given, replaces the settings' base_url for this build (a preview, a mirror);
    per-article stages run on `jobs` processes (default: every core). `reuse` (default): results
    kept in the cache beside the content (.annalist-cache/) are used and the previous site's
    unchanged files linked; nothing changed since the last build: nothing is done (the result's
    `notes` say so). False: everything is computed afresh (the output is the same bytes).
    Another build of the same content or into the same output running: BuildFailed at once, or
    with `wait`, wait for it to finish."""
    started = time.perf_counter()
    content_dir, out = content_dir.resolve(), _absolute(out)
    try:
        output.check_out(content_dir, out, (resources.PACKAGE_DIR, resources.TEMPLATES_DIR, resources.STATIC_DIR))
    except output.OutputRefused as exc:
        raise BuildFailed(f"--out {exc}") from None
    if not content_dir.is_dir():
        raise BuildFailed(f"{content_dir}: no such content folder (`annalist new DIR` starts an archive)")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        locked = cache.lock(content_dir, out, wait)
        locked.__enter__()
    except cache.Busy as exc:
        raise BuildFailed(str(exc)) from None
    except OSError as exc:
        raise BuildFailed(f"{out}: cannot prepare the output folder: {exc.strerror or exc}") from None
    try:
        return _build(content_dir, out, progress, index, base_url, jobs, reuse, started)
    except BrokenProcessPool:  # a worker killed (the OOM killer, a user): one line, not a traceback
        raise BuildFailed("a worker process of the build ended abruptly (killed, perhaps for want of memory): "
                          "the build stopped and the previous site is as it was") from None
    finally:
        _Remover.join_all()  # also when the build failed after its swap: the next one stages there
        locked.__exit__(None, None, None)
        gc.unfreeze()  # what reading the cache froze (cache._load) is collected as usual again: `annalist serve` goes on


def _build(content_dir: Path, out: Path, progress: Progress, index: bool, base_url: str | None,
           jobs: int | None, reuse: bool, started: float) -> BuildResult:
    store = cache.Store.open(content_dir, reuse)
    previous = store.site(out)
    input_stats: dict[str, tuple] = {}
    files = cache.input_files(content_dir, previous.input_stats, input_stats)
    if reuse:
        done = cache.unchanged_site(content_dir, out, index, base_url, store, files, locked=True)
        if done:
            return done
    try:
        recovered = output.recover(out)  # a site a killed build left aside is put back first
    except OSError as exc:
        raise BuildFailed(f"{out}: cannot prepare the output folder: {exc.strerror or exc}") from None
    # alignment's word frequencies (asked by alignment and by the story views): kept once the pages are written
    zipfs = _KeptAnswers(store, "word-zipf", crossref_features.KNOWN_ZIPF)
    corpus, edition = gather(content_dir, progress, base_url, jobs, store)
    try:
        staging = output.staging_folder(out)
        shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise BuildFailed(f"{out}: cannot prepare the output folder: {exc.strerror or exc}") from None
    writer = output.Writer(staging, out, previous if reuse else None)
    remover = _Remover()
    try:
        count, problems = write_site(corpus, edition, content_dir, staging, jobs, writer, store)
        zipfs.keep()
        store.release()
        search.write_offline_index(corpus, staging, write=writer.write, postings_of=_search_postings(store))
        store.release()
        # What the rest needs of the corpus; the corpus itself let go of before Pagefind runs (at
        # 10,000 articles, about 1 GB of this process that Pagefind's processes would add to)
        articles, corpus_problems, corpus_notes = [item.article for item in corpus.articles], \
            list(corpus.problems), notes(corpus, edition)
        del corpus
        store.forget_digests()
        forget_corpus()
        _give_back()
        writer.adopt()
        search_cpu = _cpu()
        indexing = None
        if index:  # only the bundles whose pages changed are indexed again (search.update_index)
            indexing = search.update_index(staging, edition.settings.language, writer, store).seconds
            writer.adopt()
        search_cpu = None if indexing is None else _cpu() - search_cpu
        writer.write(output.MARKER, output.MARKER_TEXT)
        fixity.write_manifest(staging, writer.hashes, complete=True)  # every file: adopt() ran
        writer.adopt()
        output.swap_in(staging, out, remover.start)  # the previous site deleted meanwhile (joined by build())
    except search.IndexFailed as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"{search.BUNDLE_DIR}: {exc}") from None
    except OSError as exc:  # disk full, read-only folder, file-size limit...
        shutil.rmtree(staging, ignore_errors=True)
        where = exc.filename or staging
        raise BuildFailed(f"{where}: cannot write the site: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        # New ids recorded: content/ids.yaml changed, so the next build is not a no-op (it would
        # replay this build's warnings about ids being given, which it no longer gives)
        record_published(content_dir, articles)
    except OSError as exc:  # e.g. a read-only content folder: the site is built, the record not kept
        corpus_problems.append(Problem(
            "ids.yaml", f"could not record the published ids ({exc.strerror or exc}): "
            "the next build may give new articles other ids", severity="warning"))
    problems += [Problem(out.name, line, severity="warning") for line in recovered]
    result = BuildResult(len(articles), count, len(writer.hashes), corpus_problems + problems,
                         time.perf_counter() - started, out, corpus_notes, writer.written, indexing, search_cpu)
    try:
        record = cache.Site.record(out, writer.hashes, previous if reuse else None, writer.kept)
    except OSError:
        record = {}
    store.save_site(out, cache.Site(
        cache.input_digest(files, out, index, base_url), record,
        {"articles": result.articles, "pages": result.pages, "problems": result.problems, "notes": result.notes},
        input_stats))
    store.save()
    return result


def _give_back() -> None:
    """Hand the memory freed so far back to the system where the C library keeps it for reuse
    (glibc's malloc_trim): Pagefind's processes run next, beside this one. Elsewhere, nothing."""
    try:
        import ctypes

        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        pass


class _Remover:
    """Deletes the previous site (after the swap, under the staging folder's name) on a thread of
    its own while the build records what it published and saves its cache. A build killed
    meanwhile leaves the folder to the next build (output.recover: its process is gone).
    build() waits for every such thread before it lets go of its lock (join_all), a build that
    failed after its swap included."""

    running: list = []  # the threads started and not yet joined by join_all

    def __init__(self) -> None:
        self.thread = None

    def start(self, folder: Path) -> None:
        import threading

        self.thread = threading.Thread(target=shutil.rmtree, args=(folder, True), daemon=False)
        self.thread.start()
        _Remover.running.append(self.thread)

    @staticmethod
    def join_all() -> None:
        while _Remover.running:
            _Remover.running.pop().join()


def _cpu() -> float:
    """CPU seconds of this process and of its children waited for (Pagefind's, the workers')."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _search_postings(store: cache.Store):
    """The offline index's postings (search.postings), kept between builds and updated by
    difference: when the docs are as many as the last build's and at most a quarter of them
    changed (their title and text), only the words of those docs, before and after, are posted
    again (search.postings_changed); the other docs' words are not even read (Store.touch)."""
    def counts(key: str, title: str, body: list[str]):
        found = store.get("search-words", key)
        if found is None:
            found = search.doc_counts(title, body)
            store.put("search-words", key, found)
        return found

    def postings_of(texts):
        keys = tuple(cache.digest(title, body) for title, body in texts)  # each doc's words' key
        kept = store.get("search-postings", "last")
        if isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], tuple) and isinstance(kept[1], dict) \
                and len(kept[0]) == len(keys):
            changed = [doc for doc, (before, now) in enumerate(zip(kept[0], keys)) if before != now]
            former = {doc: store.get("search-words", kept[0][doc]) for doc in changed} \
                if len(changed) <= len(keys) // 4 else {}
            if len(former) == len(changed) and all(isinstance(c, dict) for c in former.values()):
                for doc, key in enumerate(keys):
                    if doc not in former:
                        store.touch("search-words", key)  # kept for a later build, unread
                if not changed:
                    return kept[1]
                encoded = search.postings_changed(
                    kept[1], {doc: (former[doc], counts(keys[doc], *texts[doc])) for doc in changed})
                store.put("search-postings", "last", (keys, encoded))
                return encoded
        encoded = search.postings_of_counts([counts(key, *text) for key, text in zip(keys, texts)])
        store.put("search-postings", "last", (keys, encoded))
        return encoded
    return postings_of


def notes(corpus: Corpus, edition: Edition) -> list[str]:
    """What the curator should know about this build although nothing is wrong with the input."""
    found = []
    if not corpus.articles:
        found.append("sources/: no articles yet: put *.txt or *.html files there (see README, Content layout)")
    if not edition.settings.base_url:
        found.append(f"{SETTINGS_FILE}: base_url is empty: citations and permalinks will be relative to the archive "
                     "(set base_url, or pass --base-url URL for one build)")
    return found
