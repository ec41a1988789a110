"""Paths and helpers shared by the tests (importable as `support`: pytest puts tests/ on sys.path)."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SHARED = ROOT.parent / "shared"
CORPORA = SHARED / "corpora"
SOURCE_DATE_EPOCH = "1700000000"  # fixed, so two builds can be compared byte for byte


# An article naming someone the authority file does not know (Palmyra's antiquities chief).
UNKNOWN_NAME_ARTICLE = (
    "Archaeologists mourn Palmyra scholar\n\n"
    "Archaeologists in Palmyra remembered Khaled al-Asaad, the antiquities chief killed in 2015. "
    "Colleagues said Khaled al-Asaad had guarded the ruins for forty years.\n"
)


def copy_content(tmp_path: Path, sources: dict[str, str] | None = None) -> Path:
    """A private copy of content/ that a test may change, with extra source files if given."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    for name, text in (sources or {}).items():
        (target / "sources" / name).write_text(text, encoding="utf-8")
    return target
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; Playwright never downloads a browser here
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a folder over http on a free port of 127.0.0.1; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
