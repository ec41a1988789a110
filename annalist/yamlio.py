"""Reading the curator's YAML files (settings, manifest, authority file, correction front matter)
so that any bad input -- not UTF-8, broken YAML, nesting deep enough to exhaust the parser's
recursion -- becomes one message with its line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import re

import yaml

MAX_DEPTH = 100
"""Deepest nesting of lists and mappings accepted: curator files nest three or four levels."""


_BRACKETS = re.compile(r"[\[\]{}]")


class YAMLFileError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_text(path: Path) -> str:
    """The file's text; YAMLFileError naming the line of the first byte that is not UTF-8."""
    raw = Path(path).read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YAMLFileError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8", line) from None


def compose(text: str) -> yaml.Node | None:
    """The YAML node tree of `text` (safe loader); YAMLFileError for broken or too deeply nested YAML."""
    check_depth(text)
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"broken YAML: {exc.problem or exc}"
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            message += f" ({exc.context} begun on line {exc.context_mark.line + 1})"
        raise YAMLFileError(message, mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise YAMLFileError(f"broken YAML: {exc}") from None
    except RecursionError:
        raise YAMLFileError(f"YAML nested too deeply (limit {MAX_DEPTH} levels)") from None


def load(text: str):
    """Plain Python values of `text` (safe loader), with the same errors as compose()."""
    check_depth(text)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YAMLFileError(f"broken YAML: {getattr(exc, 'problem', None) or exc}", mark.line + 1 if mark else None) from None
    except RecursionError:
        raise YAMLFileError(f"YAML nested too deeply (limit {MAX_DEPTH} levels)") from None


def check_depth(text: str) -> None:
    """Flow collections ([ and {) nested beyond MAX_DEPTH, found in one linear pass.

    Block nesting needs indentation, so its depth is bounded by line length; flow brackets are
    what can nest thousands deep in a short file. Brackets inside quoted scalars are counted too,
    which can only overestimate, and only for text no curator writes.
    """
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match[0] in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                raise YAMLFileError(f"YAML nested too deeply (more than {MAX_DEPTH} levels of [ or {{)", line)
        else:
            depth = max(0, depth - 1)
