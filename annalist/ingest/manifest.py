"""The curator manifest, content/sources.yaml: facts a curator vouches for, per source file.

    000_9d269a9147bf14e2.txt:
      outlet: TRT World        # text, or null for unknown
      url: null                # text (http/https), or null
      published: null          # YYYY-MM-DD, or null: then the text or inference supplies it, labelled
      language: en             # BCP 47
      id: null                 # pin the article's id (a slug); normally left out
      title: null              # override the headline read from the text; normally left out
      story: null              # pin the article to a story (a slug): same slug, same story
      notes: "..."             # provenance notes, shown to readers with the outlet

Every value given here wins over the text (origin "curator").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .. import yamlio
from ..config import is_language_tag, is_web_url
from ..model import Problem

MANIFEST_FILE = "sources.yaml"
FIELDS = ("outlet", "url", "published", "language", "id", "title", "notes", "story")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_CHARS = 120


@dataclass(frozen=True)
class Manifest:
    entries: dict[str, dict[str, str]] = field(default_factory=dict)  # source file name → valid fields
    lines: dict[str, int] = field(default_factory=dict)  # source file name → line of its entry


def load_manifest(content_dir: Path) -> tuple[Manifest, list[Problem]]:
    """Entries keyed by source file name (relative to content/sources), and the problems found."""
    path = content_dir / MANIFEST_FILE
    if not path.exists():
        return Manifest(), []
    try:
        return parse_manifest(yamlio.read_text(path))
    except yamlio.YAMLFileError as exc:
        return Manifest(), [Problem(MANIFEST_FILE, exc.message, exc.line)]
    except OSError as exc:
        return Manifest(), [Problem(MANIFEST_FILE, f"cannot read: {exc.strerror or exc}")]


def parse_manifest(text: str) -> tuple[Manifest, list[Problem]]:
    """A field of the wrong type is an error naming its line; the entry's other fields still count."""
    try:
        root = yamlio.compose(text)
    except yamlio.YAMLFileError as exc:
        return Manifest(), [Problem(MANIFEST_FILE, exc.message, exc.line)]
    if root is None:
        return Manifest(), []
    if not isinstance(root, yaml.MappingNode):
        return Manifest(), [Problem(MANIFEST_FILE, "expected a mapping of source file name → fields", _line(root))]
    manifest = Manifest()
    problems: list[Problem] = []
    for key_node, value_node in root.value:
        name = _scalar(key_node)
        if not isinstance(name, str):
            problems.append(Problem(MANIFEST_FILE, f"source file name must be text, got {_show(name)}", _line(key_node)))
            continue
        if name in manifest.entries:
            problems.append(Problem(MANIFEST_FILE, f"{name}: listed twice (this entry is ignored)", _line(key_node)))
            continue
        manifest.entries[name], entry_problems = _entry(name, value_node)
        manifest.lines[name] = _line(key_node)
        problems += entry_problems
    return manifest, problems


def _entry(name: str, node: yaml.Node) -> tuple[dict[str, str], list[Problem]]:
    if isinstance(node, yaml.ScalarNode) and _scalar(node) is None:
        return {}, []
    if not isinstance(node, yaml.MappingNode):
        return {}, [Problem(MANIFEST_FILE, f"{name}: expected a mapping of fields ({', '.join(FIELDS)})", _line(node))]
    entry: dict[str, str] = {}
    problems = []
    for key_node, value_node in node.value:
        key = _scalar(key_node)
        if key not in FIELDS:
            problems.append(Problem(MANIFEST_FILE, f"{name}: unknown field {key!r} (known: {', '.join(FIELDS)})", _line(key_node), "warning"))
            continue
        value = _scalar(value_node) if isinstance(value_node, yaml.ScalarNode) else value_node
        error = _check(str(key), value)
        if error:
            problems.append(Problem(MANIFEST_FILE, f"{name}: {key}: {error}", _line(value_node)))
        elif value is not None:
            entry[str(key)] = value.isoformat() if isinstance(value, date) else str(value).strip()
    return entry, problems


def _check(key: str, value: Any) -> str | None:
    """Why `value` is not acceptable for `key`, or None."""
    if value is None:
        return None
    if key == "published":
        if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value) and _valid_date(value)):
            return None
        return f"expected a date YYYY-MM-DD, got {_show(value)}"
    if not isinstance(value, str):
        return f"expected text, got {_show(value)}"
    if key in ("id", "story") and not _SLUG.fullmatch(value):
        return f"expected a slug (lower-case letters, digits, hyphens), got {value!r}"
    if key == "id" and len(value) > MAX_ID_CHARS:
        return f"an id is at most {MAX_ID_CHARS} characters (it names files in the site), got {len(value)}"
    if key == "url" and not is_web_url(value):
        return f"expected an http(s) URL, got {value!r}"
    if key == "language" and not is_language_tag(value):
        return f"expected a BCP 47 language tag such as 'en', got {value!r}"
    return None


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return node
    try:
        return yaml.SafeLoader("").construct_object(node)  # type: ignore[no-untyped-call]
    except (ValueError, yaml.YAMLError):  # e.g. an impossible date such as 2016-02-30
        return node.value


def _show(value: Any) -> str:
    if isinstance(value, yaml.SequenceNode):
        return "a list"
    if isinstance(value, yaml.MappingNode):
        return "a mapping"
    return f"{type(value).__name__} {value!r}"


def _valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1
