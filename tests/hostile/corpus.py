"""The hostile-input corpus: source files an attacker or a careless curator could hand Annalist,
each with its exact expected outcome. Generated here (a few are links, pipes or 2 MB files, which
no repository should hold), written into a copy of content/ by `make_content`.

A case is published (its original copied byte for byte under a safe name) or refused with one
error line, exactly `error: sources/<name>[:<line>]: <message>`.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from support import CONTENT

# Every way we know to make a browser run script, each of which sets window.__xss when it runs.
# They go into article text, titles, outlets, metadata, entity names and settings.
PAYLOADS = (
    '<script>window.__xss=1</script>',
    '<img src=x onerror="window.__xss=2">',
    '<svg onload=window.__xss=3>',
    '"><img src=x onerror=window.__xss=4>',
    "'><img src=x onerror=window.__xss=5>",
    '</script><script>window.__xss=6</script>',
    '<iframe srcdoc="<script>parent.__xss=7</script>"></iframe>',
    '<a href="javascript:window.__xss=8">click</a>',
    '<details open ontoggle=window.__xss=9>',
    '[link](javascript:window.__xss=10)',
    '![x](x" onerror="window.__xss=11)',
    '<body onload=window.__xss=12>',
    '{{ 7*7 }} {% raw %}',
    '<math><mi xlink:href="javascript:window.__xss=13">x</mi></math>',
    '<object data="javascript:window.__xss=14"></object>',
    '\u2028</script>\u2029<script>window.__xss=15</script>',
)
XSS = " ".join(PAYLOADS)

ARTICLE = (
    "{title}\n\n"
    "Syrian government forces recaptured the ancient city of Palmyra on Sunday, state media said.\n\n"
    "The army said its engineers were clearing mines left in the ruins, and that {extra}.\n"
)


def article(title: str, extra: str = "the museum would reopen") -> str:
    return ARTICLE.format(title=title, extra=extra)


@dataclass(frozen=True)
class Case:
    name: str  # path under content/sources/ (str, or bytes for a name that is not UTF-8)
    content: bytes | None  # None: made by `make` (links, pipes)
    error: str | None = None  # the exact message, or None when the file must be published
    line: int | None = None
    why: str = ""

    @property
    def shown(self) -> str:
        return self.name if isinstance(self.name, str) else os.fsdecode(self.name)


def _text(title: str, extra: str = "the museum would reopen") -> bytes:
    return article(title, extra).encode("utf-8")


HOSTILE_HTML = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Saved page that runs script</title>
<meta property="og:site_name" content='{PAYLOADS[1]}'>
<meta property="og:url" content="javascript:window.__xss=20">
<script>window.__xss=21</script>
</head>
<body onload="window.__xss=22" data-pagefind-body>
<article><h1>Engineers clear mines in Palmyra {PAYLOADS[0]}</h1>
<p>Syrian army engineers cleared mines in the ruins of Palmyra on Monday, officials said.</p>
<p>The museum's director said statues had been damaged <img src=x onerror="window.__xss=23">.</p>
<script>window.__xss=24</script>
</article></body></html>
"""

CP1252_HTML = (
    "<!doctype html><html><head><title>Caf\u00e9 reopens in Palmyra \u2013 r\u00e9sum\u00e9</title></head><body>"
    "<article><h1>Caf\u00e9 reopens in Palmyra \u2013 a r\u00e9sum\u00e9</h1>"
    "<p>The caf\u00e9 beside the ruins reopened on Tuesday, its owner said \u2018at last\u2019.</p>"
    "<p>Prices were quoted in pounds \u00a3 and euros \u20ac by the caf\u00e9\u2019s owner.</p>"
    "</article></body></html>\n"
).encode("cp1252")

DEEP = 200_000
NESTED_HTML = ("<html><body>" + "<div>" * DEEP + "<p>Palmyra deep text.</p>" + "</div>" * DEEP + "</body></html>").encode()

CASES: tuple[Case, ...] = (
    # --- ordinary names a file system allows: all build (issue point 2) ---
    Case("name with spaces & ampersand.txt", _text("Mines cleared near the Temple of Bel"), why="spaces and &"),
    Case("unicode_näme_عربي.txt", _text("Museum staff return to Palmyra"), why="accents and Arabic"),
    Case("a..b.txt", _text("Two dots in a file name"), why="'..' inside a name"),
    Case("-dash.txt", _text("A leading dash"), why="looks like a command option"),
    Case("_under.txt", _text("A leading underscore"), why="leading underscore"),
    Case("..x/page.txt", _text("A folder named ..x"), why="folder starting with .."),
    Case("deep/nested/folders/story.txt", _text("Nested folders of sources"), why="nested folders"),
    Case("emoji 📰 news.txt", _text("An emoji in a name"), why="emoji"),
    Case("quote\"and'apostrophe.txt", _text("Quotes in a name"), why="quotes"),
    Case("percent%20hash#question?.txt", _text("URL characters in a name"), why="%, # and ? mean something in URLs"),
    Case("x" * 200 + ".txt", _text("A very long file name"), why="200-character name"),
    Case("Case.txt", _text("Case one"), why="differs from case.txt only in case"),
    Case("case.txt", _text("Case two"), why="differs from Case.txt only in case"),
    Case("UPPER.TXT", _text("An upper-case extension"), why="upper-case suffix"),
    Case("<script>alert(1)<:script>.txt", _text("A name that is markup"), why="markup in a file name"),
    # --- content that must be published as text and never run (points 3, 4, 8, 10) ---
    Case("saved page.html", HOSTILE_HTML.encode("utf-8"), why="saved page with script, data-pagefind-body, XSS og:site_name"),
    Case("windows-1252.html", CP1252_HTML, why="Windows-1252 HTML (was a traceback at indexing)"),
    Case("utf-16.txt", codecs.BOM_UTF16_LE + article("A UTF-16 file from Notepad").encode("utf-16-le"), why="UTF-16 with BOM"),
    Case("utf-8-bom.txt", codecs.BOM_UTF8 + _text("A UTF-8 file with a BOM"), why="UTF-8 BOM"),
    Case("crlf.txt", _text("Windows line ends").replace(b"\n", b"\r\n"), why="CRLF line ends"),
    Case("injections.txt", _text(f"Payloads in a headline {XSS}", XSS), why="every payload in title and text"),
    Case("bad-lang.html", b"<html lang='en/../x'><head><title>Bad lang</title></head><body><article><h1>A page with a bad lang</h1>"
         b"<p>Syrian forces entered Palmyra's citadel on Sunday, the army said.</p></article></body></html>",
         why="<html lang> that is not BCP 47 is ignored"),
    Case("sky.txt", _text("Sky spelling one"), why="outlet 'Sky News' (sources.yaml)"),
    Case("sky-2.txt", _text("Sky spelling two"), why="outlet 'SKY-news!' (sources.yaml): a warning"),
    Case("linked-inside.txt", None, why="symbolic link to a file inside content/"),
    Case("manifest-errors.txt", _text("Its manifest entry is hostile"), why="javascript: url, bad language, 300-char id in sources.yaml"),
    # --- refused, one line each (points 5, 8, 9, 10) ---
    Case("empty.txt", b"", error="empty file"),
    Case("blank.txt", b"  \n\n \t\n", error="empty file"),
    Case("nul.txt", b"Palmyra\x00\x01\x02 text", error="binary file (contains NUL bytes)"),
    Case("controls.txt", bytes(range(1, 9)) * 200, error="binary file (too many control characters)"),
    Case("surrogates.txt", b"Palmyra news\n\nSoldiers \xed\xa0\x80 entered.\n", line=3,
         error="invalid UTF-8: an encoded surrogate (bytes ed a0 80 at offset 23), a broken conversion from UTF-16; "
               "re-save the file as UTF-8"),
    Case("not-text.txt", b"Palmyra\n\x81\x8d\x8f\x90\x9d" * 5, line=2,
         error="invalid UTF-8 (byte 0x81 at offset 8) and not Windows-1252 text"),
    Case("bad-utf-16.txt", codecs.BOM_UTF16_LE + "Palmyra".encode("utf-16-le") + b"\x00\xd8", line=1,
         error="invalid UTF-16 (at byte offset 16)"),
    Case("too-big.txt", b"Palmyra news.\n" * 230_000, error="file too large: 3,220,000 bytes (limit 3,000,000)"),
    Case("long-line.txt", b"Headline\n\n" + b"word " * 25_000, line=3,
         error="line is 125,000 characters long (limit 100,000): not an article"),
    Case("nested.html", NESTED_HTML, error="HTML elements nested more than 256 deep: not a page Annalist can read safely"),
    Case("passwd.txt", None, error="a symbolic link to a file outside the content folder (/etc/passwd); refused"),
    Case("dangling.txt", None, error="a symbolic link to nothing (does-not-exist.txt)"),
    Case("pipe.txt", None, error="not a regular file (a pipe, socket or device); refused"),
    Case("line\nbreak.txt", _text("A line break in a name"),
         error="file name holds control characters (a line break, a tab...); rename the file"),
    Case(b"latin1-\xe9.txt", _text("A name that is not UTF-8"), error="file name is not valid UTF-8 text; rename the file"),
)

GOOD = tuple(c for c in CASES if c.error is None)
BAD = tuple(c for c in CASES if c.error is not None)

def q(text: str) -> str:
    """A YAML double-quoted scalar of any text (JSON strings are YAML)."""
    return json.dumps(text)


# sources.yaml entries added for the cases (curator-given hostile values)
MANIFEST = f"""
sky.txt:
  outlet: Sky News
sky-2.txt:
  outlet: SKY-news!
injections.txt:
  outlet: {q(PAYLOADS[1])}
  notes: {q(PAYLOADS[3])}
manifest-errors.txt:
  url: "javascript:window.__xss=30"
  language: en/../x
  id: {"a" * 300}
"""
MANIFEST_ERRORS = (  # (line in the appended block, counted from the first appended line, message)
    ("manifest-errors.txt: url: expected an http(s) URL, got 'javascript:window.__xss=30'"),
    ("manifest-errors.txt: language: expected a BCP 47 language tag such as 'en', got 'en/../x'"),
    ("manifest-errors.txt: id: an id is at most 120 characters (it names files in the site), got 300"),
)

# an entity whose every name is a payload (its name reaches Pagefind's entity filter)
ENTITIES = f"""
- id: hostile-entity
  name: {q(PAYLOADS[1] + " Temple of Bel")}
  type: place
  aliases: ['Temple of Bel', {q(PAYLOADS[2])}]
  description: {q(PAYLOADS[0] + " " + PAYLOADS[9])}
"""

SETTINGS = f"""name: {q("Hostile archive " + PAYLOADS[1])}
version: {q("1 " + PAYLOADS[2])}
base_url: ""
language: en
description: {q(PAYLOADS[0] + " " + PAYLOADS[4])}
"""


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def make_content(root: Path) -> Path:
    """content/ (the seeds) plus every case, the hostile manifest, authority file and settings."""
    content = root / "content"
    shutil.copytree(CONTENT, content)
    sources = os.fsencode(content / "sources")
    for case in CASES:
        path = Path(os.fsdecode(os.path.join(sources, os.fsencode(case.name))))
        if case.content is not None:
            _write(path, case.content)
    (content / "elsewhere").mkdir()
    (content / "elsewhere" / "inside.txt").write_bytes(_text("Linked from inside the content folder"))
    os.symlink("../elsewhere/inside.txt", content / "sources" / "linked-inside.txt")
    os.symlink("/etc/passwd", content / "sources" / "passwd.txt")
    os.symlink("does-not-exist.txt", content / "sources" / "dangling.txt")
    os.mkfifo(content / "sources" / "pipe.txt")
    os.symlink("/etc", content / "sources" / "etc-folder")
    with (content / "sources.yaml").open("a", encoding="utf-8") as f:
        f.write(MANIFEST)
    with (content / "entities.yaml").open("a", encoding="utf-8") as f:
        f.write(ENTITIES)
    (content / "annalist.yaml").write_text(SETTINGS, encoding="utf-8")
    return content
