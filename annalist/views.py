"""Plain values for templates, computed from the corpus: pure functions, no I/O, no Jinja.

Templates stay HTML with little logic; everything they show is worked out here.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from . import urls
from .model import Annotated, Article, Corpus, Entity, Field, Mention

ORIGIN_LABELS = {
    "curator": "given by the curator",
    "text": "printed in the article",
    "metadata": "read from the page's HTML metadata",
    "capture": "recorded by the web archive's crawler",
    "inferred": "inferred by Annalist (a guess; check it)",
    "unknown": "unknown",
}
MONTHS = (
    "January February March April May June July August September October November December".split()
)


def human_date(iso: str | None) -> str:
    if not iso:
        return "date unknown"
    year, month, day = iso.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]} {year}"


def date_label(published: Field) -> str:
    """The date as a reader should see it: a guessed date says so."""
    text = human_date(published.value)
    if published.origin == "inferred":
        return f"{text} (inferred)"
    return text


UNKNOWN_OUTLET = "Unknown outlet"


def outlet_name(article: Article) -> str:
    return article.outlet.value or UNKNOWN_OUTLET


@dataclass(frozen=True)
class ArticleRow:
    id: str
    title: str
    outlet: str
    date: str
    path: str
    origin: str


def article_row(article: Article) -> ArticleRow:
    return ArticleRow(
        id=article.id,
        title=article.title,
        outlet=outlet_name(article),
        date=date_label(article.published),
        path=urls.article(article.id),
        origin=article.published.origin,
    )


def by_date(articles: Sequence[Article]) -> list[tuple[str, list[ArticleRow]]]:
    groups: dict[str, list[ArticleRow]] = defaultdict(list)
    dated = sorted((a for a in articles if a.published.value), key=lambda a: (a.published.value, a.id), reverse=True)
    undated = sorted((a for a in articles if not a.published.value), key=lambda a: a.id)
    for article in dated + undated:
        groups[human_date(article.published.value)].append(article_row(article))
    return list(groups.items())


def short_date(published: Field) -> str:
    """A compact date for tables: "27 Mar 2016", "27 Mar 2016 (inferred)", "undated"."""
    if not published.value:
        return "undated"
    year, month, day = published.value.split("-")
    text = f"{int(day)} {MONTHS[int(month) - 1][:3]} {year}"
    return f"{text} (inferred)" if published.origin == "inferred" else text


def article_labels(articles: Sequence[Article]) -> dict[str, tuple[str, str, str]]:
    """Article page path → (headline, date as shown, short date): what names an article where it is
    linked to, so that two articles of one outlet are told apart (date shown, headline on hover)."""
    return {urls.article(a.id): (a.title, date_label(a.published), short_date(a.published)) for a in articles}


def stories_of(corpus: Corpus) -> tuple:
    """The corpus's stories: as the pipeline grouped them when it did, else grouped here."""
    found = getattr(corpus, "stories", None)
    if found is not None:
        return tuple(found)
    from .stories import group

    return group([(item.article, item.mentions) for item in corpus.articles])


def story_labels(corpus: Corpus) -> dict[str, str]:
    """Article id → the name of its story for the search filter: the first report's headline and
    the number of articles. Stories of a single article are left out (no use as a filter)."""
    titles = {item.article.id: item.article.title for item in corpus.articles}
    labels: dict[str, str] = {}
    used: set[str] = set()
    for story in stories_of(corpus):
        if len(story.articles) < 2:
            continue
        label, n = f"{titles[story.articles[0]]} ({len(story.articles)} articles)", 2
        while label in used:  # two stories opened by the same headline
            label, n = f"{titles[story.articles[0]]} ({len(story.articles)} articles, {n})", n + 1
        used.add(label)
        labels.update((article_id, label) for article_id in story.articles)
    return labels


@dataclass(frozen=True)
class OutletSummary:
    name: str
    path: str
    articles: tuple[ArticleRow, ...]


def outlets(articles: Sequence[Article]) -> list[OutletSummary]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[urls.outlet(article.outlet.value)].append(article)
    summaries = []
    for path, members in groups.items():
        members.sort(key=lambda a: (a.published.value or "9999", a.id))
        summaries.append(OutletSummary(outlet_name(members[0]), path, tuple(article_row(a) for a in members)))
    return sorted(summaries, key=lambda s: (s.name == UNKNOWN_OUTLET, s.name.lower()))


@dataclass(frozen=True)
class FieldRow:
    name: str
    value: str
    origin: str
    origin_label: str
    note: str


def provenance_rows(article: Article) -> list[FieldRow]:
    rows = []
    for name, f in (
        ("Outlet", article.outlet),
        ("Published", article.published),
        ("Original URL", article.url),
        ("Language", article.language),
    ):
        value = human_date(f.value) if name == "Published" and f.value else (f.value or "unknown")
        rows.append(FieldRow(name, value, f.origin, ORIGIN_LABELS[f.origin], f.note))
    rows.append(FieldRow("Headline", article.title, article.title_origin, ORIGIN_LABELS[article.title_origin], article.title_note))
    if article.agency.value:
        note = article.agency.note + ("; republished by another outlet: its wording is the agency's, shared with other copies"
                                      if article.agency_copy else "")
        rows.append(FieldRow("Agency", article.agency.value, article.agency.origin, ORIGIN_LABELS[article.agency.origin], note))
    if article.author.value:
        rows.append(FieldRow("Author", article.author.value, article.author.origin, ORIGIN_LABELS[article.author.origin], article.author.note))
    c = article.capture
    if c is not None:
        version = f"version {c.version} of {c.versions} captures of this URL" if c.versions > 1 else "the only capture of this URL"
        digest = f"payload digest {c.digest} verified" if c.digest else "no payload digest recorded"
        rows.append(FieldRow("Web archive capture", f"{c.target_uri} at {c.date}", "capture", ORIGIN_LABELS["capture"],
                             f"record {c.record_id} at byte {c.offset:,} of {c.warc}; {version}; {digest}"))
    return rows


def redirect_page(target: str) -> str:
    """A page left at an id an article no longer has: it sends the reader (and the #anchor) on."""
    href = html.escape(target, quote=True)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Moved</title>\n'
        f'<link rel="canonical" href="{href}">\n<meta http-equiv="refresh" content="0; url={href}">\n'
        f"<script>location.replace({json.dumps(target)} + location.hash);</script>\n</head>\n"
        f'<body><p>This article has a new address: <a href="{href}">{href}</a>.</p></body>\n</html>\n'
    )


# --- entities -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kwic:
    """A keyword-in-context line: the words before, the mention, the words after."""

    before: str
    match: str
    after: str
    article: str
    outlet: str
    paragraph: int
    path: str
    date: str = ""  # the article's date as shown, so two articles of one outlet are told apart


def kwic(article: Article, mention: Mention, width: int = 60) -> Kwic:
    at = mention.paragraph - 1  # paragraphs are numbered from 1 in order: no scan per mention
    if 0 <= at < len(article.paragraphs) and article.paragraphs[at].n == mention.paragraph:
        text = article.paragraphs[at].text
    else:
        text = next(p.text for p in article.paragraphs if p.n == mention.paragraph)
    before = text[max(0, mention.start - width) : mention.start]
    after = text[mention.end : mention.end + width]
    before = ("…" + before.split(" ", 1)[-1]) if mention.start > width else before
    after = (after.rsplit(" ", 1)[0] + "…") if mention.end + width < len(text) else after
    return Kwic(
        before, text[mention.start : mention.end], after, article.title, outlet_name(article),
        mention.paragraph, urls.paragraph(article.id, mention.paragraph), date_label(article.published),
    )


@dataclass(frozen=True)
class EntityView:
    entity: Entity
    path: str
    mention_count: int
    article_count: int
    outlet_count: int
    names_by_outlet: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # outlet → ((name, count), ...)
    contexts: tuple[Kwic, ...]
    cooccurring: tuple[tuple[Entity, int], ...]  # other entities in the same paragraphs, most first


def entity_views(corpus: Corpus, max_cooccurring: int = 12) -> list[EntityView]:
    by_id = {e.id: e for e in corpus.entities}
    mentions: dict[str, list[tuple[Annotated, Mention]]] = defaultdict(list)
    paragraph_entities: dict[tuple[str, int], set[str]] = defaultdict(set)
    for item in corpus.articles:
        for m in item.mentions:
            if m.reviewed and m.entity in by_id:
                mentions[m.entity].append((item, m))
                paragraph_entities[(item.article.id, m.paragraph)].add(m.entity)
    views = []
    for entity in corpus.entities:
        found = mentions.get(entity.id, [])
        names: dict[str, Counter] = defaultdict(Counter)
        co: Counter = Counter()
        for item, m in found:
            names[outlet_name(item.article)][" ".join(m.text.split())] += 1
        for key in {(item.article.id, m.paragraph) for item, m in found}:
            co.update(paragraph_entities[key] - {entity.id})
        views.append(
            EntityView(
                entity=entity,
                path=urls.entity(entity.id),
                mention_count=len(found),
                article_count=len({item.article.id for item, _ in found}),
                outlet_count=len(names),
                names_by_outlet=tuple(
                    (outlet, tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))))
                    for outlet, counter in sorted(names.items())
                ),
                contexts=tuple(
                    kwic(item.article, m)
                    for item, m in sorted(found, key=lambda im: (im[0].article.id, im[1].paragraph, im[1].start))
                ),
                cooccurring=tuple(
                    (by_id[other], n) for other, n in sorted(co.items(), key=lambda kv: (-kv[1], kv[0]))[:max_cooccurring]
                ),
            )
        )
    return views


def entity_card(entity: Entity) -> dict:
    """What the hover/focus card shows; embedded as JSON in each article page."""
    return {
        "name": entity.name,
        "type": entity.type,
        "aliases": [a for a in entity.aliases if a != entity.name],
        "description": entity.description,
    }


# --- coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    paragraph: int
    path: str
    text: str
    shared_wording: bool


@dataclass(frozen=True)
class Claim:
    wording: str  # the shortest wording among the sentences that report it
    cells: tuple[tuple[str, tuple[Cell, ...]], ...]  # outlet name → where it says it, in outlet order
    outlet_count: int
    independent_count: int  # outlets whose wording is not shared copy of another's


def coverage(corpus: Corpus) -> tuple[list[str], list[Claim]]:
    """Claims × outlets. A claim is one sentence and the sentences directly linked to it (never
    chains of links, which would merge different facts). Claims reaching the most outlets are
    taken first; a sentence already shown in a claim does not start another."""
    articles = {item.article.id: item.article for item in corpus.articles}
    stars = []
    for item in corpus.articles:
        for ref in item.crossrefs:
            centre = (item.article.id, ref.paragraph, ref.text, False)
            members = [centre] + [(m.article, m.paragraph, m.text, m.shared_wording)
                                  for m in ref.matches if m.article in articles]
            stars.append(members)

    def reach(members) -> tuple:
        outlets = {outlet_name(articles[a]) for a, _, _, _ in members}
        return (-len(outlets), -len(members), members[0][:3])

    outlet_names = sorted({outlet_name(a) for a in articles.values()}, key=str.lower)
    used: set[tuple] = set()
    claims = []
    for members in sorted(stars, key=reach):
        if members[0][:3] in used:
            continue
        used.update(m[:3] for m in members)
        by_outlet: dict[str, list[Cell]] = defaultdict(list)
        for article_id, n, text, shared in sorted(set(members)):
            by_outlet[outlet_name(articles[article_id])].append(Cell(n, urls.paragraph(article_id, n), text, shared))
        independent = sum(1 for cells in by_outlet.values() if not all(c.shared_wording for c in cells))
        claims.append(Claim(
            wording=min((m[2] for m in members), key=lambda t: (len(t), t)),
            cells=tuple((o, tuple(by_outlet.get(o, ()))) for o in outlet_names),
            outlet_count=len(by_outlet),
            independent_count=independent,
        ))
    claims.sort(key=lambda c: (-c.outlet_count, -c.independent_count, c.wording))
    return outlet_names, claims
