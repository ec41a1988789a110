"""Article ids: the one function that makes them, and the rule for collisions."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import replace

from ..model import Article, Problem
from ..text import slugify

SOURCES_DIR = "sources"


def article_id(outlet: str | None, published: str | None, title: str) -> str:
    """`<published>-<outlet>-<headline>`, each part slugified, unknown parts left out.

    Depends only on the article's own metadata, never on which other articles exist.
    """
    parts = [published or "", slugify(outlet or "", max_length=30), slugify(title) or "untitled"]
    return "-".join(p for p in parts if p)


def disambiguate(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """Articles sharing an id all get `-<first 8 hex of sha256>`; a warning names each."""
    by_id: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_id[article.id].append(article)
    out: list[Article] = []
    problems: list[Problem] = []
    for same in by_id.values():
        if len(same) == 1:
            out += same
            continue
        for article in same:
            others = ", ".join(a.source_file for a in same if a is not article)
            new_id = f"{article.id}-{article.sha256[:8]}"
            if sum(a.sha256 == article.sha256 for a in same) > 1:  # byte-identical copies
                new_id += "-" + hashlib.sha256(article.source_file.encode()).hexdigest()[:8]
            problems.append(Problem(
                f"{SOURCES_DIR}/{article.source_file}",
                f"id {article.id!r} is also the id of {others}; this one is {new_id!r} (pin an id in sources.yaml to choose)",
                severity="warning",
            ))
            out.append(replace(article, id=new_id))
    return sorted(out, key=lambda a: a.id), problems
