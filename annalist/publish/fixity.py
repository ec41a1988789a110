"""Fixity: a BagIt-style checksum manifest of the published site, and its verification.

`manifest-sha256.txt` at the site root lists "<sha256>  <path>" for every published file (POSIX
paths relative to the root, sorted, UTF-8), so that anyone holding a copy -- a mirror, a zip, a
library's deposit -- can prove years later that a cited page still carries the same words.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

MANIFEST = "manifest-sha256.txt"


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks (the manifest's, and the writer's reuse check)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def published_files(site_dir: Path) -> list[str]:
    """Every file under site_dir except the manifest itself, as sorted POSIX relative paths
    (folders reached through a symbolic link are not entered). One path operation per folder,
    not per file: a site holds tens of thousands."""
    root = os.fspath(site_dir)
    found = []
    for folder, _, names in os.walk(root):
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found += [prefix + name for name in names if os.path.isfile(os.path.join(folder, name))]
    return sorted(rel for rel in found if rel != MANIFEST)


def write_manifest(site_dir: Path, known: dict[str, str] | None = None, complete: bool = False) -> Path:
    """`known`: checksums already computed (path → sha256); the other files are read. `complete`:
    `known` lists every file of the site (the build's writer does), so the site is not walked."""
    known = known or {}
    listed = sorted(rel for rel in known if rel != MANIFEST) if complete else published_files(site_dir)
    lines = [f"{known.get(rel) or file_sha256(site_dir / rel)}  {rel}\n" for rel in listed]
    manifest = site_dir / MANIFEST
    manifest.write_bytes("".join(lines).encode("utf-8"))
    return manifest


def read_manifest(site_dir: Path) -> tuple[dict[str, str], list[str]]:
    """{path: sha256} and the problems met reading it (malformed lines)."""
    entries: dict[str, str] = {}
    problems: list[str] = []
    for n, raw in enumerate((site_dir / MANIFEST).read_bytes().splitlines(), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"malformed: {MANIFEST} line {n} (not UTF-8)")
            continue
        digest, sep, rel = line.partition("  ")
        if not sep or len(digest) != 64 or not rel:
            problems.append(f"malformed: {MANIFEST} line {n}")
            continue
        entries[rel] = digest.lower()
    return entries, problems


def verify(site_dir: Path) -> list[str]:
    """[] when the site matches its manifest; otherwise one line per problem, sorted by path.

    "changed: <path>" and "missing: <path>" are failures: a cited page is not what was published.
    "unlisted: <path>" is a file the manifest does not know: a stray upload, an editor's backup,
    or a changed file whose manifest line was deleted -- which cannot be told apart, so it fails
    the check too. "malformed: ..." is a manifest line that cannot be read.
    A missing manifest is reported as "missing: manifest-sha256.txt".
    """
    if not (site_dir / MANIFEST).is_file():
        return [f"missing: {MANIFEST}"]
    listed, problems = read_manifest(site_dir)
    present = set(published_files(site_dir))
    for rel, digest in sorted(listed.items()):
        if rel not in present:
            problems.append(f"missing: {rel}")
        elif file_sha256(site_dir / rel) != digest:
            problems.append(f"changed: {rel}")
    problems += [f"unlisted: {rel}" for rel in sorted(present - set(listed))]
    return problems


def failures(problems: list[str]) -> list[str]:
    """The problems that mean the archive is not intact: all of them. A file the manifest does not
    list may be a changed file whose line was deleted, so the copy is not proven intact."""
    return list(problems)
