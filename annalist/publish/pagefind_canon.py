"""Make a Pagefind bundle deterministic: same pages in, same `_pagefind/` bytes out.

Pagefind (checked against 1.5.2) builds its filter index from Rust hash maps with a random seed,
so three things in a bundle change from run to run although nothing they mean does:

* each `filter/<lang>_<hash>.pf_filter` lists its values (`[value, [page, ...]]`) in hash-map
  order, and so its bytes and the hash in its name change;
* `pagefind.<lang>_<hash>.pf_meta` lists the filters (`[name, file hash]`) in hash-map order and
  names the changing filter files, so its bytes and name change;
* `pagefind-entry.json` names the meta file (and lists languages in hash-map order).

Word indexes, fragments and everything else were byte-identical across runs, and so are left alone
(their gzip headers carry no timestamp: MTIME is 0).

`canonicalise(bundle_dir)` rewrites those three kinds of file in place: values sorted by value,
filters and sorts sorted by name (code point order, which is Rust's `String` order). One more
change, for bundles merged at query time: every page gets a longer name (PAGE_HASH_LENGTH digits
of the same hash instead of 7): its fragment file is renamed and the meta file's page list says
so; nothing else changes. The CBOR is re-encoded in exactly the shapes Pagefind writes (minicbor: definite-length
arrays, shortest-form integers and lengths, text strings); before touching a file we check that
decoding and re-encoding it reproduces Pagefind's bytes, so a future Pagefind with a different
layout fails loudly here rather than producing a bundle the wasm cannot read. Files are named the
way Pagefind names them, from a hash of the uncompressed CBOR, so names stay stable even where
zlib builds differ in the compressed bytes:

    full_hash(b) = "".join(f"{x:x}" for x in sha1(b).digest())   # Rust `{:x?}` per byte: no padding
    filter file  = f"{lang}_{full_hash(cbor)}"[: len(lang) + 8]    # "en_" + 7 hex
    meta file    = f"{lang}_" + full_hash(cbor)[: len(lang) + 8]   # "en_" + 10 hex

and gzip-compressed like Pagefind's: the `pagefind_dcd` signature, then the CBOR; a fixed gzip
header (no name, MTIME 0, XFL 2, OS 255) and deflate at level 9.

The bundle must be fresh from Pagefind (only the files it just wrote): the filter and meta files
named by the entry file are replaced; other files are not looked at.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY_FILE = "pagefind-entry.json"
FILTER_DIR = "filter"

# Gzip member header as Pagefind's flate2 writes it: magic, deflate, no flags, MTIME 0,
# XFL 2 (best compression), OS 255 (unknown).
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
_GZIP_LEVEL = 9

# pf_meta: [version, pages, index_chunks, filters, sorts, meta_fields]
_META_FIELDS = 6
_META_PAGES = 1
_META_FILTERS = 3
FRAGMENT_DIR = "fragment"
PAGE_HASH_LENGTH = 16
"""Hex digits of a page's name (its fragment file, and the id a search result carries). Pagefind
uses 7, growing them only on a collision inside its bundle; bundles merged at query time
(pagefind.mergeIndex) are never checked against each other, and at 7 digits two of 10,000 pages
in different bundles share a name with a probability of about 1 in 6. At 16 the names stay unique."""
_META_SORTS = 4


class PagefindFormatError(ValueError):
    """The bundle is not laid out the way this module knows Pagefind (1.5.x) writes it."""


def full_hash(data: bytes) -> str:
    """Pagefind's `utils::full_hash`: SHA-1, each byte as unpadded lower-case hex."""
    return "".join(f"{b:x}" for b in hashlib.sha1(data).digest())


def gzip_bytes(payload: bytes) -> bytes:
    """A single gzip member with a fixed header (no file name, no timestamp)."""
    compressor = zlib.compressobj(_GZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS, 8, zlib.Z_DEFAULT_STRATEGY)
    body = compressor.compress(payload) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(payload) & 0xFFFFFFFF, len(payload) & 0xFFFFFFFF)
    return _GZIP_HEADER + body + trailer


def _read(path: Path):
    """Decode one of Pagefind's gzip'd, signed CBOR files, checking it re-encodes exactly."""
    raw = zlib.decompress(path.read_bytes(), wbits=16 + zlib.MAX_WBITS)
    if not raw.startswith(SIGNATURE):
        raise PagefindFormatError(f"{path}: no {SIGNATURE!r} signature")
    body = raw[len(SIGNATURE):]
    value = cbor2.loads(body)
    if cbor2.dumps(value) != body:
        raise PagefindFormatError(f"{path}: CBOR does not re-encode byte for byte; layout changed?")
    return value


def _encode(value) -> bytes:
    return cbor2.dumps(value)


def _is_str_pair_list(items, second) -> bool:
    return isinstance(items, list) and all(
        isinstance(it, list) and len(it) == 2 and isinstance(it[0], str) and second(it[1]) for it in items
    )


def _is_int_list(items) -> bool:
    return isinstance(items, list) and all(isinstance(i, int) and not isinstance(i, bool) for i in items)


def _canonical_filter(value, path: Path) -> list:
    """[name, [[value, [page, ...]], ...]] with the values sorted."""
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
            and _is_str_pair_list(value[1], _is_int_list)):
        raise PagefindFormatError(f"{path}: not a Pagefind filter index")
    values = sorted(value[1], key=lambda v: v[0])
    if len({v[0] for v in values}) != len(values):
        raise PagefindFormatError(f"{path}: repeated filter value")
    return [value[0], values]


def _short_hash(full: str, length: int, taken: set[str]) -> str:
    """Pagefind's collision rule for chunk names: start at `length`, grow by two while taken."""
    short = full[:length]
    while short in taken:
        short = full[: len(short) + 2]
        if len(short) >= len(full):
            break
    return short


def _canonicalise_language(bundle: Path, language: str, meta_hash: str) -> str:
    """Rewrite one language's filter and meta files; returns the new meta hash."""
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _read(meta_path)
    if not (isinstance(meta, list) and len(meta) == _META_FIELDS and isinstance(meta[0], str)
            and _is_str_pair_list(meta[_META_FILTERS], lambda h: isinstance(h, str))
            and _is_str_pair_list(meta[_META_SORTS], _is_int_list)):
        raise PagefindFormatError(f"{meta_path}: not a Pagefind {_META_FIELDS}-field meta index")

    filters = sorted(meta[_META_FILTERS], key=lambda f: f[0])
    if len({f[0] for f in filters}) != len(filters):
        raise PagefindFormatError(f"{meta_path}: repeated filter name")

    old_files: list[Path] = []
    new_files: dict[str, bytes] = {}
    new_filters = []
    for name, old_hash in filters:
        path = bundle / FILTER_DIR / f"{old_hash}.pf_filter"
        canonical = _canonical_filter(_read(path), path)
        if canonical[0] != name:
            raise PagefindFormatError(f"{path}: holds {canonical[0]!r}, the meta index says {name!r}")
        body = _encode(canonical)
        short = _short_hash(f"{language}_{full_hash(body)}", len(language) + 8, set(new_files))
        new_files[short] = body
        new_filters.append([name, short])
        old_files.append(path)

    meta[_META_FILTERS] = new_filters
    renamed = _long_page_names(bundle, language, meta, meta_path)
    # Sort orders (pages by a data-pagefind-sort key) come out of a hash map too.
    meta[_META_SORTS] = sorted(meta[_META_SORTS], key=lambda s: s[0])
    meta_body = _encode(meta)
    new_meta_hash = f"{language}_" + full_hash(meta_body)[: len(language) + 8]

    # Read everything first, then replace: a new name may equal an old one.
    for path in old_files:
        path.unlink(missing_ok=True)
    meta_path.unlink()
    for short, body in new_files.items():
        (bundle / FILTER_DIR / f"{short}.pf_filter").write_bytes(gzip_bytes(SIGNATURE + body))
    for old_name, new_name in renamed:
        (bundle / FRAGMENT_DIR / f"{old_name}.pf_fragment").rename(bundle / FRAGMENT_DIR / f"{new_name}.pf_fragment")
    (bundle / f"pagefind.{new_meta_hash}.pf_meta").write_bytes(gzip_bytes(SIGNATURE + meta_body))
    return new_meta_hash


def _long_page_names(bundle: Path, language: str, meta: list, meta_path: Path) -> list[tuple[str, str]]:
    """Give every page (meta's [[name, word count], ...]) a name of PAGE_HASH_LENGTH digits of its
    fragment's hash, the way Pagefind names it with 7 (checked: a name that is not a prefix of
    its fragment's hash is a layout this module does not know); returns (old, new) names."""
    pages = meta[_META_PAGES]
    if not (isinstance(pages, list) and all(isinstance(p, list) and p and isinstance(p[0], str) for p in pages)):
        raise PagefindFormatError(f"{meta_path}: no page list")
    renamed, taken = [], set()
    for page in pages:
        name = page[0]
        path = bundle / FRAGMENT_DIR / f"{name}.pf_fragment"
        raw = zlib.decompress(path.read_bytes(), wbits=16 + zlib.MAX_WBITS)
        if not raw.startswith(SIGNATURE):
            raise PagefindFormatError(f"{path}: no {SIGNATURE!r} signature")
        full = f"{language}_{full_hash(raw[len(SIGNATURE):])}"
        if not full.startswith(name):
            raise PagefindFormatError(f"{path}: its name is not its hash; layout changed?")
        long = _short_hash(full, max(len(name), len(language) + 1 + PAGE_HASH_LENGTH), taken)
        taken.add(long)
        page[0] = long
        if long != name:
            renamed.append((name, long))
    return renamed


def canonicalise(bundle_dir: Path) -> None:
    """Rewrite a freshly written Pagefind bundle (`_pagefind/`) into its canonical form, in place.

    Idempotent: canonicalising a canonical bundle leaves every byte as it was.
    """
    bundle = Path(bundle_dir)
    entry_path = bundle / ENTRY_FILE
    text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(text)
    # Pagefind writes the entry with serde_json (compact, UTF-8, fields in struct order); make
    # sure we write it back the same way.
    if _dump_json(entry) != text:
        raise PagefindFormatError(f"{entry_path}: does not re-serialise byte for byte")
    languages = entry.get("languages")
    if not isinstance(languages, dict):
        raise PagefindFormatError(f"{entry_path}: no languages")

    for language, info in languages.items():
        old = info.get("hash") if isinstance(info, dict) else None
        if not isinstance(old, str) or not old.startswith(f"{language}_"):
            raise PagefindFormatError(f"{entry_path}: language {language!r} has no usable hash")
        info["hash"] = _canonicalise_language(bundle, language, old)

    entry["languages"] = {lang: languages[lang] for lang in sorted(languages)}
    entry_path.write_bytes(_dump_json(entry).encode("utf-8"))


def _dump_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
