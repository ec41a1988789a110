"""Article ids: the one function that makes them, and the rule for collisions."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import replace

from ..model import Article, Problem
from ..text import slugify

SOURCES_DIR = "sources"
MAX_NAME_CHARS = 100
"""Longest file or folder name published as it is; longer names are shortened (file systems
allow 255 bytes, and a published original gets `.txt` added)."""
EXECUTABLE_SUFFIXES = (".html", ".htm")
"""Originals a browser would run as a page: published with `.txt` added, so they show as text."""
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_EXTENSION = re.compile(r"[A-Za-z0-9]{1,10}")


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


def safe_name(name: str) -> str:
    """A file or folder name that is safe in a URL and on any file system, from any name.

    A name already made of ASCII letters, digits, '.', '_' and '-' (starting with a letter or
    digit, no '..', at most MAX_NAME_CHARS) is kept exactly, so published links never change.
    Any other name is slugified and given the first 8 hex digits of the SHA-256 of the name as
    received, so two names that slugify alike still differ: "a b.txt" → "a-b-2bd35b3a.txt".
    Pure: depends on the name alone, never on which other files exist.
    """
    if _SAFE_NAME.fullmatch(name) and ".." not in name and len(name) <= MAX_NAME_CHARS:
        return name
    stem, dot, extension = name.rpartition(".")
    if not (dot and stem.strip(".") and _EXTENSION.fullmatch(extension)):
        stem, extension = name, ""
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    base = slugify(stem, max_length=MAX_NAME_CHARS - 20) or "file"
    return f"{base}-{digest}" + (f".{extension.lower()}" if extension else "")


def original_path(source_file: str) -> str:
    """Where the untouched original of `source_file` (relative to content/sources/, POSIX) is
    published, relative to the site's sources/ folder: every part made safe by safe_name, and
    `.txt` added to HTML pages so that no browser ever runs them (they are shown as plain text).
    """
    parts = [safe_name(part) for part in source_file.split("/")]
    if source_file.lower().endswith(EXECUTABLE_SUFFIXES):
        parts[-1] += ".txt"
    return "/".join(parts)


def original_paths(source_files: list[str]) -> dict[str, str]:
    """original_path of each file, with the rare clashes resolved deterministically: names
    that differ only in case (one file on macOS and Windows disks) or that meet after
    shortening; each later one, in sorted order, gets the hash of its full path added."""
    taken: dict[str, str] = {}
    out: dict[str, str] = {}
    for source_file in sorted(source_files):
        path = original_path(source_file)
        if path.casefold() in taken:
            digest = hashlib.sha256(source_file.encode("utf-8", "surrogatepass")).hexdigest()[:12]
            head, _, last = path.rpartition("/")
            stem, dot, extension = last.partition(".")
            path = (f"{head}/" if head else "") + f"{stem}-{digest}{dot}{extension}"
        taken[path.casefold()] = source_file
        out[source_file] = path
    return out
