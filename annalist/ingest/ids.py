"""Article ids: the one function that makes them, the rule for collisions, and the record of published ids.

Permanent URLs. An article's id is made once, from its metadata when it is first built, and then
recorded in content/ids.yaml (source → id). Every later build takes the recorded id, whatever a
curator corrects afterwards in sources.yaml (title, outlet, date) and whatever a later version of
Annalist would make of the text: so an article's URL never changes once published. A curator who
wants another id pins it with `id:` in sources.yaml; the recorded id is then kept under `former:`,
and the build writes a redirect page at every former URL. Ids of sources since removed stay
recorded, so they are never given to another article.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

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
REGISTRY_FILE = "ids.yaml"
REGISTRY_HEADER = """\
# The id (permanent URL) of every article this archive has published, by source.
# Written by `annalist build`, which only ever adds to it: do not edit ids here. To give an article
# another id, pin it with `id:` in sources.yaml; the old id stays below under `former:` and its URL
# redirects to the new one.
"""


def article_id(outlet: str | None, published: str | None, title: str) -> str:
    """`<published>-<outlet>-<headline>`, each part slugified, unknown parts left out.

    Depends only on the article's own metadata, never on which other articles exist.
    """
    parts = [published or "", slugify(outlet or "", max_length=30), slugify(title) or "untitled"]
    return "-".join(p for p in parts if p)


def disambiguate(articles: list[Article], taken: set[str] | frozenset[str] = frozenset()) -> tuple[list[Article], list[Problem]]:
    """Articles sharing an id (with each other or with an id already `taken`) get `-<first 8 hex of
    sha256>`; a warning names each."""
    by_id: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        by_id[article.id].append(article)
    out: list[Article] = []
    problems: list[Problem] = []
    for same in by_id.values():
        if len(same) == 1 and same[0].id not in taken:
            out += same
            continue
        for article in same:
            others = ", ".join(source_key(a) for a in same if a is not article) or "an article published before"
            new_id = f"{article.id}-{article.sha256[:8]}"
            if sum(a.sha256 == article.sha256 for a in same) > 1:  # byte-identical copies
                new_id += "-" + hashlib.sha256(source_key(article).encode()).hexdigest()[:8]
            problems.append(Problem(
                f"{SOURCES_DIR}/{source_key(article)}",
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


@dataclass(frozen=True)
class Registered:
    id: str
    former: tuple[str, ...] = ()


def source_key(article: Article) -> str:
    """The name an article's source has in sources.yaml and ids.yaml: its file, or file#record for a web archive."""
    if article.capture is not None:
        return f"{article.source_file}#{article.capture.record_id.strip('<>')}"
    return article.source_file


# libyaml's safe loader when PyYAML was built with it (the same data, read about 10x faster: the
# record holds every article of the archive), else PyYAML's own.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_registry(content_dir: Path) -> dict[str, Registered]:
    path = content_dir / REGISTRY_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        reason = " ".join(str(exc).split())  # one line (YAML's messages span several)
        raise RegistryError(f"{REGISTRY_FILE}: unreadable record of published ids ({reason}); restore it from version control") from exc
    if not isinstance(data, dict):
        raise RegistryError(f"{REGISTRY_FILE}: expected a mapping of source → id; restore it from version control")
    out = {}
    for key, value in data.items():
        if isinstance(value, str):
            out[str(key)] = Registered(value)
        elif isinstance(value, dict) and isinstance(value.get("id"), str):
            out[str(key)] = Registered(value["id"], tuple(str(f) for f in value.get("former") or ()))
    return out


class RegistryError(ValueError):
    """content/ids.yaml cannot be read: building would give published articles new URLs, so the build stops."""


def assign_ids(
    articles: list[Article], registry: Mapping[str, Registered], entries: Mapping[str, Mapping[str, Any]]
) -> tuple[list[Article], list[Problem]]:
    """Each article's permanent id: a curator's pin, else the recorded id, else a new one (made unique).

    Articles already recorded keep their ids; new ones that collide with any id in use (or ever
    used) get the usual hash suffix.
    """
    settled: list[Article] = []
    new: list[Article] = []
    for article in articles:
        key = source_key(article)
        recorded = registry.get(key)
        pinned = (entries.get(key) or {}).get("id")
        if pinned:
            former = recorded.former + ((recorded.id,) if recorded and recorded.id != pinned else ()) if recorded else ()
            settled.append(replace(article, id=str(pinned), former_ids=tuple(f for f in former if f != pinned)))
        elif recorded:
            settled.append(replace(article, id=recorded.id, former_ids=recorded.former))
        else:
            new.append(article)
    taken = {a.id for a in settled} | {f for a in settled for f in a.former_ids}
    taken |= {r.id for k, r in registry.items()} | {f for r in registry.values() for f in r.former}
    fresh, problems = disambiguate(new, taken)
    return sorted(settled + fresh, key=lambda a: a.id), problems


def updated_registry(registry: Mapping[str, Registered], articles: list[Article]) -> dict[str, Registered]:
    """The record after a build: every article's id (and former ids); entries of removed sources kept."""
    out = dict(registry)
    for article in articles:
        out[source_key(article)] = Registered(article.id, article.former_ids)
    return out


def dump_registry(registry: Mapping[str, Registered]) -> str:
    data: dict[str, Any] = {}
    for key in sorted(registry):
        r = registry[key]
        data[key] = {"id": r.id, "former": list(r.former)} if r.former else r.id
    return REGISTRY_HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200)


def record_published(content_dir: Path, articles: list[Article]) -> bool:
    """Add the ids of a successful build to content/ids.yaml (written only when something is new)."""
    path = content_dir / REGISTRY_FILE
    registry = load_registry(content_dir)
    updated = updated_registry(registry, articles)
    if updated == registry and path.is_file():
        return False
    text = dump_registry(updated)
    temporary = path.with_name(f".{REGISTRY_FILE}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
    return True
