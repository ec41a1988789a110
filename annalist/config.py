"""Archive settings: typed, validated, documented. Read from `content/annalist.yaml`."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

import yaml

from .model import Problem

SETTINGS_FILE = "annalist.yaml"


@dataclass(frozen=True)
class Settings:
    name: str = "Annalist Archive"
    """The archive's name, shown in every page header and footer and in citations."""
    version: str = "1"
    """The edition of the archive; shown in every footer, cited as part of the archive's identity."""
    base_url: str = ""
    """Absolute URL the site will be published at (e.g. https://example.org/archive/). Empty: all
    links stay relative and sitemap/feed/citation permalinks are given relative to the archive."""
    language: str = "en"
    """Default language of articles whose language the manifest does not give."""
    description: str = "A research archive of news reports, annotated and cross-referenced by source."
    """One sentence shown on the home and about pages."""


@dataclass(frozen=True)
class Edition:
    """Settings plus the build date (from SOURCE_DATE_EPOCH, else the newest date in the sources)."""

    settings: Settings
    build_date: str  # ISO date, YYYY-MM-DD


def load_settings(content_dir: Path) -> tuple[Settings, list[Problem]]:
    path = content_dir / SETTINGS_FILE
    if not path.exists():
        return Settings(), []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        return Settings(), [Problem(SETTINGS_FILE, f"broken YAML: {getattr(exc, 'problem', exc)}", line)]
    if not isinstance(data, dict):
        return Settings(), [Problem(SETTINGS_FILE, "expected a mapping of settings")]
    known = {f.name: f for f in fields(Settings)}
    problems = [
        Problem(SETTINGS_FILE, f"unknown setting {key!r} (known: {', '.join(known)})", severity="warning")
        for key in data
        if key not in known
    ]
    values = {}
    for key, value in data.items():
        if key in known:
            if not isinstance(value, (str, int, float)):
                problems.append(Problem(SETTINGS_FILE, f"setting {key!r} must be text"))
                continue
            values[key] = str(value)
    if values.get("base_url") and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    return Settings(**values), problems


def build_date(newest_source_date: str | None) -> str:
    """The edition's date: SOURCE_DATE_EPOCH when set, else the newest date the sources give.

    Never the wall clock, and never file modification times (a fresh clone changes those), so
    the same input builds the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    return newest_source_date or "1970-01-01"
