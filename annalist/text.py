"""Text normalisation and slugs: the one place for these decisions, used by every stage."""

from __future__ import annotations

import re
import unicodedata

# Characters that look like a space but are not U+0020. Kept in stored text, folded for matching.
_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_FOLD = str.maketrans(
    {
        **{c: " " for c in _SPACES},
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
    }
)


def clean(text: str) -> str:
    """Canonical stored form of article text: Unicode NFC, nothing else changed.

    Curly quotes, non-breaking spaces and right-to-left text are the source's and are kept.
    """
    return unicodedata.normalize("NFC", text)


# Every character folds to exactly one character (dropped invisibles become " "), so offsets
# found in folded text are offsets into the original.
_FOLD_TABLE = {k: (v if isinstance(v, str) and len(v) == 1 else " ") for k, v in _FOLD.items()}


def fold(text: str) -> str:
    """A matching form of the same length as `text`, character for character.

    Non-breaking and other spaces become ' ', curly quotes straight, dashes '-'; invisible
    characters (soft hyphen, zero-width) become ' ' rather than vanish, so that offsets found in
    the folded text are offsets into the original.
    """
    return text if text.isascii() else text.translate(_FOLD_TABLE)


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII, lower-case, hyphen-separated; cut at a word boundary. Empty input gives ''."""
    ascii_text = unicodedata.normalize("NFKD", fold(text)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug
