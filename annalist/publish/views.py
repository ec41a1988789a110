"""Plain values for templates, computed from the corpus: pure functions, no I/O, no Jinja.

Templates stay HTML with little logic; everything they show is worked out here.
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .. import urls
from ..model import Annotated, Article, Corpus, Entity, Field, Mention, Story

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


def story_labels(corpus: Corpus) -> dict[str, str]:
    """Article id → the name of its story for the search filter: the first report's headline and
    the number of articles. Stories of a single article are left out (no use as a filter)."""
    titles = {item.article.id: item.article.title for item in corpus.articles}
    labels: dict[str, str] = {}
    used: set[str] = set()
    for story in corpus.stories:
        if len(story.articles) < 2:
            continue
        label, n = f"{titles[story.articles[0]]} ({len(story.articles)} articles)", 2
        while label in used:  # two stories opened by the same headline
            label, n = f"{titles[story.articles[0]]} ({len(story.articles)} articles, {n})", n + 1
        used.add(label)
        labels.update((article_id, label) for article_id in story.articles)
    return labels


# --- lists of articles, a page at a time ------------------------------------------------------
# No list page grows with the archive past what a browser opens at once (about 200 KB at most):
# the home page shows the latest articles and leads to a page per month and per outlet, each split
# into pages of ARTICLES_PER_PAGE. The first page keeps the address the whole list had before.

ARTICLES_PER_PAGE = 500  # rows of an outlet's or a month's list on one page
HOME_LATEST = 100  # the newest articles listed on the home page
UNDATED = "undated"  # the month key of articles whose date is not known


def chunks(items: Sequence, size: int) -> list[tuple]:
    """Items in pages of `size`; an empty list is one empty page."""
    return [tuple(items[i : i + size]) for i in range(0, len(items), size)] or [()]


@dataclass(frozen=True)
class Pager:
    """Where the pages of one list are, and which one is shown: numbered links, previous and next."""

    links: tuple[tuple[int, str], ...]  # (page number, path), every page of the list
    current: int

    @property
    def prev(self) -> str | None:
        return self.links[self.current - 2][1] if self.current > 1 else None

    @property
    def next(self) -> str | None:
        return self.links[self.current][1] if self.current < len(self.links) else None


def pager(paths: Sequence[str], current: int) -> Pager | None:
    """The pager of page `current` (from 1) of a list whose pages are at `paths`; None for a single page."""
    return Pager(tuple(enumerate(paths, 1)), current) if len(paths) > 1 else None


@dataclass(frozen=True)
class OutletSummary:
    name: str
    path: str
    articles: tuple[ArticleRow, ...]  # oldest first, undated last
    pages: tuple[tuple[str, tuple[ArticleRow, ...]], ...] = ()  # (path, rows) of each page; the first at `path`


def outlets(articles: Sequence[Article]) -> list[OutletSummary]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[urls.outlet(article.outlet.value)].append(article)
    summaries = []
    for path, members in groups.items():
        members.sort(key=lambda a: (a.published.value or "9999", a.id))
        rows = tuple(article_row(a) for a in members)
        pages = tuple((urls.outlet(members[0].outlet.value, n), chunk)
                      for n, chunk in enumerate(chunks(rows, ARTICLES_PER_PAGE), 1))
        summaries.append(OutletSummary(outlet_name(members[0]), path, rows, pages))
    return sorted(summaries, key=lambda s: (s.name == UNKNOWN_OUTLET, s.name.lower()))


@dataclass(frozen=True)
class Month:
    """The articles published in one month (or of unknown date), oldest first, a page at a time."""

    key: str  # "2016-03", or UNDATED
    label: str  # "March 2016", "Undated articles"
    path: str
    count: int
    pages: tuple[tuple[str, tuple[tuple[str, tuple[ArticleRow, ...]], ...]], ...]  # (path, ((day, rows), ...))

    @property
    def month_name(self) -> str:
        return self.label.split(" ")[0] if self.key != UNDATED else "undated articles"


def months(articles: Sequence[Article]) -> list[Month]:
    """Every month that has articles, oldest first, then the articles of unknown date. A month's
    address never changes as the archive grows (only its later pages fill up)."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        groups[a.published.value[:7] if a.published.value else UNDATED].append(a)
    found = []
    for key in sorted(groups, key=lambda k: (k == UNDATED, k)):
        members = sorted(groups[key], key=lambda a: (a.published.value or "", a.id))
        pages = []
        for n, chunk in enumerate(chunks(members, ARTICLES_PER_PAGE), 1):
            days: dict[str, list[ArticleRow]] = defaultdict(list)
            for a in chunk:
                days[human_date(a.published.value)].append(article_row(a))
            pages.append((urls.month(key, n), tuple((day, tuple(rows)) for day, rows in days.items())))
        label = "Undated articles" if key == UNDATED else f"{MONTHS[int(key[5:7]) - 1]} {key[:4]}"
        found.append(Month(key, label, urls.month(key), len(members), tuple(pages)))
    return found


def months_by_year(found: Sequence[Month]) -> list[tuple[str, list[Month]]]:
    """The months grouped by year, newest year first (months in calendar order); undated last."""
    years: dict[str, list[Month]] = defaultdict(list)
    for m in found:
        years[m.key[:4] if m.key != UNDATED else "Date unknown"].append(m)
    dated = sorted((y for y in years if y.isdigit()), reverse=True)
    return [(y, years[y]) for y in dated] + [(y, ms) for y, ms in years.items() if not y.isdigit()]


def latest(articles: Sequence[Article], count: int | None = None) -> list[tuple[str, list[ArticleRow]]]:
    """The `count` (HOME_LATEST) newest articles (undated ones after every dated one), grouped by day."""
    rows = [row for _, day in by_date(articles) for row in day][: count or HOME_LATEST]
    groups: dict[str, list[ArticleRow]] = defaultdict(list)
    dates = {a.id: human_date(a.published.value) for a in articles}
    for row in rows:
        groups[dates[row.id]].append(row)
    return list(groups.items())


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


# --- stories and coverage --------------------------------------------------------------------

CONTEXTS_PER_PAGE = 500  # an entity's mentions in context on one page (about 200 KB)
CLAIMS_PER_PAGE = 100  # rows of a claims × outlets matrix on one page, and disagreements on one page, at most
STORIES_PER_PAGE = 100  # rows of the coverage page's list of stories
# A story page's HTML, estimated (claim_bytes, ...), at most: its claims, with the header row of the
# columns and, on the first page, the outlets and the timeline; its disagreements. A story of many
# articles of unknown outlet has a column for each, and every filled cell quotes its sentence: such
# a story gets fewer claims a page. Measured at 10,000 articles by bench/bench_pages.py.
CLAIM_BYTES = 250_000
DISAGREEMENT_BYTES = 150_000


@dataclass(frozen=True)
class Column:
    """An outlet column. Each article of an unknown outlet is a column of its own."""

    key: str
    label: str
    path: str  # the outlet's page


def column(article: Article) -> Column:
    if article.outlet.value:
        return Column(article.outlet.value, article.outlet.value, urls.outlet(article.outlet.value))
    short = " ".join(article.title.split()[:4])
    return Column(f"unknown:{article.id}", f"{UNKNOWN_OUTLET} (“{short}…”)", urls.outlet(None))


@dataclass(frozen=True)
class Cell:
    paragraph: int
    path: str
    text: str
    shared_wording: bool


@dataclass(frozen=True)
class Claim:
    wording: str  # the shortest wording among the sentences that report it
    cells: tuple[tuple[str, tuple[Cell, ...]], ...]  # column key → where that outlet says it, in column order
    outlet_count: int
    independent_count: int  # outlets whose wording is not shared copy of another's


def claims(items: Sequence[Annotated]) -> tuple[list[Column], list[Claim]]:
    """Claims × outlets of these articles (one story). A claim is one sentence and the sentences
    directly linked to it (never chains of links, which would merge different facts). Claims
    reaching the most outlets are taken first; a sentence already shown in a claim does not start
    another. Columns count outlets: two unknown outlets are two columns."""
    articles = {item.article.id: item.article for item in items}
    stars = []
    for item in items:
        for ref in item.crossrefs:
            if not any(m.relation == "claim" for m in ref.matches):
                continue  # linked only to reports of the same event: not a claim others state
            centre = (item.article.id, ref.paragraph, ref.text, False)
            members = [centre] + [(m.article, m.paragraph, m.text, m.shared_wording)
                                  for m in ref.matches if m.article in articles and m.relation == "claim"]
            stars.append(members)

    def reach(members) -> tuple:
        outlets = {column(articles[a]).key for a, _, _, _ in members}
        return (-len(outlets), -len(members), members[0][:3])

    columns = sorted({column(a) for a in articles.values()}, key=lambda c: (c.key.startswith("unknown:"), c.label.lower(), c.key))
    used: set[tuple] = set()
    found = []
    for members in sorted(stars, key=reach):
        if members[0][:3] in used:
            continue
        used.update(m[:3] for m in members)
        by_outlet: dict[str, list[Cell]] = defaultdict(list)
        for article_id, n, text, shared in sorted(set(members)):
            by_outlet[column(articles[article_id]).key].append(Cell(n, urls.paragraph(article_id, n), text, shared))
        if len(by_outlet) < 2:
            continue  # one outlet repeating itself is not a claim other outlets report
        independent = sum(1 for cells in by_outlet.values() if not all(c.shared_wording for c in cells))
        found.append(Claim(
            wording=min((m[2] for m in members), key=lambda t: (len(t), t)),
            cells=tuple((c.key, tuple(by_outlet.get(c.key, ()))) for c in columns),
            outlet_count=len(by_outlet),
            independent_count=independent,
        ))
    found.sort(key=lambda c: (-c.outlet_count, -c.independent_count, c.wording))
    return columns, found


@dataclass(frozen=True)
class Side:
    outlet: str
    path: str  # the paragraph
    paragraph: int
    text: str


@dataclass(frozen=True)
class Disagreement:
    here: Side
    there: Side
    differences: tuple[str, ...]  # as alignment words them, from `here`'s point of view


def disagreements(items: Sequence[Annotated]) -> list[Disagreement]:
    """Linked sentences of different outlets that differ on numbers, names or dates; each pair once."""
    articles = {item.article.id: item.article for item in items}
    seen: set[tuple] = set()
    found = []
    for item in items:
        a = item.article
        for ref in item.crossrefs:
            for m in ref.matches:
                if not m.differences or m.article not in articles:
                    continue
                here, there = (a.id, ref.paragraph, ref.text), (m.article, m.paragraph, m.text)
                if (there, here) in seen:
                    continue
                seen.add((here, there))
                other = articles[m.article]
                found.append(Disagreement(
                    Side(column(a).label, urls.paragraph(a.id, ref.paragraph), ref.paragraph, ref.text),
                    Side(column(other).label, urls.paragraph(other.id, m.paragraph), m.paragraph, m.text),
                    m.differences,
                ))
    return found


@dataclass(frozen=True)
class TimelineRow:
    row: ArticleRow
    first: bool  # the earliest dated report of the story (none is marked when no report is dated)
    same_day_as_first: bool


@dataclass(frozen=True)
class StoryView:
    story: Story
    path: str
    title: str  # the headline of its first report
    first_date: str  # date label of the first report
    outlets: tuple[Column, ...]
    timeline: tuple[TimelineRow, ...]
    columns: tuple[Column, ...]
    pages: tuple[tuple[str, tuple[Claim, ...], tuple[Disagreement, ...]], ...]  # first page = the story page
    claim_count: int
    disagreement_count: int

    @property
    def article_count(self) -> int:
        return len(self.story.articles)


def _bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def claim_bytes(claim: Claim) -> int:
    """Estimated HTML of a claim's row: a cell per column, each filled one linking its paragraph and
    quoting its sentence (in the link's title, with the headline)."""
    size = 150 + _bytes(claim.wording)
    for _, cells in claim.cells:
        size += sum(300 + _bytes(c.text) for c in cells) if cells else 70
    return size


def disagreement_bytes(d: Disagreement) -> int:
    return 700 + _bytes(d.here.text) + _bytes(d.there.text) + sum(_bytes(x) for x in d.differences)


def fill(items: Sequence, weight, budget: int, most: int, used_first: int = 0, used: int = 0) -> list[tuple]:
    """Items in pages, in order: a new page when this one holds `most` items or the next item's
    weight would take it past `budget` (`used` already taken on every page, `used_first` on the
    first). Every page holds at least one item; no items: one empty page."""
    pages: list[tuple] = []
    page: list = []
    size = used_first + used
    for item in items:
        w = weight(item)
        if page and (len(page) >= most or size + w > budget):
            pages.append(tuple(page))
            page, size = [], used
        page.append(item)
        size += w
    if page or not pages:
        pages.append(tuple(page))
    return pages


def story_view(story: Story, items: Sequence[Annotated]) -> StoryView:
    """`items`: the story's articles, in the story's timeline order."""
    first = items[0].article
    columns, found = claims(items)
    differ = disagreements(items)
    header = sum(120 + _bytes(c.label) for c in columns)  # the columns' header row, on every page
    intro = sum(400 + 2 * _bytes(item.article.title) for item in items)  # outlets and timeline, first page
    claim_pages = fill(found, claim_bytes, CLAIM_BYTES, CLAIMS_PER_PAGE, intro, header)
    differ_pages = fill(differ, disagreement_bytes, DISAGREEMENT_BYTES, CLAIMS_PER_PAGE)
    count = max(len(claim_pages), len(differ_pages))
    pages = tuple(
        (urls.story(story.id, n + 1), claim_pages[n] if n < len(claim_pages) else (),
         differ_pages[n] if n < len(differ_pages) else ())
        for n in range(count)
    )
    outlets: dict[str, Column] = {}
    for item in items:
        outlets.setdefault(column(item.article).key, column(item.article))
    timeline = tuple(
        TimelineRow(article_row(item.article), i == 0 and first.published.value is not None,
                    i > 0 and first.published.value is not None and item.article.published.value == first.published.value)
        for i, item in enumerate(items)
    )
    return StoryView(
        story=story, path=urls.story(story.id), title=first.title, first_date=date_label(first.published),
        outlets=tuple(outlets.values()), timeline=timeline, columns=tuple(columns), pages=pages,
        claim_count=len(found), disagreement_count=len(differ),
    )


def story_views(corpus: Corpus, view=story_view) -> list[StoryView]:
    """`view`: story_view, or one that gives the same (the pipeline's keeps them between builds)."""
    by_id = {item.article.id: item for item in corpus.articles}
    return [view(s, [by_id[a] for a in s.articles if a in by_id]) for s in corpus.stories]


def coverage_pages(views: Sequence[StoryView]) -> list[tuple[str, list[StoryView]]]:
    """The list of stories, most outlets first, split into pages a browser opens at once."""
    ordered = sorted(views, key=lambda v: (-len(v.outlets), -v.article_count, -v.claim_count, v.story.id))
    chunks = [ordered[i : i + STORIES_PER_PAGE] for i in range(0, len(ordered), STORIES_PER_PAGE)] or [[]]
    return [(urls.coverage(page), chunk) for page, chunk in enumerate(chunks, 1)]
