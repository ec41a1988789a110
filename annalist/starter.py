"""`annalist new DIR`: write a small archive that builds as it is, for a curator to make their own.

The files are the package's skeleton/ folder (settings with comments, an authority file with one
example per type, a commented sources.yaml, one example source, a .gitignore).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .resources import SKELETON_DIR

# Package data cannot carry dot-files reliably, so the skeleton names them without the dot.
DOTFILES = {"gitignore": ".gitignore"}


class StarterError(Exception):
    """The folder cannot take a new archive (it has files in it, or is not a folder)."""


def new_archive(target: Path) -> list[Path]:
    """Copy the skeleton into `target` (created; an existing folder must be empty). Returns the files written."""
    if target.exists() and not target.is_dir():
        raise StarterError(f"{target}: exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        raise StarterError(f"{target}: folder is not empty; `annalist new` writes only into a new or empty folder")
    written = []
    for source in sorted(p for p in SKELETON_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        rel = source.relative_to(SKELETON_DIR)
        dest = target / rel.parent / DOTFILES.get(rel.name, rel.name)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, dest)
        written.append(dest)
    return written
