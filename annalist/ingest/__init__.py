"""Ingest: raw news pages (plain text, saved HTML, web archives) + the curator manifest → `Article`s and `Problem`s.

    decode     bytes → text (UTF-8 or Windows-1252; binary, junk and oversized files rejected)
    html       an HTML page → units of text + metadata (trafilatura picks the main text, htmldate the date)
    warc       a WARC file → its HTML captures, digests verified, versions of one URL numbered
    furniture  lines repeated across the archive's articles (templates)
    clean      units → headline, standfirst, body, captions, credits, removed lines with reasons
    titles     a title inferred from the lede when the text has no headline
    outlets    outlets and agencies named by datelines and credit lines
    dates      printed stamps, page-chrome stamps, weekday inference
    manifest   content/sources.yaml (curator facts, which always win)
    ids        article_id, the published-ids record: the one place ids are made
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..parallel import pmap
from ..model import Article, Capture, Field, Paragraph, Problem, Removed
from ..text import clean as nfc
from ..text import fold
from . import outlets
from .clean import Layout, Unit, layout
from .dates import infer_from_weekday, is_chrome, parse_date, printed_publication, story_year
from ..config import is_language_tag, is_web_url
from .decode import MAX_FILE_BYTES, MAX_LINE_CHARS, check_nesting, decode
from .errors import IngestError
from .furniture import line_keys, templates_of
from .titles import inferred_title
from .ids import SOURCES_DIR, article_id, assign_ids, load_registry, original_paths
from .manifest import MANIFEST_FILE, load_manifest
from .warc import is_warc, read_warc

def read_html(text: str, before: str | None = None):
    """html.read_html, imported when an HTML page is first read: trafilatura, htmldate and bs4
    take about 0.2 s to import, which a rebuild of plain-text articles need not spend."""
    from .html import read_html as read

    return read(text, before)


MAX_WARC_BYTES = 200_000_000
"""Largest web archive accepted; its records are read one by one, each page within MAX_FILE_BYTES."""

__all__ = ["IngestError", "MAX_FILE_BYTES", "MAX_LINE_CHARS", "article_id", "ingest_corpus", "ingest_source", "inside"]

SOURCE_SUFFIXES = (".txt", ".html", ".htm", ".warc", ".warc.gz")
_STAMP_RANK = {"first published": 0, "published": 1, "updated": 2}


@dataclass(frozen=True)
class Source:
    """One article's raw input: a file, or one record of a web archive."""

    key: str  # its name in sources.yaml and in problems: "a.txt", "crawl.warc.gz#urn:uuid:..."
    source_file: str  # the file under content/sources/
    raw: bytes  # the bytes as received (a WARC record's payload)
    capture: Capture | None = None
    charset: str | None = None  # declared by the HTTP response, for a web archive's record


@dataclass(frozen=True)
class Page:
    """A source read into units, before the archive-wide pass."""

    units: list[Unit]
    meta: dict[str, str]
    chrome: list[Removed]
    encoding: str
    html: bool


def _no_memo(kind: str, parts: tuple, compute):
    return compute()


def ingest_corpus(content_dir: Path, default_language: str = "en", memo=None,
                  jobs: int | None = 1) -> tuple[list[Article], list[Problem]]:
    """Every source under content_dir/sources, sorted by id, and every problem found on the way.

    `memo(kind, parts, compute)` may return a result kept from an earlier build for the same
    parts (the pipeline's cache, annalist/cache.py); by default everything is computed."""
    manifest, problems = load_manifest(content_dir)
    sources_dir = content_dir / SOURCES_DIR
    files, found = source_files(content_dir)
    problems += found
    sources: list[Source] = []
    for path in files:
        rel = path.relative_to(sources_dir).as_posix()
        where = f"{SOURCES_DIR}/{rel}"
        if not path.name.lower().endswith(SOURCE_SUFFIXES):
            problems.append(Problem(where, f"ignored: not a source file ({', '.join(SOURCE_SUFFIXES)})", severity="warning"))
            continue
        try:
            sources += _sources_of(path, rel, problems)
        except IngestError as exc:
            problems.append(Problem(where, exc.message, exc.line))
        except OSError as exc:
            problems.append(Problem(where, f"cannot read: {exc.strerror or exc}"))
    articles, found = ingest_sources(sources, manifest.entries, default_language, memo, jobs)
    present = {s.key for s in sources} | {p.relative_to(sources_dir).as_posix() for p in files}
    problems += found + [
        Problem(MANIFEST_FILE, f"entry for {name}, which is not in {SOURCES_DIR}/", manifest.lines[name], "warning")
        for name in manifest.entries
        if name not in present
    ]
    articles, id_problems = assign_ids(articles, load_registry(content_dir), manifest.entries)
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


def _sources_of(path: Path, rel: str, problems: list[Problem]) -> list[Source]:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES and not is_warc(rel):  # never read a huge file into memory
        raise IngestError(f"file too large: {size:,} bytes (limit {MAX_FILE_BYTES:,})")
    if size > MAX_WARC_BYTES:
        raise IngestError(f"web archive too large: {size:,} bytes (limit {MAX_WARC_BYTES:,})")
    raw = path.read_bytes()
    if not is_warc(rel):
        return [Source(rel, rel, raw)]
    records, skipped = read_warc(rel, raw)
    for s in skipped:
        problems.append(Problem(f"{SOURCES_DIR}/{rel}", f"{s.record}: {s.message}", severity="error" if s.error else "warning"))
    return [Source(r.key, rel, r.payload, r.capture, r.charset) for r in records]


def ingest_sources(
    sources: list[Source], entries: dict[str, dict[str, str]], default_language: str = "en", memo=None,
    jobs: int | None = 1,
) -> tuple[list[Article], list[Problem]]:
    """Read every source, find the lines repeated across them (templates), then make each article
    (on `jobs` processes: parallel.pmap; those `memo` keeps, when it can say so (`memo.kept(kind,
    parts)`), are not made again)."""
    memo = memo or _no_memo
    digests = {s.key: hashlib.sha256(s.raw).hexdigest() for s in sources}
    pages: dict[str, Page] = {}  # read (or taken from the cache) only when an article is made
    lines: dict[str, tuple[frozenset[str], str | None]] = {}  # each page's line keys, its charset warning
    problems: list[Problem] = []

    def page_parts(source: Source) -> tuple:
        return source.key, digests[source.key], source.charset, source.capture

    def page_of(source: Source) -> Page:
        if source.key not in pages:
            pages[source.key] = memo("page", page_parts(source),
                                     lambda: read_page(source.key, source.raw, source.charset, source.capture))
        return pages[source.key]

    touch = getattr(memo, "touch", None)
    for source in sources:
        try:
            lines[source.key] = memo("page-lines", page_parts(source), lambda: _lines(page_of(source)))
            if touch and source.key not in pages:
                touch("page", page_parts(source))  # kept for a later build, which may need it, unread
        except IngestError as exc:
            problems.append(Problem(f"{SOURCES_DIR}/{source.key}", exc.message, exc.line))
        except RecursionError:  # markup nested beyond what the HTML parser can walk
            problems.append(Problem(f"{SOURCES_DIR}/{source.key}", "HTML nested too deeply to read"))
    templates = _templates(sources, lines, page_parts, memo)

    def parts(source: Source) -> tuple:
        return (source.key, source.source_file, digests[source.key], source.charset, source.capture,
                entries.get(source.key), default_language, templates.get(source.key))

    def made(source: Source) -> Article | tuple[str, int | None]:
        """make_article, or the IngestError's message and line (picklable, from a worker)."""
        try:
            return make_article(source, page_of(source), entries.get(source.key), default_language,
                                templates.get(source.key))
        except IngestError as exc:
            return exc.message, exc.line

    # the articles not kept from an earlier build are made across the cores (the same articles)
    kept = getattr(memo, "kept", None)
    todo = [s for s in sources if s.key in lines and not (kept and kept("article", parts(s)))]
    for source in todo:
        page_of(source)  # before the workers are forked
    computed = dict(zip((s.key for s in todo), pmap(made, todo, jobs))) if jobs != 1 else {}

    def article_of(source: Source) -> Article:
        found = computed.pop(source.key) if source.key in computed else made(source)
        if isinstance(found, tuple):
            raise IngestError(*found)
        return found

    articles = []
    for source in sources:
        if source.key not in lines:
            continue
        try:
            articles.append(memo("article", parts(source), lambda: article_of(source)))
        except IngestError as exc:
            problems.append(Problem(f"{SOURCES_DIR}/{source.key}", exc.message, exc.line))
        warning = lines[source.key][1]
        if warning:
            problems.append(Problem(f"{SOURCES_DIR}/{source.key}", warning, severity="warning"))
    return articles, problems


def _lines(page: Page) -> tuple[frozenset[str], str | None]:
    """What the archive-wide pass and the build's report need of a page: its line keys and its
    charset warning (kept apart from the page, so that a rebuild need not read every page)."""
    return line_keys([u.text for u in page.units]), charset_warning(page)


def _templates(sources: list[Source], lines: dict[str, tuple[frozenset[str], str | None]], page_parts, memo):
    """furniture.templates_of over every page read, judging again only the lines of pages that
    changed since the last build when `memo` keeps that build's (memo.last(kind) / memo.keep_last:
    each page's key and the result; a changed page's former line keys from its former key)."""
    keys = {key: found[0] for key, found in lines.items()}
    key_of = getattr(memo, "key", None)
    page_keys = {s.key: key_of("page-lines", page_parts(s)) if key_of else None for s in sources if s.key in lines}
    previous = None
    last = memo.last("templates") if hasattr(memo, "last") else None
    if isinstance(last, tuple) and len(last) == 2 and isinstance(last[0], dict) and isinstance(last[1], dict):
        old_keys = {}
        for name, old in last[0].items():
            if page_keys.get(name) == old:
                old_keys[name] = keys[name]
            else:
                found = memo.found("page-lines", old)
                if not (isinstance(found, tuple) and found and isinstance(found[0], frozenset)):
                    break  # a former page's line keys not kept: everything judged again
                old_keys[name] = found[0]
        else:
            previous = (old_keys, last[1])
    templates = templates_of(keys, previous)
    if hasattr(memo, "keep_last"):
        memo.keep_last("templates", (page_keys, templates))
    return templates


def ingest_source(rel: str, raw: bytes, entry: dict[str, Any] | None, default_language: str = "en") -> Article:
    """One source file on its own → an Article. Raises IngestError for input that cannot be an article."""
    source = Source(rel, rel, raw)
    return make_article(source, read_page(rel, raw), entry, default_language)


def read_page(rel: str, raw: bytes, charset: str | None = None, capture: Capture | None = None) -> Page:
    try:
        text, encoding = decode(raw)
    except IngestError:
        if not charset:
            raise
        text, encoding = _declared(raw, charset)
    html = capture is not None or rel.lower().endswith((".html", ".htm"))
    if html:
        check_nesting(text)  # before any parser: one linear pass
        units, meta, chrome = read_html(text, capture.date[:10] if capture else None)
        meta = _checked_meta(meta)
        declared = _META_CHARSET.search(text[:4096])
        if declared:
            meta["charset"] = declared[1]
    else:
        units, meta, chrome = text_units(text), {}, []
    _check_lengths(units)
    return Page(units, meta, chrome, encoding, html)


def _declared(raw: bytes, charset: str) -> tuple[str, str]:
    try:
        return raw.decode(charset).replace("\r\n", "\n").replace("\r", "\n"), charset
    except (LookupError, UnicodeDecodeError):
        raise IngestError(f"cannot be decoded as UTF-8, Windows-1252 or its declared charset {charset!r}") from None


_FILE_PHOTO = re.compile(r"^\W*file\b|\b(?:file|archive|undated)\s+(?:photo|picture|image|photograph)", re.I)
_META_CHARSET = re.compile(r"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.I)
_SAME_CHARSET = {"utf-8": {"utf-8", "utf8", "utf-8-sig"}, "utf-8-sig": {"utf-8", "utf8"},
                 "cp1252": {"windows-1252", "cp1252", "iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii"}}


def charset_warning(page: Page) -> str | None:
    """A page whose <meta charset> names another encoding than the one its bytes are in."""
    declared = page.meta.get("charset", "").lower()
    if not declared or declared in _SAME_CHARSET.get(page.encoding, {page.encoding}):
        return None
    if page.encoding.startswith("utf-8") and declared in ("us-ascii", "ascii"):
        return None
    return (f"the page declares charset {declared!r} but its bytes are not that: read as "
            f"{'Windows-1252' if page.encoding == 'cp1252' else page.encoding}")


def make_article(
    source: Source, page: Page, entry: dict[str, Any] | None, default_language: str = "en", templates: dict[str, str] | None = None
) -> Article:
    entry = entry or {}
    meta = page.meta
    laid = layout(page.units, templates)
    if not laid.paragraphs and not laid.standfirst:
        why = "no main text found in the page" if page.html else "no article text found"
        kinds = sorted({r.reason.split(":")[0].split(" (")[0] for r in (*page.chrome, *laid.removed)})
        raise IngestError(f"{why}: every line is a headline, caption, credit or page chrome ({', '.join(kinds) or 'nothing else'})")
    title, title_origin, title_note = _title(entry, laid, meta)
    alone = [r.text for r in laid.removed if r.reason == "dateline on its own line"]
    named = (outlets.from_dateline(laid.standfirst or "")
             or next(filter(None, (outlets.from_dateline(t) or outlets.from_dateline(outlets.run_on_dateline(t))
                                   for _, t in laid.paragraphs[:3])), None)
             or next(filter(None, map(outlets.from_dateline, alone)), None)
             or outlets.from_credits([r.text for r in laid.removed if r.reason.startswith(("credit line", "copyright", "byline"))]))
    published, dateline, stamp_removed = _published(entry, meta, laid, source.capture)
    outlet = _field(entry, "outlet", meta, note=entry.get("notes", ""))
    agency = Field(None, "unknown")
    if named and named.agency:
        agency = Field(named.agency, "text", named.note)
        if outlet.value is None:
            outlet = Field(named.agency, "text", f"{named.note}; the site this copy was taken from is not named")
    elif named and named.outlet and outlet.value is None:
        outlet = Field(named.outlet, "text", named.note)
    url = _field(entry, "url", meta)
    if url.value is None and source.capture:
        url = Field(source.capture.target_uri, "capture", f"WARC-Target-URI of {source.capture.record_id}")
    language = _field(entry, "language", meta)
    if language.value is None:
        language = Field(default_language, "inferred", "the archive's default language (annalist.yaml: language)")
    author = _field({}, "author", meta)
    computed = article_id(outlet.value, published.value, title)
    if source.capture and source.capture.versions > 1:
        computed += "-captured-" + re.sub(r"\D", "", source.capture.date)[:14]
    return Article(
        id=str(entry.get("id") or computed),
        title=nfc(title),
        standfirst=nfc(laid.standfirst) if laid.standfirst else None,
        outlet=outlet,
        published=published,
        url=url,
        language=language,
        credits=tuple(nfc(c) for c in laid.credits),
        captions=tuple(nfc(c) for c in laid.captions),
        paragraphs=tuple(Paragraph(n, nfc(t)) for n, (_, t) in enumerate(laid.paragraphs, 1)),
        source_file=source.source_file,
        sha256=hashlib.sha256(source.raw).hexdigest(),
        encoding=page.encoding,
        removed=tuple(sorted((*page.chrome, *laid.removed, *stamp_removed), key=lambda r: r.line)),
        title_origin=title_origin,
        dateline=nfc(dateline) if dateline else None,
        agency=agency,
        capture=source.capture,
        author=author,
        title_note=title_note,
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


def _field(entry: dict[str, Any], key: str, meta: dict[str, str], note: str = "") -> Field:
    if entry.get(key):
        return Field(str(entry[key]), "curator", note)
    if meta.get(key):
        return Field(meta[key], "metadata", meta.get(f"{key}_from", "the page's metadata"))
    return Field(None, "unknown", note)


def _lede(page: Layout) -> str:
    return page.paragraphs[0][1] if page.paragraphs else page.standfirst or ""


def _title(entry: dict[str, Any], page: Layout, meta: dict[str, str]) -> tuple[str, str, str]:
    """The headline (curator, the text, the page's metadata) or, when there is none, one made from the lede."""
    if entry.get("title"):
        return str(entry["title"]), "curator", "sources.yaml"
    if page.title:
        return page.title, "text", ""
    if meta.get("title"):
        return meta["title"], "metadata", meta.get("title_from", "")
    return inferred_title([t for _, t in page.paragraphs] or [page.standfirst or ""])


def _published(
    entry: dict[str, Any], meta: dict[str, str], page: Layout, capture: Capture | None = None
) -> tuple[Field, str | None, list[Removed]]:
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
        return Field(parse_date(raw).isoformat(), "metadata", f"{source}: {raw}"), dateline, removed  # type: ignore[union-attr]
    if best:
        caveat = "; the page prints only an update time, so first publication may be earlier" if best.kind == "updated" else ""
        return Field(best.value.isoformat(), "text", f"{best.note}, printed as \u201c{best.text}\u201d{caveat}"), dateline, removed
    # A file or archive photo's date is an earlier day's: never an anchor for the story's date.
    current = [c for c in page.captions if not _FILE_PHOTO.search(c)]
    texts = [*(("a photo caption", c) for c in current), *((f"\u00b6 {n}", t) for n, (_, t) in enumerate(page.paragraphs, 1))]
    notes = [("a print-edition note", r.text) for r in page.removed if r.reason == "print edition note"]
    printed = printed_publication(notes + texts)
    if printed:
        return Field(printed[0].isoformat(), "text", printed[1]), None, removed
    inferred = infer_from_weekday(_lede(page), texts)
    if inferred and not (capture and inferred[0].isoformat() > capture.date[:10]):
        return Field(inferred[0].isoformat(), "inferred", inferred[1]), None, removed
    if capture and capture.date:
        note = (f"no date in the page: the crawler captured it at {capture.date} (WARC-Date of {capture.record_id}), "
                "so it was published then or earlier")
        return Field(capture.date[:10], "capture", note), None, removed
    return Field(None, "unknown", "no date printed in the text or given in sources.yaml"), None, removed
