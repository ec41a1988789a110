"""The values that flow between Annalist's stages.

ingest → entities → crossref → markdown → render → search

Every stage is a function from these frozen dataclasses to others; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# Where a metadata value came from. Shown to readers on every article page.
# "metadata": the page's HTML metadata (<meta>, JSON-LD, <time>); "capture": a web archive's record.
Origin = Literal["curator", "text", "metadata", "capture", "inferred", "unknown"]
ENTITY_TYPES: tuple[str, ...] = ("person", "place", "organisation", "group")


@dataclass(frozen=True)
class Problem:
    """A problem found in the input: reported at the end of the build, never fatal for other articles."""

    file: str  # path relative to the content folder
    message: str
    line: int | None = None
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{self.severity}: {where}: {self.message}"


@dataclass(frozen=True)
class Field:
    """A metadata value with its origin (curator, the text itself, or inferred by the tool)."""

    value: str | None
    origin: Origin
    note: str = ""  # e.g. the raw string a date was parsed from


@dataclass(frozen=True)
class Paragraph:
    n: int  # 1-based; the number shown on the page (¶ n) and the anchor #p{n}
    text: str  # cleaned body text (NFC, curly quotes and non-breaking spaces kept)


@dataclass(frozen=True)
class Removed:
    """A line ingest took out of the body, and why (shown in the provenance view)."""

    line: int  # 1-based line in the raw source
    text: str
    reason: str  # e.g. "photo credit", "comment widget", "page chrome stamp", "duplicate lede"


@dataclass(frozen=True)
class Capture:
    """Where a web-archive record came from: the WARC file, the record, what was captured and when."""

    warc: str  # the WARC file, relative to content/sources/
    record_id: str  # WARC-Record-ID, e.g. "<urn:uuid:...>"
    target_uri: str  # WARC-Target-URI: the URL that was captured
    date: str  # WARC-Date, ISO 8601 as recorded
    offset: int  # byte offset of the record in the WARC file
    digest: str  # WARC-Payload-Digest (verified) or "" when the record has none
    version: int = 1  # 1 = the earliest capture of this URL in the archive
    versions: int = 1  # how many captures of this URL the archive holds


@dataclass(frozen=True)
class Article:
    id: str  # stable: from outlet, date and headline (or pinned by the curator)
    title: str
    standfirst: str | None
    outlet: Field
    published: Field  # value is ISO date "YYYY-MM-DD" or None
    url: Field
    language: Field  # BCP 47, e.g. "en"
    credits: tuple[str, ...]  # "TRTWorld and agencies", "Reuters", ...
    captions: tuple[str, ...]  # photo captions, kept apart from the body
    paragraphs: tuple[Paragraph, ...]
    source_file: str  # path relative to content/sources/
    sha256: str  # of the raw bytes, as received
    encoding: str  # how the raw bytes were decoded ("utf-8", "cp1252", ...)
    removed: tuple[Removed, ...] = ()
    title_origin: Origin = "text"
    dateline: str | None = None  # the publication stamp as printed, e.g. a Hebrew line
    agency: Field = Field(None, "unknown")  # the news agency whose copy this is ("(AP) —", "(Reuters) -")
    capture: Capture | None = None  # set when the article is a record of a web archive (WARC)
    author: Field = Field(None, "unknown")  # from the page's metadata (HTML); bylines are in credits
    title_note: str = ""  # how the title was found ("no headline in the text: the lede's first sentence")
    former_ids: tuple[str, ...] = ()  # ids this article was published under before: their URLs redirect here
    original: str = ""  # where the untouched original is published, relative to site/sources/ (ingest.ids)

    @property
    def agency_copy(self) -> bool:
        """An agency's copy republished by another outlet: its wording is the agency's, shared with
        every other outlet that ran the same copy, not an independent report."""
        return bool(self.agency.value) and (self.outlet.value or "").casefold() != (self.agency.value or "").casefold()


@dataclass(frozen=True)
class Entity:
    id: str  # slug, e.g. "islamic-state"
    name: str  # preferred name
    type: str  # one of ENTITY_TYPES
    aliases: tuple[str, ...] = ()
    description: str = ""
    wikidata: str | None = None  # Q-id
    geonames: str | None = None
    line: int | None = None  # where it is defined in entities.yaml


@dataclass(frozen=True)
class Mention:
    entity: str  # Entity.id; for unreviewed discoveries, "unreviewed:<slug>"
    text: str  # the words as printed
    paragraph: int  # Paragraph.n
    start: int  # offsets into that paragraph's text
    end: int
    reviewed: bool = True  # False: found by discovery, not yet in the authority file


@dataclass(frozen=True)
class Candidate:
    """A name discovery found that the authority file does not know yet."""

    name: str
    type_guess: str
    count: int
    contexts: tuple[tuple[str, int, str], ...]  # (article id, paragraph n, context line)
    articles: int = 0  # how many articles print it
    outlets: tuple[str, ...] = ()  # the outlets that print it, sorted
    spellings: tuple[str, ...] = ()  # every spelling seen, most frequent first
    ambiguous: tuple[str, ...] = ()  # a short form several records' names share: their ids


@dataclass(frozen=True)
class Merge:
    """A suggestion to the curator: a discovered name is another form of a record or of a
    more frequent discovered name."""

    name: str  # the discovered name to merge
    into: str  # the name it would join
    into_id: str | None  # the record's id when `into` is in the authority file, else None
    reason: str  # "short form" or "spelling"
    score: float  # 100 for a short form; the similarity of the two spellings otherwise


@dataclass(frozen=True)
class Sentence:
    article: str
    paragraph: int
    start: int  # offsets into the paragraph text
    end: int
    text: str


@dataclass(frozen=True)
class Difference:
    """How another outlet's linked sentence differs: "number" and "date" are disagreements on the
    fact; "precision" (a hedge: "around 400" vs "400") and "spelling" (one entity, two spellings)
    are not."""

    kind: str  # "number" | "date" | "precision" | "spelling"
    there: str  # as the other sentence prints it
    here: str  # as this sentence prints it
    counts: str = ""  # what both count or date, as printed ("activists", "mph"); the entity for a spelling
    there_value: str = ""  # normalised ("9", "friday"); "" for a spelling
    here_value: str = ""

    @property
    def disagreement(self) -> bool:
        return self.kind in ("number", "date")

    @property
    def text(self) -> str:
        if self.kind == "precision":
            return f'gives it as "{self.there}" (here: "{self.here}"): a difference of precision'
        if self.kind == "spelling":
            return f'spells the name "{self.there}" (here: "{self.here}")'
        if self.kind == "date":
            return f"says {self.there} (here: {self.here})"
        return f'says "{self.there}" (here: "{self.here}")'


@dataclass(frozen=True)
class Match:
    """Another outlet's sentence that states the same fact, or (relation "event") reports the
    same event."""

    article: str
    paragraph: int
    text: str
    score: float
    shared_wording: bool = False  # near-verbatim copy: a reprint, not independent confirmation
    differences: tuple[str, ...] = ()  # plain-words differences on numbers, names, dates
    details: tuple[Difference, ...] = ()  # the same, with their kind: see Difference.disagreement
    # "claim": states the same fact (differences are computed); "event": reports the same event of
    # the story, perhaps stating another fact about it (no differences: they are not one claim)
    relation: str = "claim"


@dataclass(frozen=True)
class CrossRef:
    """A sentence of one article and the matching sentences of others."""

    article: str
    paragraph: int
    start: int
    end: int
    text: str
    matches: tuple[Match, ...] = ()


@dataclass(frozen=True)
class Annotated:
    """An article with everything later stages found in it."""

    article: Article
    mentions: tuple[Mention, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    crossrefs: tuple[CrossRef, ...] = ()  # only corroborated sentences
    markdown: str = ""
    markdown_origin: Literal["generated", "curator"] = "generated"


@dataclass(frozen=True)
class Corpus:
    """Everything the build knows, gathered before anything is written."""

    articles: tuple[Annotated, ...]
    entities: tuple[Entity, ...]
    candidates: tuple[Candidate, ...] = ()
    problems: tuple[Problem, ...] = field(default_factory=tuple)
    merges: tuple[Merge, ...] = ()  # merges of discovered names the review suggests
    stories: tuple["Story", ...] = ()  # every article in exactly one story


@dataclass(frozen=True)
class Story:
    """Articles reporting the same event, by one or more outlets (annalist.stories.group).

    `id` is the story's permanent slug and the name of its page: the curator's `story:` pin from
    sources.yaml when one is given, else the id of the story's first report (earliest known
    publication date, then article id). Later coverage joining the story never changes it.
    """

    id: str
    articles: tuple[str, ...]  # article ids in timeline order: dated by date, then undated; ties by id
    pinned: bool = False  # id and membership fixed by the curator in sources.yaml
