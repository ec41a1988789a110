"""Paths and helpers shared by the tests (importable as `support`: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
SOURCE_DATE_EPOCH = "1700000000"  # fixed, so two builds can be compared byte for byte


def copy_content(tmp_path: Path) -> Path:
    """A private copy of content/ that a test may change."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright never downloads a browser here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
