"""Web archives: a WARC file (Heritrix, Browsertrix, Webrecorder crawls) → its HTML captures.

Each `response` record whose payload is HTML becomes one article; the record's capture time and
target URL are its provenance (origin "capture"), its payload digest is verified, and several
captures of one URL are numbered as versions of one page (1 = the earliest). Other records
(requests, metadata, images, scripts) are skipped; a record that cannot be read is a one-line
problem naming the file and the record, and the file's other records are still read.
"""

from __future__ import annotations

import io
import zlib
from collections import defaultdict
from dataclasses import dataclass, replace

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..model import Capture
from .errors import IngestError

WARC_SUFFIXES = (".warc", ".warc.gz")
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Record:
    """One HTML capture: its payload (the page as served) and where it came from."""

    key: str  # "<warc file>#<record id>": its name in sources.yaml and in problems
    payload: bytes
    charset: str | None  # from the HTTP Content-Type header, if it says
    capture: Capture


@dataclass(frozen=True)
class Skipped:
    """A record that is not an article, or could not be read: (record, message, is it an error)."""

    record: str
    message: str
    error: bool


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


def read_warc(rel: str, raw: bytes) -> tuple[list[Record], list[Skipped]]:
    """The HTML captures of one WARC file, and every record skipped (with why)."""
    records: list[Record] = []
    skipped: list[Skipped] = []
    stream = io.BytesIO(raw)
    iterator = ArchiveIterator(stream, check_digests=True)
    position = 0
    try:
        for record in iterator:
            found = _record(rel, record, iterator)
            position = iterator.offset if hasattr(iterator, "offset") else position
            if isinstance(found, Record):
                records.append(found)
            elif found is not None:
                skipped.append(found)
        end = getattr(iterator, "offset", len(raw))
        if raw[end:].strip(b"\r\n\x00"):
            skipped.append(Skipped(f"offset {end}", f"truncated record at byte {end:,} of {len(raw):,}: the file ends inside it", True))
    except (ArchiveLoadFailed, zlib.error, EOFError, ValueError, OSError) as exc:
        at = getattr(iterator, "offset", position)
        reason = "corrupt gzip member" if isinstance(exc, zlib.error) or rel.lower().endswith(".gz") else "unreadable record"
        first = str(exc).split("\n")[0][:80]
        skipped.append(Skipped(f"offset {at}", f"{reason} at byte {at:,}; the rest of the file is not read ({first})", True))
    if not records and not any(s.error for s in skipped):
        raise IngestError("no HTML page captured in this web archive")
    return _versions(records), skipped


def _record(rel: str, record, iterator) -> Record | Skipped | None:
    record_id = record.rec_headers.get_header("WARC-Record-ID") or ""
    if record.rec_type not in ("response", "resource"):
        return None  # requests, warcinfo, metadata, revisits: not pages
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    content_type = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or (
        record.rec_headers.get_header("Content-Type") or ""
    )
    status = record.http_headers.get_statuscode() if record.http_headers else "200"
    payload = record.content_stream().read()
    offset = iterator.get_record_offset()
    where = f"record {record_id or 'without id'} at byte {offset:,} ({uri})"
    if not content_type.lower().startswith(HTML_TYPES):
        return Skipped(where, f"not an HTML page ({content_type.split(';')[0] or 'no content type'}): skipped", False)
    if status and not str(status).startswith("2"):
        return Skipped(where, f"HTTP status {status}: not a captured page, skipped", False)
    digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
    checker = record.digest_checker
    if checker.passed is False:
        return Skipped(where, f"digest does not match ({'; '.join(checker.problems)}): the record was altered or damaged", True)
    expected = int(record.rec_headers.get_header("Content-Length") or 0)
    if checker.passed is None and digest:
        return Skipped(where, f"truncated record: its payload digest cannot be verified (Content-Length {expected:,})", True)
    charset = None
    if "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None
    date = record.rec_headers.get_header("WARC-Date") or ""
    capture = Capture(rel, record_id, uri, date, offset, digest)
    return Record(f"{rel}#{record_id.strip('<>')}", payload, charset, capture)


def _versions(records: list[Record]) -> list[Record]:
    """Number the captures of each URL in capture order: version 1 is the earliest."""
    by_uri: dict[str, list[Record]] = defaultdict(list)
    for r in records:
        by_uri[r.capture.target_uri].append(r)
    numbered = {}
    for same in by_uri.values():
        same.sort(key=lambda r: (r.capture.date, r.capture.offset))
        for n, r in enumerate(same, 1):
            numbered[id(r)] = replace(r, capture=replace(r.capture, version=n, versions=len(same)))
    return [numbered[id(r)] for r in records]
