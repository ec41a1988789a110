"""STORIES: group the articles of an archive into stories before any sentence is aligned.

    group([(article, mentions), ...], pins={article id: story slug}) -> (Story, ...)

A story is one event reported by one or more outlets. Articles are compared as documents
(content words and canonical entity ids, features.py) only when an inverted index says they
share distinctive tokens, never all pairs; publication dates, where printed or given by the
curator, keep reports weeks apart in separate stories (cluster.py). Cross-source footnotes then
link sentences within a story only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..model import Article, Mention, Story
from .cluster import JOIN_THRESHOLD, SMALL_THRESHOLD, NEAREST_THRESHOLD, THRESHOLD, agglomerate, similarities
from .features import documents

__all__ = ["CALIBRATION", "THRESHOLD", "group", "story_of"]

# The calibration and the figures measured on public data held out from it (bench_stories.py).
CALIBRATION: dict = json.loads(Path(__file__).with_name("calibration.json").read_text(encoding="utf-8"))


def _timeline_key(article: Article) -> tuple:
    return (article.published.value is None, article.published.value or "", article.id)


def group(
    items: Sequence[tuple[Article, Sequence[Mention]]],
    pins: Mapping[str, str] | None = None,
    threshold: float | None = None,
    counts_of=None,
    document_of=None,
    similarities_of=None,
) -> tuple[Story, ...]:
    """Every article in exactly one story; stories sorted by id. Deterministic.

    items:     (article, its mentions) for every article of the archive, in any order; mentions
               give the canonical entity ids (reviewed or "unreviewed:<slug>").
    pins:      article id → story slug, from the curator's `story:` key in sources.yaml. Articles
               pinned to one slug form one story of that id; articles pinned to different slugs
               are never grouped together; unpinned articles join a pinned story when they
               resemble it.
    threshold: mean document similarity at which two groups are one story (default: calibrated);
               a lone article joins a group at a proportionally lower bar (JOIN_THRESHOLD), and
               an article still alone or in a small group then joins its nearest neighbours' group at lower
               bars yet
               (NEAREST_THRESHOLD, SMALL_THRESHOLD, cluster.attach_small), all scaled alike.
    counts_of: see features.documents (the pipeline passes one that reuses earlier builds' counts);
               so are document_of, and similarities_of, which replaces cluster.similarities (same
               result; the pipeline's reuses the similarity of two documents that did not change).
    """
    pins = pins or {}
    ordered = sorted(items, key=lambda item: item[0].id)
    docs = documents(ordered, counts_of, document_of)
    labels = [pins.get(article.id) for article, _ in ordered]
    bar = THRESHOLD if threshold is None else threshold
    scale = bar / THRESHOLD
    groups = agglomerate(len(ordered), (similarities_of or similarities)(docs), labels, bar, scale * JOIN_THRESHOLD,
                         (scale * NEAREST_THRESHOLD, scale * SMALL_THRESHOLD))
    stories = []
    taken = {pin for pin in labels if pin}
    for members in groups:
        articles = sorted((ordered[i][0] for i in members), key=_timeline_key)
        pin = next((labels[i] for i in members if labels[i]), None)
        story_id = pin or _free(articles[0].id, taken)
        taken.add(story_id)
        stories.append(Story(story_id, tuple(a.id for a in articles), pinned=pin is not None))
    return tuple(sorted(stories, key=lambda s: s.id))


def _free(wanted: str, taken: set[str]) -> str:
    """The founding article's id, unless a curator's pin already names another story so."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted}-{n}" in taken:
        n += 1
    return f"{wanted}-{n}"


def story_of(stories: Sequence[Story]) -> dict[str, str]:
    """Article id → the id of its story."""
    return {article: story.id for story in stories for article in story.articles}
