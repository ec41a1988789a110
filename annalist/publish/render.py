"""Jinja2: every page's data, made page by page as the writer asks for it (site_pages), then its HTML.

A page is (path from the site root, template, context). Templates get `link(path)`, which makes
the relative link from the page being rendered (see urls.py), and plain values from views.py.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markupsafe import Markup

from .. import markdown, urls
from . import cite, search, views
from ..config import Edition
from ..model import Annotated, Corpus, Problem


@dataclass(frozen=True)
class Page:
    path: str  # from the site root
    template: str
    context: dict = field(default_factory=dict)


class Deferred:
    """A page whose context is made only when asked for (`context`), with the values it is made
    of (`inputs`): a writer that kept the page under a key of its inputs links it without making
    its context (a rebuild skips the ~10,000 pages of names awaiting review that did not change).
    `inputs` must hold everything the context is made of besides the code."""

    __slots__ = ("path", "template", "inputs", "_make", "_context")

    def __init__(self, path: str, template: str, inputs: tuple, make) -> None:
        self.path, self.template, self.inputs, self._make, self._context = path, template, inputs, make, None

    @property
    def context(self) -> dict:
        if self._context is None:
            self._context = self._make()
        return self._context


@pass_context
def _link(ctx, to_path: str) -> str:
    return urls.relative(ctx["page_path"], to_path)


def jinja_env(templates_dirs: Path | list[Path]) -> Environment:
    """Templates looked up in order: an archive's own folder first, then the package's."""
    dirs = templates_dirs if isinstance(templates_dirs, list) else [templates_dirs]
    env = Environment(
        loader=FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one reading of each template (not a stat of its file per page)
    )
    env.globals["link"] = _link
    env.filters["pagefind_label"] = search.pagefind_label  # filter values: Pagefind's UI shows them as HTML
    return env


def json_for_script(value) -> Markup:
    """JSON safe to embed in <script type="application/json">: no '<', '>' or '&' survive raw."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Markup(cite.script_safe_json(text))


def _common(edition: Edition) -> dict:
    return {
        "site": edition.settings,
        "build_date": edition.build_date,
        "build_date_human": views.human_date(edition.build_date),
    }


KEPT_CITATIONS: dict[str, tuple[tuple, dict[str, str]]] = {}
"""Article id → (cite.cited of it, its formatted citations) kept by an earlier build: the
pipeline fills it for the pages it is about to render (before forking the workers that render
them), so that a rebuild rendering one edited page need not compile the citation styles (0.3 s)."""


def _citations(article, ctx: cite.CiteContext) -> dict[str, str]:
    """cite.citations, or the kept text when what the citations say of the article is the same
    (cite.cited: the formatted entries are made of it and of the styles, which are code)."""
    kept = KEPT_CITATIONS.get(article.id)
    if kept is not None and kept[0] == cite.cited(article, ctx):
        return kept[1]
    return cite.citations(article, ctx)


def article_page(item: Annotated, corpus: Corpus, edition: Edition,
                 labels: dict[str, tuple[str, str, str]] | None = None,
                 stories: dict[str, str] | None = None,
                 story_link: dict | None = None,
                 candidates: frozenset[str] | None = None) -> tuple[Page, list[Problem]]:
    """`story_link`: the path and title of the article's story page, and how many other articles it has;
    `candidates`: the slugs of the names awaiting review (candidate_slugs)."""
    article = item.article
    path = urls.article(article.id)
    by_id = {e.id: e for e in corpus.entities}
    if labels is None:
        labels = views.article_labels([i.article for i in corpus.articles])
    if candidates is None:
        candidates = candidate_slugs(corpus)
    renv = markdown.RenderEnv(page=path, entities=by_id, articles=labels, candidates=candidates)
    body = Markup(markdown.render(item.markdown, renv))
    problems = [
        Problem(f"articles/{article.id}.md", f"unknown entity id {eid!r} in the annotated Markdown", severity="warning")
        for eid in sorted(set(renv.unknown_entities))
    ]
    used = sorted({m.entity for m in item.mentions if m.reviewed and m.entity in by_id})
    ctx = cite.CiteContext.of(article.id, edition)
    filters = [{"name": "entity", "value": by_id[e].name} for e in used]
    story = (stories if stories is not None else views.story_labels(corpus)).get(article.id)
    if story:
        filters.append({"name": "story", "value": story})
    context = {
        "title": article.title,
        "lang": article.language.value or edition.settings.language,
        "section": "article",
        "article": article,
        "outlet": views.outlet_name(article),
        "outlet_path": urls.outlet(article.outlet.value),
        "date": views.date_label(article.published),
        "body": body,
        "markdown_path": urls.article_markdown(article.id),
        "markdown_origin": item.markdown_origin,
        "json_path": urls.article_json(article.id),
        "source_path": urls.source(article.original),
        "provenance": views.provenance_rows(article),
        "cards": json_for_script({eid: views.entity_card(by_id[eid]) for eid in used}) if used else "",
        "search_filters": filters,
        "meta_tags": cite.meta_tags(article, ctx),
        "json_ld": Markup(cite.json_ld(article, ctx)),
        "coins": cite.coins(article, ctx),
        "citations": {k: Markup(v) for k, v in _citations(article, ctx).items()},
        "cite_files": {fmt: urls.citation(article.id, fmt) for fmt in urls.CITATION_FORMATS},
        "permalink": ctx.permalink,
        "story": story_link,
    }
    return Page(path, "article.html", context), problems


def about_page(corpus: Corpus) -> Page:
    from ..crossref import CALIBRATION

    model = CALIBRATION["lexical"]
    held = model["measured"]["held_out"]
    event = CALIBRATION["event"]["measured"]["held_out"]  # claim and same-event links together
    cv = CALIBRATION["cross_validation"]["pooled"]  # the same, five folds by topic, pooled
    method = (
        "Articles are first grouped into stories; within a story, each sentence is compared with the "
        "sentences of the other articles that share specific evidence with it: a name, an entity, a "
        "quantity or rare words (sentences made only of common news wording, such as \u201cdeclined to "
        "comment\u201d or contact lines, are never linked). A link means the other sentence states the same "
        "fact; it may give a different figure for it, which is then shown as a disagreement, while a hedge "
        "(\u201caround 400\u201d against \u201c400\u201d) is shown as a difference of precision and two "
        "spellings of one name as terminology. The score weighing that evidence was fitted on public "
        "labelled data, ECB+ (Cybulska & Vossen, 2014), on its odd-numbered topics, and measured on the "
        f"even-numbered topics it was not fitted on: {held['pairs']:,} sentence pairs, of which "
        f"{held['positives']:,} report the same event. There, {held['precision']:.0%} of links join sentences "
        f"about the same event (precision), {held['recall']:.0%} of such pairs are linked (recall), and "
        f"{held['hard_negatives_linked']:.1%} of pairs from two different stories of the same kind are linked. "
        "A second, looser kind of link is shown apart, marked \u201creports the same event\u201d: the other "
        "sentence reports the same event of the story (the same thing happening, named by the same word, "
        "with no date that contradicts it) without stating the same fact. Counting both kinds, on the same "
        f"held-out pairs, {event['precision']:.0%} of links join sentences about the same event, "
        f"{event['recall']:.0%} of such pairs are linked, and {event['hard_negatives_linked']:.1%} of pairs from "
        "two different stories of the same kind. "
        f"Re-run on other divisions of the same data by topic (five parts, each measured by the method tuned "
        f"on the other four), {cv['precision']:.0%} of links join sentences about the same event and "
        f"{cv['recall']:.0%} of such pairs are linked: the figures depend on the kind of stories an archive holds. "
        "These are the method's figures on that public data, not a measurement of this archive: expect few "
        "wrong links and many unlinked restatements. Near-verbatim passages (agency copy, an outlet reusing "
        "its own story) are labelled as shared wording and not counted as independent confirmation."
    )
    return Page("about.html", "about.html", {
        "title": "About", "section": "about", "article_count": len(corpus.articles), "crossref_method": method,
        "stories_method": stories_method(corpus),
    })


def stories_method(corpus: Corpus) -> str:
    """How stories are formed and what that was measured to give, on public data only."""
    from ..stories import CALIBRATION

    ecb, news = CALIBRATION["held_out"]["ecbplus"], CALIBRATION["held_out"]["multinews"]
    count = len(corpus.stories)
    return (
        f"Before any sentence is compared, the articles are grouped into {count} "
        f"stor{'y' if count == 1 else 'ies'}, each one event reported by one or more outlets: articles that "
        "share distinctive words, named entities and numbers, published within days of each other where "
        "dates are known, form one story; the curator can pin or split stories. Footnotes link sentences "
        "within a story only. On public labelled collections this grouping was not tuned on (ECB+ topics "
        f"{ecb['topics']}, where each topic holds two different events of the same kind, and Multi-News clusters "
        f"{news['clusters']}), two articles put in one story belong to one real story in {ecb['precision']:.0%} "
        f"and {news['precision']:.0%} of pairs, and {ecb['recall']:.0%} and {news['recall']:.0%} of the pairs "
        "that do are put together. These are figures of the method on that public data, not measurements "
        "of this archive."
    )


TYPE_LABELS = {"person": "People", "place": "Places", "organisation": "Organisations", "group": "Groups"}


def _authority_links(entity) -> list[dict]:
    links = []
    if entity.wikidata:
        links.append({"label": "Wikidata", "id": entity.wikidata, "url": f"https://www.wikidata.org/wiki/{entity.wikidata}"})
    if entity.geonames:
        links.append({"label": "GeoNames", "id": entity.geonames, "url": f"https://www.geonames.org/{entity.geonames}"})
    return links


def entity_pages(corpus: Corpus) -> Iterator[Page]:
    entity_views = views.entity_views(corpus)
    for v in entity_views:  # every mention in context, CONTEXTS_PER_PAGE a page; the first page is the entity's
        parts = views.chunks(v.contexts, views.CONTEXTS_PER_PAGE)
        paths = [urls.entity(v.entity.id, n) for n in range(1, len(parts) + 1)]
        for n, (path, contexts) in enumerate(zip(paths, parts), 1):
            yield Page(path, "entity.html", {
                "title": v.entity.name if n == 1 else f"{v.entity.name}: mentions, page {n} of {len(parts)}",
                "section": "entities", "view": v, "authority_links": _authority_links(v.entity),
                "contexts": contexts, "page_number": n, "pager": views.pager(paths, n),
                "offset": (n - 1) * views.CONTEXTS_PER_PAGE,
            })
    by_type = [
        (t, sorted((v for v in entity_views if v.entity.type == t), key=lambda v: (-v.mention_count, v.entity.name)))
        for t in TYPE_LABELS
    ]
    yield Page(urls.entities_index(), "entities.html", {
        "title": "Entities", "section": "entities", "by_type": [(t, vs) for t, vs in by_type if vs],
        "type_labels": TYPE_LABELS, "candidate_count": len(corpus.candidates),
    })


_SLUGS: dict[int, tuple[tuple, frozenset[str]]] = {}


def candidate_slugs(corpus: Corpus) -> frozenset[str]:
    """The slugs of the names awaiting review: each has its page (urls.unreviewed). Once per corpus."""
    from ..entities.discover import candidate_slug

    kept = _SLUGS.get(id(corpus.candidates))
    if kept is None or kept[0] is not corpus.candidates:
        _SLUGS.clear()
        _SLUGS[id(corpus.candidates)] = kept = (corpus.candidates, frozenset(candidate_slug(c.name) for c in corpus.candidates))
    return kept[1]


def forget() -> None:
    """Let go of what was kept for the last corpus (candidate_slugs, _entry_inputs): the build is done with it."""
    _SLUGS.clear()
    _INPUTS.clear()


_INPUTS: dict[int, tuple[tuple, dict[str, tuple]]] = {}


def _entry_inputs(corpus: Corpus) -> dict[int, tuple]:
    """id(name) → everything _review_entry makes of it but the number of contexts shown: the name, its
    suggested merge, the first context of the name it would merge into, and whether that name has
    a page. One tuple per name and corpus (a writer may digest each once: review and own page)."""
    from ..entities.discover import candidate_slug

    kept = _INPUTS.get(id(corpus.candidates))
    if kept is None or kept[0] is not corpus.candidates:
        merges = {m.name: m for m in corpus.merges}
        by_name = {c.name: c for c in corpus.candidates}
        slugs = candidate_slugs(corpus)
        found = {}
        for c in corpus.candidates:
            merge = merges.get(c.name)
            into = by_name.get(merge.into) if merge else None
            has_page = None if merge is None or merge.into_id else candidate_slug(merge.into) in slugs
            found[id(c)] = (c, merge, into.contexts[0] if into else None, has_page)
        _INPUTS.clear()
        _INPUTS[id(corpus.candidates)] = kept = (corpus.candidates, found)
    return kept[1]


UNREVIEWED_TEMPLATE = "unreviewed.html"  # provisional pages: left out of the sitemap
UNREVIEWED_CONTEXTS = 100  # a name's mentions in context on its own page, at most (the review list shows 5)
REVIEW_CONTEXTS = 5


def _review_entry(c, merges: dict, by_name: dict, slugs: frozenset[str], contexts: int) -> dict:
    """What the review list and a name's own page show of a name awaiting review. Links go to pages
    whose address depends on a name alone (its page; a record's entity page), never to a review
    page's number."""
    from ..entities.discover import candidate_slug

    merge = merges.get(c.name)
    into = by_name.get(merge.into) if merge else None
    slug = candidate_slug(c.name)
    if merge is None:
        merge_href = None
    elif merge.into_id:
        merge_href = urls.entity(merge.into_id)
    else:
        target = candidate_slug(merge.into)
        merge_href = urls.unreviewed(target) if target in slugs else urls.entities_review()
    return {
        "name": c.name, "slug": slug, "path": urls.unreviewed(slug), "count": c.count, "type_guess": c.type_guess,
        "articles": c.articles, "outlets": c.outlets, "spellings": c.spellings if len(c.spellings) > 1 else (),
        "ambiguous": c.ambiguous, "contexts": c.contexts[:contexts], "more": max(0, len(c.contexts) - contexts),
        "merge": merge, "merge_context": into.contexts[0] if into else None, "merge_href": merge_href,
        "yaml": _stanza(c, merge),
    }


_STANZAS: dict[tuple, str] = {}


def _stanza(c, merge) -> str:
    """decision_yaml, once per name and build (the review list and the name's page show the same)."""
    from ..entities import decision_yaml

    key = (c, merge)
    if key not in _STANZAS:
        if len(_STANZAS) > 100_000:  # a long `annalist serve` session: no unbounded growth
            _STANZAS.clear()
        _STANZAS[key] = decision_yaml(c, merge)
    return _STANZAS[key]


def unreviewed_pages(corpus: Corpus) -> Iterator[Page]:
    """A page per name awaiting review (entities/unreviewed/<slug>.html): what an article's
    unreviewed name links to. Its address and its content depend on that name alone (its
    mentions, its suggested merge), so a name coming or going elsewhere changes no other page.
    Two names of one slug ("AT&T", "AT-T") share the page."""
    from ..entities.discover import candidate_slug

    merges = {m.name: m for m in corpus.merges}
    by_name = {c.name: c for c in corpus.candidates}
    slugs = candidate_slugs(corpus)
    grouped: dict[str, list] = {}
    for c in corpus.candidates:
        grouped.setdefault(candidate_slug(c.name), []).append(c)
    inputs = _entry_inputs(corpus)

    def page(slug: str, names: list) -> Deferred:
        return Deferred(urls.unreviewed(slug), UNREVIEWED_TEMPLATE,
                        (UNREVIEWED_CONTEXTS, *(inputs[id(c)] for c in names)), lambda: {
            "title": f"{names[0].name}: a name awaiting review", "section": "entities",
            "candidates": [_review_entry(c, merges, by_name, slugs, UNREVIEWED_CONTEXTS) for c in names],
        })

    return (page(slug, names) for slug, names in grouped.items())


def review_pages(corpus: Corpus) -> Iterator[Page]:
    """The names awaiting review, PER_PAGE a page, most outlets and mentions first, each with its
    suggested merge, evidence and the stanza for content/curation.yaml."""
    from ..entities.review import PER_PAGE, pages

    merges = {m.name: m for m in corpus.merges}
    by_name = {c.name: c for c in corpus.candidates}
    slugs = candidate_slugs(corpus)
    count = pages(len(corpus.candidates), PER_PAGE)
    inputs = _entry_inputs(corpus)

    def context(page: int, shown) -> dict:
        candidates = [_review_entry(c, merges, by_name, slugs, REVIEW_CONTEXTS) for c in shown]
        pager = [{"n": n, "path": urls.entities_review(n), "current": n == page} for n in range(1, count + 1)]
        return {
            "title": "Names awaiting review" + (f" (page {page} of {count})" if page > 1 else ""),
            "section": "entities", "candidates": candidates, "total": len(corpus.candidates),
            "merge_count": len(corpus.merges), "page_number": page, "page_count": count,
            "first": (page - 1) * PER_PAGE + 1, "pager": pager if count > 1 else [],
        }

    for page in range(1, count + 1):
        shown = corpus.candidates[(page - 1) * PER_PAGE:page * PER_PAGE]
        yield Deferred(urls.entities_review(page), "review.html",
                       (page, count, PER_PAGE, REVIEW_CONTEXTS, len(corpus.candidates), len(corpus.merges),
                        *(inputs[id(c)] for c in shown)),
                       functools.partial(context, page, shown))


def story_pages(corpus: Corpus, labels: dict[str, tuple[str, str, str]], view=views.story_view) -> Iterator[Page]:
    """A page per story (its claims split over further pages when many), and the coverage pages:
    the list of stories. Each is made of its story's view (`view`: views.story_view, or one that
    gives the same) and a few numbers: deferred pages with those as inputs."""
    story_views = views.story_views(corpus, view)

    def story_context(v, n: int) -> dict:
        total = len(v.pages)
        before = v.pages[:n - 1]  # pages hold as many rows as fit (views.story_view)
        _, chunk, differ = v.pages[n - 1]
        return {
            "title": v.title if n == 1 else f"{v.title} (page {n} of {total})",
            "section": "coverage", "view": v, "claims": chunk, "disagreements": differ, "page_number": n,
            "article_labels": labels,
            "offset": sum(len(c) for _, c, _ in before), "differ_offset": sum(len(d) for _, _, d in before),
            "pager": views.pager([p for p, _, _ in v.pages], n),
        }

    for v in story_views:
        for n, (path, _, _) in enumerate(v.pages, 1):
            yield Deferred(path, "story.html", (v, n, labels), functools.partial(story_context, v, n))
    yield from story_aliases(corpus)
    listing = views.coverage_pages(story_views)

    def coverage_context(n: int, chunk: list) -> dict:
        return {
            "title": "Coverage" if n == 1 else f"Coverage, page {n} of {len(listing)}",
            "section": "coverage", "stories": chunk, "page_number": n,
            "pager": views.pager([p for p, _ in listing], n),
            "story_count": len(story_views), "article_count": len(corpus.articles),
            "offset": (n - 1) * views.STORIES_PER_PAGE,
        }

    for n, (path, chunk) in enumerate(listing, 1):
        yield Deferred(path, "coverage.html", (n, len(listing), len(story_views), len(corpus.articles), *chunk),
                       functools.partial(coverage_context, n, chunk))


ALIAS_TEMPLATE = "story_alias.html"


def story_aliases(corpus: Corpus) -> list[Page]:
    """stories/<article id>.html for every article that is not its story's first report, leading
    to its story. A story's URL is its first report's id; should an earlier report join the story
    later, or two stories merge, the URL published before still leads to the story holding that
    report, for as long as the report is in the archive."""
    titles = {item.article.id: item.article.title for item in corpus.articles}
    taken = {s.id for s in corpus.stories}
    pages = []
    for story in corpus.stories:
        for article_id in story.articles:
            if article_id in taken:
                continue
            pages.append(Page(urls.story(article_id), ALIAS_TEMPLATE, {
                "title": f"Story of “{titles.get(article_id, article_id)}”", "section": "coverage",
                "target": urls.story(story.id), "target_title": titles.get(story.articles[0], story.id),
                "article_path": urls.article(article_id), "article_title": titles.get(article_id, article_id),
            }))
    return pages


def _article_page_in_story(item: Annotated, story_links: dict, **kwargs) -> tuple[Page, list[Problem]]:
    return article_page(item, story_link=story_links.get(item.article.id), **kwargs)


def site_pages(corpus: Corpus, edition: Edition, map=map, story_view=views.story_view) -> tuple[Iterator[Page], list[Problem]]:
    """Every page of the site, with its data; nothing written yet. Article pages are made with
    `map` (the pipeline passes an order-keeping parallel one: annalist/parallel.py) before this
    returns; the others as they are asked for, so a writer holds one page's data at a time (at
    10,000 articles, all of them held at once took hundreds of MB)."""
    articles = [item.article for item in corpus.articles]
    outlets = views.outlets(articles)
    pages: list[Page] = []
    problems: list[Problem] = []
    labels = views.article_labels(articles)
    stories = views.story_labels(corpus)
    titles = {item.article.id: item.article.title for item in corpus.articles}
    story_links = {
        a: {"path": urls.story(s.id), "title": titles.get(s.articles[0], s.id), "others": len(s.articles) - 1}
        for s in corpus.stories for a in s.articles
    }
    make_page = functools.partial(_article_page_in_story, story_links=story_links, corpus=corpus, edition=edition,
                                  labels=labels, stories=stories, candidates=candidate_slugs(corpus))
    for page, found in map(make_page, corpus.articles):
        pages.append(page)
        problems.extend(found)
    return itertools.chain(pages, _other_pages(corpus, articles, outlets, labels, story_view)), problems


def _other_pages(corpus: Corpus, articles: list, outlets: list, labels: dict,
                 story_view=views.story_view) -> Iterator[Page]:
    months = views.months(articles)
    latest = views.latest(articles)
    yield (
        Page(
            urls.home(),
            "index.html",
            {
                "title": "Articles",
                "section": "home",
                "latest": latest,
                "latest_count": sum(len(rows) for _, rows in latest),
                "by_month": views.months_by_year(months),
                "outlets": outlets,
                "article_count": len(articles),
                "entity_count": len(corpus.entities),
            },
        )
    )
    yield from list_pages(outlets, months)
    yield Page("search.html", "search.html", {"title": "Search", "section": "search"})
    yield Page("404.html", "404.html", {"title": "Page not found", "section": ""})
    yield about_page(corpus)
    yield from entity_pages(corpus)
    yield from review_pages(corpus)
    yield from unreviewed_pages(corpus)
    yield from story_pages(corpus, labels, story_view)


def list_pages(outlets: list[views.OutletSummary], months: list[views.Month]) -> list[Page]:
    """Every outlet's articles and every month's, ARTICLES_PER_PAGE a page; a month's pages also
    lead to the months before and after it."""
    pages = []
    for o in outlets:
        paths = [path for path, _ in o.pages]
        for n, (path, rows) in enumerate(o.pages, 1):
            pages.append(Page(path, "outlet.html", {
                "title": o.name if n == 1 else f"{o.name}, page {n} of {len(paths)}", "section": "home",
                "outlet": o, "rows": rows, "page_number": n, "pager": views.pager(paths, n),
                "offset": (n - 1) * views.ARTICLES_PER_PAGE,
            }))
    for i, m in enumerate(months):
        paths = [path for path, _ in m.pages]
        for n, (path, days) in enumerate(m.pages, 1):
            pages.append(Page(path, "month.html", {
                "title": m.label if n == 1 else f"{m.label}, page {n} of {len(paths)}", "section": "home",
                "month": m, "days": days, "page_number": n, "pager": views.pager(paths, n),
                "offset": (n - 1) * views.ARTICLES_PER_PAGE, "shown": sum(len(rows) for _, rows in days),
                "earlier": months[i - 1] if i > 0 else None,
                "later": months[i + 1] if i + 1 < len(months) else None,
            }))
    return pages


def render_page(env: Environment, page: Page, edition: Edition) -> str:
    """One page's HTML."""
    return env.get_template(page.template).render(**_common(edition), **page.context, page_path=page.path)
