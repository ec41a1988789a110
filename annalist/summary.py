"""What a build reports: its result and the summary printed at its end (one line per problem first).

Kept apart from pipeline.py so that a build with nothing to do (annalist.cache.unchanged_site) can
report without loading the stages.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .model import Problem


@dataclass
class BuildResult:
    articles: int = 0
    pages: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    out: Path | None = None  # where the site was written
    notes: list[str] = field(default_factory=list)  # for the curator; neither errors nor warnings
    written: int = 0  # files written afresh; the others were linked unchanged from the previous site
    search_seconds: float | None = None  # time Pagefind took; None: not run (no search, or no page changed)
    search_cpu: float | None = None  # CPU it took (the build's process and Pagefind's)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def shown(path: Path) -> str:
    """A path as the curator typed it: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def report(result: BuildResult, stream=None) -> None:
    stream = stream or sys.stderr
    for problem in sorted(result.problems, key=lambda p: (p.severity != "error", p.file, p.line or 0)):
        print(problem, file=stream)
    for note in result.notes:
        print(f"note: {note}", file=stream)
    where = f" into {shown(result.out)}{os.sep}" if result.out else ""
    print(
        f"built {plural(result.articles, 'article')}, {plural(result.pages, 'page')}, "
        f"{plural(result.files, 'file')}{where}; {plural(len(result.errors), 'error')}, "
        f"{plural(len(result.warnings), 'warning')}; {result.seconds:.1f} s",
        file=stream,
    )
    if 0 < result.written < result.files:  # a rebuild: say what it did
        searched = "" if result.search_seconds is None else f"; the search index took {result.search_seconds:.1f} s" + (
            "" if result.search_cpu is None else f" ({result.search_cpu:.1f} s CPU)")
        print(f"rebuilt {plural(result.written, 'file')}; {result.files - result.written} unchanged{searched}",
              file=stream)
    if result.out:
        site = shown(result.out)
        serve = "annalist serve" if site == "site" else f"annalist serve --out {shlex.quote(site)}"
        print(f"open {os.path.join(site, 'index.html')} in a browser (it works from the folder, offline), "
              f"or preview it over http with `{serve}`", file=stream)
