"""Ingest: raw news pages (plain text or HTML) + the curator manifest → `Article`s and `Problem`s.

    decode   bytes → text (UTF-8 or Windows-1252; binary, junk and oversized files rejected)
    html     an HTML page → units of text + <meta> facts      (plain text: one line = one unit)
    clean    units → headline, standfirst, body, captions, credits, removed lines with reasons
    dates    printed stamps, page-chrome stamps, weekday inference
    manifest content/sources.yaml (curator facts, which always win)
    ids      article_id, the one place ids are made
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..model import Article, Field, Paragraph, Problem, Removed
from ..text import clean as nfc
from ..text import fold
from .clean import Layout, Unit, layout
from .dates import infer_from_weekday, is_chrome, parse_date, story_year
from ..config import is_language_tag, is_web_url
from .decode import MAX_FILE_BYTES, MAX_LINE_CHARS, check_nesting, decode
from .errors import IngestError
from .html import read_html
from .ids import SOURCES_DIR, article_id, disambiguate, original_paths
from .manifest import MANIFEST_FILE, load_manifest

__all__ = ["IngestError", "MAX_FILE_BYTES", "MAX_LINE_CHARS", "article_id", "ingest_corpus", "ingest_source", "inside"]

SOURCE_SUFFIXES = (".txt", ".html", ".htm")
_STAMP_RANK = {"first published": 0, "published": 1, "updated": 2}


def ingest_corpus(content_dir: Path, default_language: str = "en") -> tuple[list[Article], list[Problem]]:
    """Every source under content_dir/sources, sorted by id, and every problem found on the way."""
    manifest, problems = load_manifest(content_dir)
    sources = content_dir / SOURCES_DIR
    files, found = source_files(content_dir)
    problems += found
    articles = []
    for path in files:
        rel = path.relative_to(sources).as_posix()
        where = f"{SOURCES_DIR}/{rel}"
        if path.suffix.lower() not in SOURCE_SUFFIXES:
            problems.append(Problem(where, f"ignored: not a source file ({', '.join(SOURCE_SUFFIXES)})", severity="warning"))
            continue
        try:
            articles.append(_ingest_file(path, rel, manifest.entries.get(rel), default_language))
        except IngestError as exc:
            problems.append(Problem(where, exc.message, exc.line))
        except RecursionError:  # markup nested beyond what the HTML parser can walk
            problems.append(Problem(where, "HTML nested too deeply to read"))
        except OSError as exc:
            problems.append(Problem(where, f"cannot read: {exc.strerror or exc}"))
    present = {p.relative_to(sources).as_posix() for p in files}
    problems += [
        Problem(MANIFEST_FILE, f"entry for {name}, which is not in {SOURCES_DIR}/", manifest.lines[name], "warning")
        for name in manifest.entries
        if name not in present
    ]
    articles, id_problems = disambiguate(articles)
    originals = original_paths([a.source_file for a in articles])
    articles = [replace(a, original=originals[a.source_file]) for a in articles]
    return articles, problems + id_problems


def inside(content_dir: Path, path: Path) -> bool:
    """Whether `path`, symbolic links followed, is within the content folder."""
    root = content_dir.resolve()
    target = path.resolve()
    return target == root or root in target.parents


def source_files(content_dir: Path) -> tuple[list[Path], list[Problem]]:
    """The files under content/sources/ to read, sorted, and the ones refused.

    Any name the file system allows is read (its published name is made safe by ids.original_path),
    except names that are not UTF-8 or hold control characters (no page or message can show them).
    Hidden files and folders (".git", ".DS_Store", not "..x") are skipped; links to folders are not followed;
    a link to a file outside content/ is refused (it would publish e.g. /etc/passwd); anything
    not a regular file (a pipe, a device) is refused before it is opened.
    """
    sources = content_dir / SOURCES_DIR
    if not sources.is_dir():
        return [], []
    if not inside(content_dir, sources):
        return [], [Problem(SOURCES_DIR, "a symbolic link to a folder outside the content folder; refused")]
    files, problems = [], []
    for folder, dirs, names in os.walk(sources):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for d in list(dirs):
            if (Path(folder) / d).is_symlink():
                dirs.remove(d)
                rel = (Path(folder) / d).relative_to(sources).as_posix()
                problems.append(Problem(f"{SOURCES_DIR}/{_shown(rel)}", "ignored: a symbolic link to a folder (not followed)", severity="warning"))
        for name in sorted(names):
            if _hidden(name):
                continue
            path = Path(folder) / name
            where = f"{SOURCES_DIR}/{_shown(path.relative_to(sources).as_posix())}"
            refusal = _refusal(content_dir, path)
            if refusal:
                problems.append(Problem(where, refusal))
            else:
                files.append(path)
    return sorted(files), problems


def _hidden(name: str) -> bool:
    """A hidden file or folder (".git", ".DS_Store"); "..x" is an ordinary name that happens to start with dots."""
    return name.startswith(".") and not name.startswith("..")


def _shown(rel: str) -> str:
    """A file name as a message can show it: undecodable bytes as U+FFFD, control characters escaped."""
    text = rel.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() or ch == " " else repr(ch)[1:-1] for ch in text)


def _refusal(content_dir: Path, path: Path) -> str | None:
    rel = path.relative_to(content_dir / SOURCES_DIR).as_posix()
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8 text; rename the file"
    if any(not ch.isprintable() and ch != " " for ch in rel):
        return "file name holds control characters (a line break, a tab...); rename the file"
    if path.is_symlink():
        if not inside(content_dir, path):
            return f"a symbolic link to a file outside the content folder ({os.readlink(path)}); refused"
        if not path.exists():
            return f"a symbolic link to nothing ({os.readlink(path)})"
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device); refused"
    return None


def _ingest_file(path: Path, rel: str, entry: dict[str, str] | None, default_language: str) -> Article:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:  # never read a huge file into memory
        raise IngestError(f"file too large: {size:,} bytes (limit {MAX_FILE_BYTES:,})")
    return ingest_source(rel, path.read_bytes(), entry, default_language)


def ingest_source(rel: str, raw: bytes, entry: dict[str, Any] | None, default_language: str = "en") -> Article:
    """One source file → an Article. Raises IngestError for input that cannot be an article."""
    entry = entry or {}
    text, encoding = decode(raw)
    meta: dict[str, str] = {}
    chrome: list[Removed] = []
    if rel.lower().endswith((".html", ".htm")):
        check_nesting(text)
        units, meta, chrome = read_html(text)
        meta = _checked_meta(meta)
    else:
        units = text_units(text)
    _check_lengths(units)
    page = layout(units)
    if not page.paragraphs and not page.standfirst:
        raise IngestError("no article text found: every line is a headline, caption, credit or page chrome")
    title, title_origin = _title(entry, page, meta)
    published, dateline, stamp_removed = _published(entry, meta, page)
    outlet = _field(entry, "outlet", meta, "<meta property=\"og:site_name\">", note=entry.get("notes", ""))
    url = _field(entry, "url", meta, "<meta property=\"og:url\"> or <link rel=\"canonical\">")
    language = _field(entry, "language", meta, "<html lang>")
    if language.value is None:
        language = Field(default_language, "inferred", "the archive's default language (annalist.yaml: language)")
    return Article(
        id=str(entry.get("id") or article_id(outlet.value, published.value, title)),
        title=nfc(title),
        standfirst=nfc(page.standfirst) if page.standfirst else None,
        outlet=outlet,
        published=published,
        url=url,
        language=language,
        credits=tuple(nfc(c) for c in page.credits),
        captions=tuple(nfc(c) for c in page.captions),
        paragraphs=tuple(Paragraph(n, nfc(t)) for n, (_, t) in enumerate(page.paragraphs, 1)),
        source_file=rel,
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        removed=tuple(sorted((*chrome, *page.removed, *stamp_removed), key=lambda r: r.line)),
        title_origin=title_origin,
        dateline=nfc(dateline) if dateline else None,
    )


def _checked_meta(meta: dict[str, str]) -> dict[str, str]:
    """A page's own metadata, minus values that cannot be what they claim: a URL that is not
    http(s) (javascript:, data:...) and a language that is not a BCP 47 tag are left out."""
    meta = dict(meta)
    if meta.get("url") and not is_web_url(meta["url"]):
        del meta["url"]
    if meta.get("language") and not is_language_tag(meta["language"]):
        del meta["language"]
    return meta


def text_units(text: str) -> list[Unit]:
    """Plain text: one line is one unit (a paragraph, headline, caption...); blank lines separate blocks."""
    units = []
    gap = True
    for n, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_CHARS:
            raise IngestError(f"line is {len(line):,} characters long (limit {MAX_LINE_CHARS:,}): not an article", n)
        if not line.strip() or not fold(line).strip():
            gap = True
            continue
        units.append(Unit(n, line.strip(), gap))
        gap = False
    return units


def _check_lengths(units: list[Unit]) -> None:
    for unit in units:
        if len(unit.text) > MAX_LINE_CHARS:
            raise IngestError(f"paragraph is {len(unit.text):,} characters long (limit {MAX_LINE_CHARS:,})", unit.line)


def _field(entry: dict[str, Any], key: str, meta: dict[str, str], meta_source: str, note: str = "") -> Field:
    if entry.get(key):
        return Field(str(entry[key]), "curator", note)
    if meta.get(key):
        return Field(meta[key], "text", meta_source)
    return Field(None, "unknown", note)


def _title(entry: dict[str, Any], page: Layout, meta: dict[str, str]) -> tuple[str, str]:
    if entry.get("title"):
        return str(entry["title"]), "curator"
    if page.title:
        return page.title, "text"
    if meta.get("title"):
        return meta["title"], "text"
    first = page.paragraphs[0][1] if page.paragraphs else page.standfirst or ""
    return _shorten(first), "inferred"


def _shorten(text: str, limit: int = 90) -> str:
    sentence = text.split(". ")[0].rstrip(".")
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + "…"


def _published(entry: dict[str, Any], meta: dict[str, str], page: Layout) -> tuple[Field, str | None, list[Removed]]:
    """The publication date, the stamp as printed, and the stamp lines taken out of the body."""
    story = [page.title or "", page.standfirst or "", *page.captions, *(t for _, t in page.paragraphs)]
    written_by = story_year(story)
    removed, candidates = [], []
    for stamp, above_headline in page.stamps:
        if is_chrome(stamp, above_headline, written_by):
            reason = (
                f"page chrome stamp: above the headline and dated {stamp.value.year}, but the story dates itself "
                f"to {written_by} at the latest (it mentions {written_by - 1} and says \u201clast ...\u201d)"  # type: ignore[operator]
            )
            removed.append(Removed(stamp.line, stamp.text, reason))
        else:
            candidates.append(stamp)
            removed.append(Removed(stamp.line, stamp.text, f"{stamp.kind} stamp (kept as dateline)"))
    best = min(candidates, key=lambda s: (_STAMP_RANK[s.kind], s.value), default=None)
    dateline = best.text if best else None
    if entry.get("published"):
        return Field(str(entry["published"]), "curator"), dateline, removed
    if meta.get("published") and parse_date(meta["published"]):
        raw = meta["published"]
        source = meta.get("published_from", '<meta property="article:published_time">')
        return Field(parse_date(raw).isoformat(), "text", f"{source}: {raw}"), dateline, removed  # type: ignore[union-attr]
    if best:
        caveat = "; the page prints only an update time, so first publication may be earlier" if best.kind == "updated" else ""
        return Field(best.value.isoformat(), "text", f"{best.note}, printed as \u201c{best.text}\u201d{caveat}"), dateline, removed
    lede = page.paragraphs[0][1] if page.paragraphs else page.standfirst or ""
    texts = [*(("a photo caption", c) for c in page.captions), *((f"\u00b6 {n}", t) for n, (_, t) in enumerate(page.paragraphs, 1))]
    inferred = infer_from_weekday(lede, texts)
    if inferred:
        return Field(inferred[0].isoformat(), "inferred", inferred[1]), None, removed
    return Field(None, "unknown", "no date printed in the text or given in sources.yaml"), None, removed

