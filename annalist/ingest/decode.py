"""Raw bytes → text: UTF-8 (with or without BOM) or Windows-1252; binary and junk rejected."""

from __future__ import annotations

import re

from .errors import IngestError

MAX_FILE_BYTES = 3_000_000
"""Largest source file accepted. News pages, even with their HTML, are far smaller."""
MAX_LINE_CHARS = 100_000
"""Longest single line (plain text) or paragraph (HTML) accepted."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Characters cp1252 produces that ordinary Western text uses (letters, punctuation, symbols).
_CP1252_PLAUSIBLE = re.compile(r"[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2026\u2030\u2039\u203a\u20ac\u2122]")


def decode(raw: bytes) -> tuple[str, str]:
    """The text of `raw` and the encoding it was read with. Raises IngestError for unusable input."""
    if len(raw) > MAX_FILE_BYTES:
        raise IngestError(f"file too large: {len(raw):,} bytes (limit {MAX_FILE_BYTES:,})")
    if not raw.strip():
        raise IngestError("empty file")
    if b"\x00" in raw:
        raise IngestError("binary file (contains NUL bytes)")
    if raw.startswith(b"\xef\xbb\xbf"):
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


def _cp1252_or_fail(raw: bytes, exc: UnicodeDecodeError) -> str:
    line = raw[: exc.start].count(b"\n") + 1
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
