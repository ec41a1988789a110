"""Raw bytes → text: UTF-8 (with or without BOM) or Windows-1252; binary and junk rejected."""

from __future__ import annotations

import re

from .errors import IngestError

MAX_FILE_BYTES = 3_000_000
"""Largest source file accepted. News pages, even with their HTML, are far smaller."""
MAX_LINE_CHARS = 100_000
"""Longest single line (plain text) or paragraph (HTML) accepted."""

_SURROGATE = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")  # U+D800..U+DFFF written as UTF-8 (CESU-8, WTF-8)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Characters cp1252 produces that ordinary Western text uses (letters, punctuation, symbols).
_CP1252_PLAUSIBLE = re.compile(r"[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]")


def decode(raw: bytes) -> tuple[str, str]:
    """The text of `raw` and the encoding it was read with. Raises IngestError for unusable input."""
    if len(raw) > MAX_FILE_BYTES:
        raise IngestError(f"file too large: {len(raw):,} bytes (limit {MAX_FILE_BYTES:,})")
    if not raw.strip():
        raise IngestError("empty file")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _utf16(raw), "utf-16"
    elif b"\x00" in raw:
        raise IngestError("binary file (contains NUL bytes)")
    elif raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = _utf8(raw[3:]), "utf-8-sig"
    else:
        try:
            text, encoding = _utf8(raw), "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _cp1252_or_fail(raw, exc), "cp1252"
    _reject_binary(text)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _utf8(raw: bytes) -> str:
    return raw.decode("utf-8")


def _utf16(raw: bytes) -> str:
    """UTF-16 with its byte-order mark (what Windows' Notepad long saved as "Unicode")."""
    try:
        text = raw.decode("utf-16")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].decode("utf-16", "replace").count("\n") + 1
        raise IngestError(f"invalid UTF-16 (at byte offset {exc.start})", line) from None
    if "\x00" in text:
        raise IngestError("binary file (contains NUL characters)")
    return text


def _cp1252_or_fail(raw: bytes, exc: UnicodeDecodeError) -> str:
    line = raw[: exc.start].count(b"\n") + 1
    if _SURROGATE.match(raw, exc.start):
        raise IngestError(
            f"invalid UTF-8: an encoded surrogate (bytes {raw[exc.start:exc.start + 3].hex(' ')} at offset {exc.start}), "
            "a broken conversion from UTF-16; re-save the file as UTF-8", line)
    invalid = IngestError(f"invalid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}) and not Windows-1252 text", line)
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise invalid from None
    high = [ch for ch in text if ord(ch) > 0x7F]
    if len(high) > 0.1 * len(text) or not all(_CP1252_PLAUSIBLE.match(ch) for ch in high):
        raise invalid
    return text


def _reject_binary(text: str) -> None:
    sample = text[:8192]
    if len(_CONTROL.findall(sample)) > max(2, len(sample) // 100):
        raise IngestError("binary file (too many control characters)")


MAX_HTML_DEPTH = 256
"""Deepest element nesting accepted in an HTML source (libxml2's own default limit). Real news
pages nest a few dozen levels; a page nested thousands deep is an attack on the parser."""
_RAW_TEXT = re.compile(r"<!--.*?(?:-->|$)|<(script|style|textarea|title)\b.*?(?:</\1\s*>|$)", re.S | re.I)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*?(/?)>")
# Elements that never hold others (void) or whose end tag may be left out (closed by the parser).
_NO_DEPTH = frozenset(
    "area base br col embed hr img input link meta source track wbr param keygen frame basefont isindex "
    "p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption".split()
)


def check_nesting(html: str) -> None:
    """Raise IngestError when elements nest deeper than MAX_HTML_DEPTH; one linear pass, before
    any parser sees the page (parsers and tree walks are quadratic or recursive in depth)."""
    depth = 0
    for match in _TAG.finditer(_RAW_TEXT.sub("", html)):
        closing, name, self_closing = match.groups()
        if self_closing or name.lower() in _NO_DEPTH:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        depth += 1
        if depth > MAX_HTML_DEPTH:
            raise IngestError(f"HTML elements nested more than {MAX_HTML_DEPTH} deep: not a page Annalist can read safely")
