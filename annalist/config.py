"""Archive settings: typed, validated, documented. Read from `content/annalist.yaml`."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from datetime import date, datetime, timezone
from pathlib import Path

from . import yamlio
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
    edition_date: str = ""
    """The date this edition is built and cited as accessed (YYYY-MM-DD). Empty: the day of the
    build. SOURCE_DATE_EPOCH, when set, wins over both."""


@dataclass(frozen=True)
class Edition:
    """Settings plus the edition's date (see build_date): the date shown as built and cited as accessed."""

    settings: Settings
    build_date: str  # ISO date, YYYY-MM-DD


def load_settings(content_dir: Path, overrides: dict | None = None) -> tuple[Settings, list[Problem]]:
    """The settings file's values, then `overrides` (from the command line) over them."""
    path = content_dir / SETTINGS_FILE
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    if not path.exists() and not overrides:
        return Settings(), []
    try:
        data = (yamlio.load(yamlio.read_text(path)) if path.exists() else None) or {}
    except yamlio.YAMLFileError as exc:
        return Settings(), [Problem(SETTINGS_FILE, exc.message, exc.line)]
    except OSError as exc:
        return Settings(), [Problem(SETTINGS_FILE, f"cannot read: {exc.strerror or exc}")]
    if not isinstance(data, dict):
        return Settings(), [Problem(SETTINGS_FILE, "expected a mapping of settings")]
    data = {**data, **overrides}
    known = {f.name: f for f in fields(Settings)}
    problems = [
        Problem(SETTINGS_FILE, f"unknown setting {key!r} (known: {', '.join(known)})", severity="warning")
        for key in data
        if key not in known
    ]
    values = {}
    for key, value in data.items():
        if key == "edition_date" and isinstance(value, date):  # YAML reads 2026-05-01 as a date
            value = value.isoformat()
        if key in known:
            if not isinstance(value, (str, int, float)):
                problems.append(Problem(SETTINGS_FILE, f"setting {key!r} must be text"))
                continue
            values[key] = str(value)
    if values.get("language") is not None and not is_language_tag(values["language"]):
        problems.append(Problem(SETTINGS_FILE, f"language {values.pop('language')!r} is not a BCP 47 language tag such as 'en' or 'pt-BR'"))
    if values.get("base_url") and not is_web_url(values["base_url"]):
        problems.append(Problem(SETTINGS_FILE, f"base_url {values.pop('base_url')!r} must be an http:// or https:// URL (or empty)"))
    if values.get("base_url") and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    if values.get("edition_date"):
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", values["edition_date"]):
                raise ValueError
            date.fromisoformat(values["edition_date"])
        except ValueError:
            problems.append(Problem(SETTINGS_FILE, f"edition_date {values.pop('edition_date')!r} is not a date (YYYY-MM-DD)"))
    return Settings(**values), problems


# BCP 47 (RFC 5646) language tags, the well-formed shapes: language[-script][-region](-variant)*
# (-extension)*[-privateuse], or a private-use tag. Enough to keep nonsense out of lang=""
# attributes and out of Pagefind, whose stemmer chooser fails on it.
_LANGUAGE_TAG = re.compile(
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+"
)
_WEB_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)


def is_language_tag(text: str) -> bool:
    """A well-formed BCP 47 tag ('en', 'pt-BR', 'zh-Hant-TW', 'ar'); at most 35 characters."""
    return len(text) <= 35 and _LANGUAGE_TAG.fullmatch(text) is not None


def is_web_url(text: str) -> bool:
    """An absolute http:// or https:// URL with a host (never javascript:, data:, file:...)."""
    return _WEB_URL.fullmatch(text.strip()) is not None and text == text.strip()


def build_date(settings: Settings, today: date | None = None) -> str:
    """The edition's date: SOURCE_DATE_EPOCH when set, else the settings' `edition_date`, else the
    day of the build. It is the date every page says the edition was built and every citation says
    the archive was accessed; a fixed SOURCE_DATE_EPOCH makes the same input build the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date().isoformat()
    if settings.edition_date:
        return settings.edition_date
    return (today or date.today()).isoformat()
