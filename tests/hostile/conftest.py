"""The hostile site: content/ plus every case of corpus.py, built once per session with search."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # corpus.py

from annalist.cli import main  # noqa: E402
from support import SOURCE_DATE_EPOCH, serve  # noqa: E402


@dataclass(frozen=True)
class HostileBuild:
    root: Path  # holds content/ and site/ only
    content: Path
    site: Path
    status: int
    stderr: str
    before: frozenset[str]  # every path under root, but site/, before the build


def tree(root: Path, skip: str | None = None) -> frozenset[str]:
    """Every path under root (links not followed), with its size and mtime for files."""
    found = set()
    for folder, dirs, names in os.walk(root):
        rel = os.path.relpath(folder, root)
        if skip and (rel == skip or rel.startswith(skip + os.sep)):
            continue
        for name in dirs + names:
            path = os.path.join(folder, name)
            if skip and os.path.relpath(path, root) == skip:
                continue
            st = os.lstat(path)
            found.add(f"{os.path.relpath(path, root)!r} {st.st_mode:o} {st.st_size} {st.st_mtime_ns}")
    return frozenset(found)


@pytest.fixture(scope="session")
def hostile(tmp_path_factory) -> HostileBuild:
    import corpus

    root = tmp_path_factory.mktemp("hostile")
    content = corpus.make_content(root)
    site = root / "site"
    before = tree(root)
    capture = root.parent / "hostile-stderr.txt"
    old_env = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    saved = sys.stderr
    try:
        with capture.open("w", encoding="utf-8") as sys.stderr:
            status = main(["build", "--content", str(content), "--out", str(site)])
    finally:
        sys.stderr = saved
        if old_env is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old_env
    return HostileBuild(root, content, site, status, capture.read_text(encoding="utf-8"), before)


@pytest.fixture(scope="session")
def hostile_served(hostile):
    with serve(hostile.site) as url:
        yield url
