"""The one exception ingest raises for bad input."""

from __future__ import annotations


class IngestError(ValueError):
    """Bad input in one source file: a one-line message and, where one applies, the 1-based line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
