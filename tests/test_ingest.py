"""Ingest: the real seeds (content/sources), the shared corpora where present, and bad input."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from annalist.ingest import IngestError, MAX_LINE_CHARS, Source, article_id, ingest_corpus, ingest_source, ingest_sources
from annalist.text import fold
from annalist.ingest.ids import disambiguate
from annalist.ingest.manifest import parse_manifest
from annalist.model import Article

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SOURCES = CONTENT / "sources"
FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
CORPORA = ROOT.parent / "shared" / "corpora"

# What each raw line of each seed is (1-based line numbers; blank lines are not listed).
# Every non-blank line must be exactly one of these, and the body is the body lines, in order.
SEED_LINES = {
    "000_9d269a9147bf14e2.txt": {
        "headline": [1], "standfirst": [3], "noise": [5, 6], "caption": [8], "credit": [30],
        "body": [10, 12, 14, 16, 18, 20, 22, 24, 26, 28],
    },
    "001_fb0c546d5c0066be.txt": {
        "headline": [5], "standfirst": [7], "noise": [1, 3, 61, 62], "stamp": [60],
        "caption": [2, 22, 23, 35, 36, 45, 46, 55, 56],
        "body": [9, 13, 16, 19, 26, 29, 32, 39, 42, 49, 52],
    },
    "002_8161c645ce9cbb4d.txt": {
        "headline": [1], "standfirst": [2], "noise": [3], "credit": [13],
        "body": [4, 5, 6, 7, 8, 9, 10, 11, 12],
    },
    "003_b1e7b4e0a281deb4.txt": {
        "headline": [1], "standfirst": [3], "noise": [5, 6], "caption": [8, 26], "stamp": [10], "credit": [42],
        "body": [12, 14, 16, 18, 20, 22, 24, 28, 30, 32, 34, 36, 38, 40],
    },
    "004_9af7f51b18733aac.txt": {
        "headline": [4], "noise": [1, 52, 54], "stamp": [2], "credit": [50],
        "body": list(range(6, 49, 2)),
    },
}
REMOVAL_REASONS = {  # (seed, line) → the reason recorded for readers
    ("000_9d269a9147bf14e2.txt", 5): "photo credit",
    ("001_fb0c546d5c0066be.txt", 23): "repeated photo caption",
    ("001_fb0c546d5c0066be.txt", 60): "first published stamp (kept as dateline)",
    ("001_fb0c546d5c0066be.txt", 61): "comment widget",
    ("001_fb0c546d5c0066be.txt", 62): "comment widget",
    ("002_8161c645ce9cbb4d.txt", 3): "duplicate lede",
    ("004_9af7f51b18733aac.txt", 1): "log-in prompt",
    ("004_9af7f51b18733aac.txt", 52): "tag list",
    ("004_9af7f51b18733aac.txt", 54): "comment widget",
}
SEED_META = {  # id, outlet (value, origin), published (value, origin), credits
    "000_9d269a9147bf14e2.txt": (
        "2016-03-27-trt-world-syrian-regime-recaptures-palmyra-from-daesh",
        ("TRT World", "curator"), ("2016-03-27", "inferred"), ("TRTWorld and agencies",),
    ),
    "001_fb0c546d5c0066be.txt": (
        "2016-03-27-ynetnews-syrian-military-allies-takes-control-of-palmyra",
        ("Ynetnews", "curator"), ("2016-03-27", "text"), (),
    ),
    "002_8161c645ce9cbb4d.txt": (
        "backed-by-russia-syria-forces-retake-palmyra-in-major",
        (None, "unknown"), (None, "unknown"), ("With Agency Inputs",),
    ),
    "003_b1e7b4e0a281deb4.txt": (
        "2016-03-25-trt-world-syrian-regime-forces-retake-palmyra-citadel-from-daesh",
        ("TRT World", "curator"), ("2016-03-25", "text"), ("TRTWorld", "Reuters"),
    ),
    "004_9af7f51b18733aac.txt": (
        "sky-news-assad-hails-army-s-recapture-of-palmyra-from-is",
        ("Sky News", "curator"), (None, "unknown"), ("Sky News",),
    ),
}


@pytest.fixture(scope="module")
def seeds() -> dict[str, Article]:
    articles, problems = ingest_corpus(CONTENT)
    assert problems == []
    return {a.source_file: a for a in articles}


def raw_lines(name: str) -> list[str]:
    return (SOURCES / name).read_text(encoding="utf-8").split("\n")


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?\"”’])\s+(?=[\"“‘A-Z])", text.strip()) if s]


# --- the seeds -------------------------------------------------------------------------------


def test_seeds_are_the_shared_seeds_byte_for_byte() -> None:
    shared = ROOT.parent / "shared" / "seeds"
    if not shared.is_dir():
        pytest.skip("../shared/seeds absent")
    for path in shared.iterdir():
        assert (SOURCES / path.name).read_bytes() == path.read_bytes()


@pytest.mark.parametrize("name", sorted(SEED_LINES))
def test_every_seed_line_has_exactly_one_role(name: str, seeds: dict[str, Article]) -> None:
    roles = SEED_LINES[name]
    lines = raw_lines(name)
    listed = sorted(n for ns in roles.values() for n in ns)
    assert listed == [n for n, line in enumerate(lines, 1) if line.strip()], "every non-blank line listed once"
    article = seeds[name]
    assert article.title == lines[roles["headline"][0] - 1].strip()
    standfirst = roles.get("standfirst")
    assert article.standfirst == (lines[standfirst[0] - 1].strip() if standfirst else None)
    assert [p.text for p in article.paragraphs] == [lines[n - 1].strip() for n in roles["body"]]
    assert [p.n for p in article.paragraphs] == list(range(1, len(roles["body"]) + 1))
    taken_out = sorted(roles.get("noise", []) + roles.get("caption", []) + roles.get("credit", []) + roles.get("stamp", []))
    assert [r.line for r in article.removed] == taken_out
    for removed in article.removed:
        assert removed.text.strip() == lines[removed.line - 1].strip()


@pytest.mark.parametrize("name", sorted(SEED_LINES))
def test_no_body_sentence_is_lost_or_doubled(name: str, seeds: dict[str, Article]) -> None:
    lines = raw_lines(name)
    paragraphs = [p.text for p in seeds[name].paragraphs]
    last = 0
    for n in SEED_LINES[name]["body"]:
        for sentence in sentences(lines[n - 1]):
            holders = [i for i, p in enumerate(paragraphs) if sentence in p]
            assert len(holders) == 1, sentence
            assert holders[0] >= last, f"out of order: {sentence}"
            last = holders[0]


def test_removal_reasons(seeds: dict[str, Article]) -> None:
    for (name, line), reason in REMOVAL_REASONS.items():
        assert {r.line: r.reason for r in seeds[name].removed}[line] == reason


@pytest.mark.parametrize("name", sorted(SEED_META))
def test_seed_metadata(name: str, seeds: dict[str, Article]) -> None:
    article_id_, outlet, published, credits = SEED_META[name]
    article = seeds[name]
    assert article.id == article_id_
    assert (article.outlet.value, article.outlet.origin) == outlet
    assert (article.published.value, article.published.origin) == published
    assert article.credits == credits
    assert article.url.value is None and article.url.origin == "unknown"
    assert (article.language.value, article.language.origin) == ("en", "curator")
    assert article.encoding == "utf-8"
    assert article.title_origin == "text"
    assert len(article.sha256) == 64


def test_dates_and_datelines(seeds: dict[str, Article]) -> None:
    ynet = seeds["001_fb0c546d5c0066be.txt"]
    assert ynet.dateline == "פרסום ראשון: 03.27.16, 14:29"
    assert "MM.DD.YY" in ynet.published.note
    trt = seeds["003_b1e7b4e0a281deb4.txt"]
    assert trt.dateline == "Updated Mar 25, 2016" and "update" in trt.published.note
    inferred = seeds["000_9d269a9147bf14e2.txt"].published
    assert "on Sunday" in inferred.note and "2016-03-26" in inferred.note and "caption" in inferred.note
    republished = seeds["004_9af7f51b18733aac.txt"]
    assert republished.published.value is None and republished.dateline is None
    chrome = next(r for r in republished.removed if r.line == 2)
    assert chrome.reason.startswith("page chrome stamp") and "2023" in chrome.text


def test_captions_are_kept_apart_and_deduplicated(seeds: dict[str, Article]) -> None:
    assert seeds["001_fb0c546d5c0066be.txt"].captions == (
        "Syrian soldier in Palmyra",
        "Syrian army troops in Palmyra (Photo: EPA)",
        "Syrian army troops in Palmyra (Photo: AP)",
        "Palmyra (Photo: AP)",
        "Syrian army troops in Palmyra (Photo: AFP)",
    )
    assert seeds["000_9d269a9147bf14e2.txt"].captions[0].startswith("Assad forces flash victory signs")
    assert seeds["003_b1e7b4e0a281deb4.txt"].captions == (
        "An archive photo of the ancient city of Palmyra, Syria.",
        "Syrian regime forces stand near a tank during their advance into the historic city of Palmyra "
        "in this picture provided by SANA on March 24, 2016. (Reuters)",
    )
    for article in seeds.values():
        body = " ".join(p.text for p in article.paragraphs)
        assert "(Photo:" not in body and "Photo by" not in body
        for caption in article.captions:
            assert caption not in body


def test_noise_never_reaches_the_body(seeds: dict[str, Article]) -> None:
    noise = ("Log In", "Leave a Reply", "Tagged under", "new comment", "This will delete", "Photo: MCT",
             "updated 10:20", "Credit: Sky News", "TRTWorld", "With Agency Inputs", "Palmyra: Backed")
    for article in seeds.values():
        for paragraph in article.paragraphs:
            assert not any(n in paragraph.text for n in noise), paragraph


def test_special_characters_survive(seeds: dict[str, Article]) -> None:
    trt = seeds["003_b1e7b4e0a281deb4.txt"]
    assert any("Bashar Al\u00a0Assad" in p.text for p in trt.paragraphs)
    sky = seeds["004_9af7f51b18733aac.txt"]
    assert "\u201cimportant achievement\u201d" in sky.paragraphs[1].text
    assert sky.title == "Assad Hails Army\u2019s Recapture Of Palmyra From IS"


# --- ids -------------------------------------------------------------------------------------


def test_article_id_parts() -> None:
    assert article_id("TRT World", "2016-03-27", "Syrian regime recaptures Palmyra from DAESH") == (
        "2016-03-27-trt-world-syrian-regime-recaptures-palmyra-from-daesh"
    )
    assert article_id(None, None, "Backed by Russia") == "backed-by-russia"
    assert article_id(None, "2016-03-27", "") == "2016-03-27-untitled"


def copy_content(tmp_path: Path, names: list[str], manifest: str | None = None) -> Path:
    content = tmp_path / "content"
    (content / "sources").mkdir(parents=True)
    for name in names:
        shutil.copyfile(SOURCES / name, content / "sources" / name)
    if manifest is None:
        shutil.copyfile(CONTENT / "sources.yaml", content / "sources.yaml")
    else:
        (content / "sources.yaml").write_text(manifest, encoding="utf-8")
    return content


def test_ids_do_not_depend_on_other_files(tmp_path: Path, seeds: dict[str, Article]) -> None:
    subset = ["004_9af7f51b18733aac.txt", "001_fb0c546d5c0066be.txt"]
    articles, problems = ingest_corpus(copy_content(tmp_path, subset))
    assert {a.source_file: a.id for a in articles} == {n: seeds[n].id for n in subset}
    assert [p.severity for p in problems] == ["warning"] * 3  # manifest entries for the absent seeds


def test_articles_are_sorted_by_id(seeds: dict[str, Article]) -> None:
    ids = [a.id for a in ingest_corpus(CONTENT)[0]]
    assert ids == sorted(ids)


def test_same_id_gets_a_hash_suffix_and_a_warning(tmp_path: Path) -> None:
    content = copy_content(tmp_path, [], manifest="")
    body = "the mayor opened the new bridge over the river on Sunday morning"
    (content / "sources" / "a.txt").write_text(f"Same headline here\n\nFirst: {body}.\n", encoding="utf-8")
    (content / "sources" / "b.txt").write_text(f"Same headline here\n\nSecond: {body}.\n", encoding="utf-8")
    articles, problems = ingest_corpus(content)
    for article in articles:
        assert re.fullmatch(r"same-headline-here-[0-9a-f]{8}", article.id)
        assert article.id.endswith(article.sha256[:8])
    assert len({a.id for a in articles}) == 2
    assert [(p.file, p.severity) for p in problems] == [("sources/a.txt", "warning"), ("sources/b.txt", "warning")]


def test_byte_identical_copies_still_get_distinct_ids() -> None:
    one = ingest_source("a.txt", b"Headline\n\nBody.\n", None)
    two = replace(one, source_file="b.txt")
    articles, _ = disambiguate([one, two])
    assert len({a.id for a in articles}) == 2


def test_curator_pins_id_and_wins_over_text() -> None:
    raw = (FIXTURES / "page.html").read_bytes()
    entry = {"id": "herald-palmyra", "outlet": "The Herald", "published": "2016-03-28", "language": "en"}
    article = ingest_source("page.html", raw, entry)
    assert article.id == "herald-palmyra"
    assert (article.outlet.value, article.outlet.origin) == ("The Herald", "curator")
    assert (article.published.value, article.published.origin) == ("2016-03-28", "curator")
    assert article.url.origin == "metadata"


# --- HTML ------------------------------------------------------------------------------------


def test_html_page() -> None:
    article = ingest_source("page.html", (FIXTURES / "page.html").read_bytes(), None)
    assert article.id == "2016-03-27-example-herald-troops-retake-palmyra"
    assert article.title == "Troops retake Palmyra"
    assert article.standfirst == "Syrian forces recaptured the ancient city from Islamic State on Sunday"
    assert (article.outlet.value, article.outlet.origin) == ("Example Herald", "metadata")
    assert (article.published.value, article.published.origin) == ("2016-03-27", "metadata")
    assert article.published.note.startswith('<meta property="article:published_time">')
    assert article.url.value == "https://herald.example/2016/03/27/palmyra"
    assert article.language.value == "en-GB"
    assert article.captions == ("Syrian army troops in Palmyra (Photo: EPA)",)
    assert article.credits == ("Reuters",)
    assert [p.text for p in article.paragraphs] == [
        "BEIRUT - Syrian government forces recaptured Palmyra on Sunday, state media said.",
        "The Observatory said the bulk of the militants had pulled out and retreated east, "
        "leaving President Bashar\u00a0Assad\u2019s forces in control.",
        "\u201cIt is a symbolic defeat,\u201d the director said \u2014 in Arabic and English: «هزيمة رمزية».",
    ]
    body = " ".join(p.text for p in article.paragraphs)
    for chrome in ("Home", "Sign up", "Related", "Share this", "comments", "editor", "tracking", "color"):
        assert chrome not in body
    assert {r.reason for r in article.removed} >= {"advertisement", "page chrome (<nav>)", "page chrome (<footer>)"}


# --- decoding --------------------------------------------------------------------------------


def test_utf8_with_bom() -> None:
    article = ingest_source("bom.txt", "\ufeffA headline here\n\nCafé body.\n".encode("utf-8"), None)
    assert article.encoding == "utf-8-sig" and article.title == "A headline here"
    assert article.paragraphs[0].text == "Café body."


def test_windows_1252_is_decoded_not_rejected() -> None:
    raw = "Headline here\n\nThe caf\u00e9 said \u201cno\u201d \u2013 twice.\n".encode("cp1252")
    article = ingest_source("old.txt", raw, None)
    assert article.encoding == "cp1252"
    assert article.paragraphs[0].text == "The caf\u00e9 said \u201cno\u201d \u2013 twice."


def test_latin1_file_in_bbc_corpus() -> None:
    path = CORPORA / "bulk" / "bbc" / "sport" / "199.txt"
    if not path.exists():
        pytest.skip("BBC corpus absent")
    assert ingest_source("199.txt", path.read_bytes(), None).encoding == "cp1252"


@pytest.mark.parametrize(
    ("raw", "message", "line"),
    [
        (b"", "empty file", None),
        (b"  \n\n \n", "empty file", None),
        (b"Headline\x00\x00\x01binary", "binary file (contains NUL bytes)", None),
        (bytes(range(1, 9)) * 50 + b"text", "binary file (too many control characters)", None),
        (b"Headline\n\nBody \x81\x8d\x8f bytes\n", "invalid UTF-8", 3),
        (b"Headline\n\n" + bytes(range(0xC0, 0x100)) * 4, "invalid UTF-8", 3),
        (b"Log In\n\nLeave a Reply\n", "no article text found", None),
    ],
)
def test_bad_input_raises_a_clear_error(raw: bytes, message: str, line: int | None) -> None:
    with pytest.raises(IngestError) as caught:
        ingest_source("bad.txt", raw, None)
    assert caught.value.message.startswith(message)
    assert caught.value.line == line


def test_a_too_long_line_is_rejected_with_its_line_number() -> None:
    raw = b"Headline\n\n" + b"x" * (MAX_LINE_CHARS + 1) + b"\n"
    with pytest.raises(IngestError) as caught:
        ingest_source("long.txt", raw, None)
    assert caught.value.line == 3 and "characters long" in caught.value.message


# --- the whole corpus with bad files and a bad manifest --------------------------------------


BAD_MANIFEST = """\
000_9d269a9147bf14e2.txt:
  outlet: TRT World
  published: [1, 2]
001_fb0c546d5c0066be.txt:
  outlet: 42
  colour: blue
missing.txt:
  outlet: Nobody
"""


def test_bad_files_and_manifest_fields_are_reported_and_the_rest_completes(tmp_path: Path) -> None:
    content = copy_content(tmp_path, ["000_9d269a9147bf14e2.txt", "001_fb0c546d5c0066be.txt"], BAD_MANIFEST)
    sources = content / "sources"
    (sources / "empty.txt").write_bytes(b"")
    (sources / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (sources / "invalid.txt").write_bytes(b"Headline\n\nbody \xff\xfe\x81 end\n")
    (sources / "huge.txt").write_bytes(b"a" * 5_000_000)
    (sources / "notes.md").write_text("not a source")
    articles, problems = ingest_corpus(content)
    assert sorted(a.source_file for a in articles) == ["000_9d269a9147bf14e2.txt", "001_fb0c546d5c0066be.txt"]
    by_file = {(p.file, p.line): p for p in problems}
    assert by_file[("sources/empty.txt", None)].message == "empty file"
    assert by_file[("sources/binary.txt", None)].message.startswith("binary file")
    assert by_file[("sources/invalid.txt", 3)].message.startswith("invalid UTF-8")
    assert by_file[("sources/huge.txt", None)].message.startswith("file too large: 5,000,000 bytes")
    assert by_file[("sources/notes.md", None)].severity == "warning"
    published = by_file[("sources.yaml", 3)]
    assert published.severity == "error" and "published" in published.message and "a list" in published.message
    assert "outlet" in by_file[("sources.yaml", 5)].message and "int 42" in by_file[("sources.yaml", 5)].message
    assert by_file[("sources.yaml", 6)].severity == "warning"  # unknown field
    assert by_file[("sources.yaml", 7)].severity == "warning" and "missing.txt" in by_file[("sources.yaml", 7)].message
    for problem in problems:
        assert "\n" not in str(problem) and problem.file in str(problem)
    trt = next(a for a in articles if a.source_file.startswith("000"))
    assert trt.outlet.value == "TRT World"  # the entry's valid fields still count
    assert trt.published.origin == "inferred"  # the bad one does not


def test_broken_yaml_names_its_line_and_the_sources_still_ingest(tmp_path: Path) -> None:
    content = copy_content(tmp_path, ["000_9d269a9147bf14e2.txt"], "a.txt:\n  outlet: [unclosed\nb.txt: x\n")
    articles, problems = ingest_corpus(content)
    assert len(articles) == 1 and articles[0].outlet.origin == "unknown"
    assert len(problems) == 1
    assert problems[0].file == "sources.yaml" and problems[0].line == 3 and "broken YAML" in problems[0].message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", "expected a mapping"),
        ("a.txt: [1, 2]\n", "expected a mapping of fields"),
        ("a.txt:\n  published: 2016-02-30\n", "expected a date"),
        ("a.txt:\n  id: Not A Slug\n", "expected a slug"),
        ("a.txt:\n  url: herald.example\n", "expected an http(s) URL"),
        ("a.txt:\n  language: no\n", "expected text, got bool False"),
    ],
)
def test_manifest_type_errors(text: str, message: str) -> None:
    _, problems = parse_manifest(text)
    assert len(problems) == 1 and message in problems[0].message and problems[0].line


def test_manifest_accepts_dates_and_nulls() -> None:
    manifest, problems = parse_manifest("a.txt:\n  published: 2016-03-27\n  outlet: null\nb.txt:\n")
    assert problems == []
    assert manifest.entries == {"a.txt": {"published": "2016-03-27"}, "b.txt": {}}
    assert manifest.lines == {"a.txt": 1, "b.txt": 4}


# --- fold keeps offsets ----------------------------------------------------------------------


def test_fold_keeps_length_and_maps_spaces_quotes_dashes() -> None:
    sample = "".join(chr(c) for c in range(0x3100)) + "".join(raw_lines("001_fb0c546d5c0066be.txt"))
    assert len(fold(sample)) == len(sample)
    assert fold("Bashar Al\u00a0Assad’s \u2014 x\u00ady") == "Bashar Al Assad's - x y"


# --- real scraped corpora --------------------------------------------------------------------


def multinews_files() -> list[Path]:
    return sorted((CORPORA / "clusters").glob("multinews_*/*.txt"))


def test_multinews_noise_leaves_the_body_and_nothing_else_does() -> None:
    files = multinews_files()
    if not files:
        pytest.skip("../shared/corpora absent")
    widget = re.compile(r"(?:advertisement|share this|story continue[sd] below|read more:?|tweet with a location)", re.I)
    ingested = 0
    for path in files:
        raw = path.read_bytes()
        try:
            article = ingest_source(path.name, raw, None)
        except IngestError:
            continue  # a page that is only a video player: rejected with a message
        ingested += 1
        accounted = [article.title if article.title_origin == "text" else None, article.standfirst]
        accounted += [p.text for p in article.paragraphs] + [r.text.strip() for r in article.removed]
        for line in raw.decode(article.encoding).split("\n"):
            if fold(line).strip():
                assert line.strip() in accounted, f"{path}: lost {line[:80]!r}"
        for paragraph in article.paragraphs:
            assert not widget.fullmatch(paragraph.text.strip()), f"{path}: {paragraph.text}"
        for removed in article.removed:  # what is removed as noise is never a long sentence
            if not removed.reason.startswith(("photo caption", "repeated", "duplicate", "page chrome", "widget or prompt",
                                              "template line", "embedded tweet", "web archive notice", "photo gallery",
                                              "video player", "summary box", "headline and")):
                assert len(removed.text) <= 160, f"{path}: {removed}"
    assert ingested >= 0.9 * len(files)


def test_multinews_known_lines() -> None:
    path = CORPORA / "clusters" / "multinews_000" / "02.txt"
    if not path.exists():
        pytest.skip("../shared/corpora absent")
    article = ingest_source("02.txt", path.read_bytes(), None)
    body = [p.text for p in article.paragraphs]
    assert "No arrests have yet been made." in body
    assert "PHOTOS: Occupy L.A." not in body and "RELATED:" not in body
    assert article.captions[-1].startswith("Photo: With a line of LAPD officers")
    assert article.credits == ("Nicole Santa Cruz and Rick Rojas at City Hall",)
    assert article.title_origin == "inferred"  # Multi-News pages lost their titles


def test_bbc_headlines() -> None:
    files = sorted((CORPORA / "bulk" / "bbc").glob("*/*.txt"))
    if not files:
        pytest.skip("BBC corpus absent")
    for path in files:
        article = ingest_source(path.name, path.read_bytes(), None)
        first = path.read_bytes().decode(article.encoding).split("\n")[0].strip()
        assert article.title == first and article.title_origin == "text", path
        assert article.removed == () or all(r.reason == "separator" for r in article.removed), path


def _corpus_archives() -> list[tuple[str, list[Path]]]:
    """Every text file of the shared corpora, grouped as a curator would drop them into one archive."""
    groups = [("multinews", sorted((CORPORA / "clusters").glob("multinews_*/*.txt"))),
              ("ecbplus", sorted((CORPORA / "clusters").glob("ecbplus_*/*.txt")))]
    groups += [(f"bbc-{d.name}", sorted(d.glob("*.txt"))) for d in sorted((CORPORA / "bulk" / "bbc").glob("*")) if d.is_dir()]
    return [(name, files) for name, files in groups if files]


@pytest.mark.parametrize("group", ["multinews", "ecbplus", "bbc"])
def test_nothing_of_the_body_is_lost_on_any_corpus_file(group: str) -> None:
    """Every sentence of every raw file is in the body, the headline, the standfirst or the removed list."""
    archives = [(name, files) for name, files in _corpus_archives() if name.startswith(group)]
    if not archives:
        pytest.skip("../shared/corpora absent")
    for name, files in archives:
        sources = [Source(f"{p.parent.name}-{p.name}", f"{p.parent.name}-{p.name}", p.read_bytes()) for p in files]
        articles, problems = ingest_sources(sources, {})
        for problem in problems:  # a file rejected whole is named, with why, on one line
            assert problem.message.startswith(("no article text found", "no main text")) and "\n" not in str(problem)
        rejected = {p.file.removeprefix("sources/") for p in problems}
        assert len(articles) + len(rejected) == len(files)
        for article, source in zip(articles, [s for s in sources if s.key not in rejected]):
            assert article.source_file == source.key
            kept = [p.text for p in article.paragraphs] + [r.text for r in article.removed]
            kept += [article.standfirst or ""] + ([article.title] if article.title_origin == "text" else [])
            kept_folded = [fold(k) for k in kept]
            for line in source.raw.decode(article.encoding).split("\n"):
                for sentence in sentences(fold(line)):
                    assert any(sentence in k for k in kept_folded), f"{name}/{source.key}: lost {sentence[:80]!r}"


def test_templates_judged_again_where_pages_changed_are_those_judged_from_nothing() -> None:
    """furniture.templates_of given the last result judges again only the lines of pages that
    changed (added, removed, other lines): the same answer as judging every page, on the
    Multi-News pages (which share templates: tweet notices, prompts) edited in several ways."""
    from annalist.ingest import read_page
    from annalist.ingest.furniture import line_keys, template_lines, templates_of

    files = multinews_files()[:300]
    if not files:
        pytest.skip("../shared/corpora absent")
    lines = {}
    for path in files:
        try:
            lines[f"{path.parent.name}/{path.name}"] = [u.text for u in read_page(path.name, path.read_bytes()).units]
        except IngestError:
            continue
    keys = {name: line_keys(found) for name, found in lines.items()}
    result = templates_of(keys)
    assert result == template_lines(lines) and sum(map(len, result.values())) >= 20
    holder = next(name for name, found in result.items() if found)
    template = next(iter(result[holder]))
    names, held = [n for n in sorted(keys) if n != holder], keys[holder]
    edits = [
        lambda k: {n: v for n, v in k.items() if n != holder},  # a page holding a template removed
        lambda k: {**k, "zz/new.txt": held},  # the page back under another name
        lambda k: {**k, names[3]: k[names[3]] | {template}},  # a template line added to another page
        lambda k: {**k, names[5]: frozenset(list(k[names[5]])[:2])},  # a page cut short
        lambda k: {**k, names[7]: k[names[7]] | {"a line of no other page at all"}},
        lambda k: dict(k),  # nothing changed
    ]
    for change in edits:
        changed = change(keys)
        assert templates_of(changed, (keys, result)) == templates_of(changed)
        keys, result = changed, templates_of(changed)


# --- titles: a first line in another script, a prompt with a link, a line unrelated to the story (issue 11) ---

_STORY = (
    "Investigators from the state fire marshal said on Tuesday that the blaze at the textile mill began in a "
    "storage room where bales of cotton were kept next to an electrical panel. The mill's owner said the panel "
    "had been inspected in March. Firefighters from four towns fought the blaze for six hours before the roof "
    "of the mill collapsed, and no workers were hurt, the fire marshal said."
)


def test_a_first_line_in_another_script_is_neither_headline_nor_lede() -> None:
    raw = f"maria lopez \u2661 \u0cae\u0cb0\u0cc1\u0c9f\u0ccd\u0cb5\u0cc0\u0c9f\u0cbf\u0cb8\u0cbf\u0ca6\u0ccd\u0ca6\u0cbe\u0cb0\u0cc6 Daily Post\n\n{_STORY}\n"
    article = ingest_source("tweet.txt", raw.encode(), None)
    assert article.title_origin == "inferred"
    assert article.title.startswith("Investigators from the state fire marshal")
    assert "maria lopez" in article.paragraphs[0].text  # kept in the body: nothing lost


def test_an_inferred_title_skips_a_prompt_with_a_link() -> None:
    raw = f"Help stop the fires: http://example.org/fires. {_STORY}\n\nMore at eleven.\n"
    article = ingest_source("prompt.txt", raw.encode(), None)
    assert article.title_origin == "inferred"
    assert article.title.startswith("Investigators from the state fire marshal") and "http" not in article.title


def test_a_call_to_the_reader_unrelated_to_the_story_is_a_tagline_not_a_headline() -> None:
    raw = f"Know what is happening everywhere, instantly and always\n\n{_STORY}\n\n{_STORY}\n"
    article = ingest_source("tagline.txt", raw.encode(), None)
    # the tagline ends in no full stop and could be a headline's shape; it calls the reader to act
    # and shares no word with the story: a site's tagline, so the title is inferred from the lede
    assert article.title_origin == "inferred"
    assert article.title.startswith("Investigators from the state fire marshal")
    assert article.paragraphs[0].text.startswith("Know what is happening")  # kept in the body: nothing lost
    # a real headline may share no word with its story ("Reds sink 10-man Magpies", 10 of 2225 BBC
    # headlines): without the call to the reader it stays the headline
    raw = f"Flames take the old weaving shed\n\n{_STORY}\n\n{_STORY}\n"
    article = ingest_source("headline.txt", raw.encode(), None)
    assert (article.title, article.title_origin) == ("Flames take the old weaving shed", "text")


def test_unrelated_and_foreign_script_lines() -> None:
    from annalist.ingest.clean import foreign_script, unrelated_to

    assert unrelated_to("More from this sponsor, every week", _STORY)
    assert not unrelated_to("Fire destroys textile mill roof", _STORY)
    assert not unrelated_to("Anything at all", "Too short to tell.")
    assert foreign_script("\u0cae\u0cb0\u0cc1\u0c9f\u0ccd\u0cb5\u0cc0\u0c9f\u0cbf", _STORY)
    assert not foreign_script("Fire at the mill", _STORY)


def test_an_inferred_title_skips_a_tagline_paragraph_unrelated_to_the_story() -> None:
    raw = f"Know what is happening everywhere, instantly and always.\n\n{_STORY}\n\n{_STORY}\n"
    article = ingest_source("tagline.txt", raw.encode(), None)
    assert article.title_origin == "inferred"
    assert article.title.startswith("Investigators from the state fire marshal")
    assert article.paragraphs[0].text.startswith("Know what is happening")  # kept in the body


@pytest.mark.parametrize(
    ("first", "why"),
    [
        ("Opens Dec. 11", "a listing's schedule"),
        ("Theropoda Marsh, 1881", "a catalogue citation"),
        ("From $4.99 a month", "a price"),
        ("Wolfman, The HORROR: United States, 2010 Release Date: 2010-02-12 Running Length: 1:45", "catalogue fields"),
        ("LOCAL NEWS AND WEATHER NOW", "a banner in capitals sharing no word with the story"),
    ],
)
def test_a_first_line_that_is_not_a_headline_shaped_line_gives_an_inferred_title(first: str, why: str) -> None:
    article = ingest_source("x.txt", f"{first}\n\n{_STORY}\n".encode(), None)
    assert article.title_origin == "inferred", why
    assert article.title.startswith("Investigators from the state fire marshal"), why
    assert first in [p.text for p in article.paragraphs] + [r.text for r in article.removed]  # nothing lost


@pytest.mark.parametrize("headline", ["Newcastle 2-1 Bolton", "Broadband soars in 2004", "Profile: David Miliband",
                                      "FIRE MARSHAL BLAMES ELECTRICAL PANEL FOR MILL BLAZE",
                                      "Officials: Woman Kills 3, Injures 3 Before Taking Her Own Life"])
def test_headlines_with_numbers_scores_and_labels_stay_headlines(headline: str) -> None:
    article = ingest_source("x.txt", f"{headline}\n\n{_STORY}\n".encode(), None)
    assert (article.title, article.title_origin) == (headline, "text")


@pytest.mark.parametrize(
    ("lede", "why"),
    [
        ("> Occupation: White House Communications Director", "an info box's field"),
        ("How to help ... Anyone with information is asked to call Officer Dorr at 413-448-9700, ext 384.", "a teaser and a phone number"),
        ("Below is the uncorrected machine-read text of this chapter, intended to provide search engines with "
         "searchable text. Please consider the following text a proxy for the printed pages.", "a note about the page"),
        ("A firefighter walks past the mill in Lowell, Mass., on Tuesday, March 3, 2015, as smoke rises from the "
         "roof of the building.", "a wire photo caption (weekday and full date)"),
        ("IS THERE A WAY TO KNOW WHICH MILLS ARE SAFE?", "a reader's question set in capitals"),
        ("Systematic reports", "a heading"),
    ],
)
def test_an_inferred_title_passes_over_paragraphs_that_are_not_the_story_prose(lede: str, why: str) -> None:
    article = ingest_source("x.txt", f"{lede}\n\n{_STORY}\n".encode(), None)
    assert article.title_origin == "inferred", why
    assert article.title.startswith("Investigators from the state fire marshal"), (why, article.title)
    assert "lede" in article.title_note


def test_an_inferred_title_leaves_out_a_heading_in_capitals_and_a_run_in_label_but_not_a_title() -> None:
    from annalist.ingest.titles import lede_text

    assert lede_text("EXTENDED SUMMARY THE IMPACT OF SPACE WEATHER Modern society depends on power grids.") == (
        "Modern society depends on power grids.")
    assert lede_text("Etymology. Caihong is from the Mandarin for rainbow, after its feathers.").startswith("Caihong is")
    assert lede_text("Sen. Mark Warner said on Sunday that a shutdown would hurt.").startswith("Sen. Mark Warner")
    assert lede_text("WOODLAND HILLS >> Homicide detectives are investigating a death.").startswith("Homicide")


def test_a_caption_with_a_slash_credit_and_its_text_printed_again_leave_the_body() -> None:
    caption = "A woman waves a flag during a protest outside the mill in Lowell on the second day of the strike."
    raw = (f"{caption}\n\nMarch 3, 2015 {caption} Jane Roe/European Pressphoto Agency\n\n{_STORY}\n\n"
           f"A firefighter rests by the gate after the roof fell in. AP Photo/John Doe\n")
    article = ingest_source("x.txt", raw.encode(), None)
    assert article.title.startswith("Investigators from the state fire marshal")
    assert [p.text for p in article.paragraphs] == [_STORY]
    assert len(article.captions) == 2
    assert [r.reason for r in article.removed][0] == "photo caption printed again without its credit"


def test_a_caption_with_its_credit_after_a_bar_leaves_the_body_whatever_the_credit_s_capitals() -> None:
    raw = (f"The fire marshal speaks to reporters at the mill in Lowell on Tuesday. | Getty Mill fire began in storage room\n\n"
           f"{_STORY}\n")
    article = ingest_source("x.txt", raw.encode(), None)
    assert [p.text for p in article.paragraphs] == [_STORY]
    assert article.captions[0].startswith("The fire marshal speaks")
    assert article.title.startswith("Investigators from the state fire marshal")


@pytest.mark.parametrize("stamp", ["updated 8:41 p. m. EST, Tue March 3, 2009", "11 / 28 / 05", "9:53 AM, MON 22 JUL 2013"])
def test_a_headline_below_a_date_line_the_stamp_reader_cannot_read_is_the_headline(stamp: str) -> None:
    raw = f"{stamp}\nFire guts textile mill in Lowell\n{_STORY}\n"
    article = ingest_source("x.txt", raw.encode(), None)
    assert (article.title, article.title_origin) == ("Fire guts textile mill in Lowell", "text")
    assert stamp in [r.text for r in article.removed]  # nothing lost: the line is listed, with why
    assert [p.text for p in article.paragraphs] == [_STORY]


def test_a_datelined_paragraph_is_the_lede_whatever_stands_above_it() -> None:
    raw = ("A firefighter rests by the gate of the mill as smoke rises from its roof in the early morning light.\n\n"
           f"LOWELL, Mass. (AP) \u2014 {_STORY}\n")
    article = ingest_source("x.txt", raw.encode(), None)
    assert article.title_origin == "inferred"
    assert article.title.startswith("Investigators from the state fire marshal")
    assert article.paragraphs[0].text.startswith("A firefighter rests")  # kept in the body


def test_a_company_and_its_ticker_is_not_a_dateline() -> None:
    raw = ("Both chipmakers are bullish about combining, and analysts expect regulators to approve the deal this year.\n\n"
           f"Advanced Micro Devices (AMD) Chief Executive Hector Ruiz said the deal would close this year. {_STORY}\n")
    article = ingest_source("x.txt", raw.encode(), None)
    assert article.outlet.value is None  # not "AMD"
    assert article.title.startswith("Both chipmakers are bullish")  # no dateline below: the first paragraph is the lede
    raw = f"Seoul, South Korea (CNN) {_STORY}\n"
    assert ingest_source("y.txt", raw.encode(), None).outlet.value == "CNN"  # a place and its region: a dateline


def test_articles_made_across_processes_are_those_made_in_one(monkeypatch) -> None:
    """ingest_sources on two processes: the same articles and the same problems, in the same
    order, bad sources included (their message and line cross from the worker)."""
    from annalist import parallel

    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    sources = [Source(p.name, p.name, p.read_bytes()) for p in sorted(SOURCES.iterdir()) if p.suffix in (".txt", ".html")]
    sources += [Source("empty.txt", "empty.txt", b"\n\n"), Source("chrome.txt", "chrome.txt", b"Share this\nAdvertisement\n")]
    serial = ingest_sources(sources, {}, jobs=1)
    assert serial[1], "the bad sources give problems"
    assert ingest_sources(sources, {}, jobs=2) == serial
