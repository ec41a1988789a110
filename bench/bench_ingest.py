"""Benchmark the ingest stage on real scraped news: furniture left, junk titles, outlets, dates.

    python bench/bench_ingest.py [--corpora ../shared/corpora] [--range 000-049] [--range 050-099]

Each range of Multi-News clusters is ingested as ONE archive (as a curator would drop a crawl
into content/sources/), so lines repeated across the archive's articles count as templates.
Clusters 000-049 are the ones the furniture rules were calibrated on; 050-099 are reported as
data the rules were not tuned on (the owner measures on clusters beyond 099).

The furniture check below is independent of the cleaner: it looks for the kinds of page
furniture a reader would object to in a body paragraph (widget and prompt text, photo credits
and captions, bylines, embedded tweets, share bars, comment-section text, archive boilerplate).
It prints every body paragraph it flags, so the figure can be read and argued with.

Body loss: every sentence of each raw file must be in the body, the headline, the standfirst or the
removed list (the same check as tests/test_ingest.py on every corpus file).

Also checks the seeds: the annotated Markdown of content/ is compared with tests/golden/.
Prints figures; asserts nothing. Timings are wall-clock on a shared machine: noisy.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annalist.ingest import ingest_corpus  # noqa: E402
from annalist.model import Article  # noqa: E402
from annalist.text import fold  # noqa: E402

# --- the furniture check (NOT the cleaner's rules) -------------------------------------------------

FURNITURE = re.compile(
    r"|".join(
        (
            # widgets, prompts, players, comment sections
            r"\bsign up\b.{0,60}\b(?:newsletter|e-?mails?)\b|\bnewsletter\b.{0,40}\bsign up\b",
            r"verify you'?re not a robot|enable javascript|comments? powered by|\bdisqus\b",
            r"skip in skip|embed x share|listen to article|share this (?:article|story)",
            r"\bclick here\b|\bsubscribe (?:now|today)\b|thanks for subscribing",
            r"tweet with a location|interactive transcript|rating is available when",
            r"this feature is not available right now|now playing|replay video",
            r"^advertisement\b|continue reading the main story|story continues below",
            r"^(?:read more|related|see also|more from)\b\s*:?$|^(?:read more|related|see also)\s*:",
            r"\ball rights reserved\b",
            r"follow us on\b|\blike us on facebook\b",
            r"wayback machine|internet archive|no more 404",
            r"^(?:facebook|twitter|email|e-mail|print|share|comments?|reddit|whatsapp|pinterest|linkedin)$",
            # photo credits and captions
            r"\bimage copyright\b|\bimage caption\b|\bmedia caption\b",
            r"\((?:ap photo|afp photo|reuters|getty images|associated press)[^)]*\)\s*$",
            r"^(?:photo|image|picture|credit)s?\s*:",
            r"^[\w .'’-]{2,40}/(?:getty images|reuters|afp|ap|epa|ap photo)$",
            r"^(?:getty images|shutterstock|ap photo)\b",
            # bylines
            r"^by [A-Z][\w.'’-]+(?: [A-Z][\w.'’-]+){0,3}(?:\s*[/,|]\s*[\w .]{1,40})?$",
            # embedded tweets
            r"pic\.twitter\.com/|https?://t\.co/|\(@\w{1,15}\) (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}, \d{4}",
        )
    ),
    re.I,
)
BYLINE_CASE = re.compile(r"^By [A-Z]")


def furniture_in(paragraph: str) -> bool:
    text = fold(paragraph).strip()
    if len(text) < 3:
        return True  # a stray mark left as a paragraph
    if FURNITURE.search(text):
        if text.lower().startswith("by ") and not BYLINE_CASE.match(text):
            return False
        return True
    return False


# --- titles ---------------------------------------------------------------------------------------

JUNK_TITLE = re.compile(  # any case
    r"|".join(
        (
            r"^\W*(?:updated|posted|source:)",  # a byline
            r"image copyright|getty images?|\bphotos?\s*(?::|by\b|courtesy)|\billustration by|\(ap\)|associated press\)$",
            r"\((?:[^()]*/[^()]*|[^()]*\bphotos?\b[^()]*|[^()]*\bcourtesy\b[^()]*)\)$",  # ends in a photo credit
            r"\b(?:reuters|afp|epa)/\w|wikimedia commons|^source:|^directed by\b|\| getty\b",
            r"^\(?(?:reuters|ap|cnn|afp)\)?\s*[-—–]",
            r"^(?:latest headlines|abstract|advertisement|related|read more|share|comments?|updated?)$",
            r"sign up|subscribe|newsletter|javascript|cookie|autoplay|click to|opens in new window|your browser",
            r"^(?:close|embed|story highlights)\b|redirects here|add a location|^\d+ of \d+\b",
            r"\d{1,2}:\d\d\s*(?:am|pm|a\.m\.|p\.m\.)",  # a time stamp
            r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day, )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\.? \d{1,2}, \d{4}",
        )
    ),
    re.I,
)
JUNK_TITLE_CASED = re.compile(  # capitals matter
    r"|".join(
        (
            r"^[Bb][Yy] [A-Z]|\bby [A-Z][\w.]+(?: [A-Z][\w.]+)+$",  # a byline
            r"^[A-Z][A-Z .,'’-]{2,}\s*(?:\([^)]{1,30}\))?\s*[-—–]",  # a dateline kept in the title
            r"^[A-Z][A-Z .,'’-]{2,}\s*\([^)]{1,30}\)$",
            r"^[A-Z][\w'’-]+(?: [A-Z][\w'’.-]+){1,3}, \d{1,3}, of ",  # a mugshot caption
            r"^(?:[A-Z][\w]* ){0,3}News, [A-Z][\w ]+$",  # "BBC News, Lima": a correspondent's line
        )
    )
)
CUT_MID_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Gov|Sen|Rep|Gen|Lt|Col|Jr|U\.S|O\.J|No)|\b[A-Z])$")


def junk_title(article: Article) -> str | None:
    """Why this title is not a headline, or None."""
    title = fold(article.title).strip().rstrip("…").strip()
    if not title:
        return "empty"
    if JUNK_TITLE.search(title) or JUNK_TITLE_CASED.search(title):
        return "furniture line"
    if re.search(r"^[A-Z0-9 &,'’-]+$", title) and len(title.split()) <= 3:
        return "a label, not a headline"
    if article.title_origin == "inferred" and CUT_MID_ABBREVIATION.search(title):  # a headline may end "Part I"
        return "cut inside a name or abbreviation"
    if len(title.split()) < 3:
        return "too short to be a headline"
    if article.title_origin != "inferred" and len(title.split()) > 20:
        return "a sentence or caption, not a headline"
    if article.title_origin != "inferred" and re.search(r"[.!?] [A-Z]", title) and len(title.split()) > 10:
        return "two sentences: not a headline"
    if article.title_origin == "inferred" and not article.title.endswith("…") and len(article.title) > 120:
        return "inferred title not cut"
    return None


# --- titles judged by eye ------------------------------------------------------------------------

JUDGED = ROOT / "bench" / "titles_judged.tsv"  # file, title, verdict (ok / junk), why, judge: our own reading


def judged_titles() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(source file, title) → (verdict, why, judge), from the hand-judged list; a file may be judged
    under several titles; a later line for the same title (a later reading) wins."""
    if not JUDGED.is_file():
        return {}
    out = {}
    for line in JUDGED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, title, verdict, why, judge = (line.split("\t") + ["", "", "", "", ""])[:5]
            out[(name, title)] = (verdict, why, judge or "unnamed")
    return out


def report_judged(articles: list[Article], show: bool) -> None:
    judged = judged_titles()
    verdicts = [(a, judged.get((a.source_file, a.title))) for a in articles]
    junk = [(a, v[1]) for a, v in verdicts if v and v[0] == "junk"]
    unjudged = [a for a, v in verdicts if v is None]
    n = len(articles) - len(unjudged)
    judges = Counter(v[2] for _, v in verdicts if v)
    print(f"titles judged by eye ({JUDGED.relative_to(ROOT)}): junk {len(junk)} of {n} judged "
          f"({len(junk) / max(n, 1):.1%}; target <= 2%), {len(unjudged)} titles not yet judged; "
          f"judged by: {dict(judges.most_common())}")
    for a, why in junk:
        print(f"   junk: {a.source_file}: {a.title!r} ({why})")
    for a in unjudged:
        print(f"   not judged: {a.source_file}: {a.title!r}")


# --- datelines ---------------------------------------------------------------------------------

PRINTED_DATELINE = re.compile(  # "WASHINGTON (AP) —", "LIMA, Dec 1 (Reuters) -", "(CNN) --", "AUGUSTA, Ga. (WRDW/WAGT) –"
    r"^(?:[A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\w.'’ ]{1,30})?(?:,\s*\w{3,9}\.? \d{1,2})?(?:,\s*\d{4})?\s*)?"
    r"\((?:[A-Z][\w.&/' -]{0,30})\)\s*(?:[-—–:]|(?=[A-Z]))"
)


def prints_dateline(article: Article) -> bool:
    head = [article.standfirst or "", *(p.text for p in article.paragraphs[:3])]
    return any(PRINTED_DATELINE.match(fold(t).strip()) for t in head)


# --- running -------------------------------------------------------------------------------------


def archive(corpora: Path, first: int, last: int, into: Path) -> Path:
    """A content/ folder whose sources are copies (in a temporary folder) of the Multi-News files of clusters first..last."""
    sources = into / "sources"
    sources.mkdir(parents=True)
    for n in range(first, last + 1):
        for path in sorted((corpora / "clusters" / f"multinews_{n:03d}").glob("*.txt")):
            (sources / f"{n:03d}-{path.name}").write_bytes(path.read_bytes())
    return into


def body_lost(article: Article, raw: bytes) -> list[str]:
    """Sentences of the raw file found neither in the body, the headline, the standfirst nor the removed list."""
    kept = [p.text for p in article.paragraphs] + [r.text for r in article.removed]
    kept += [article.standfirst or ""] + ([article.title] if article.title_origin == "text" else [])
    kept_folded = [fold(k) for k in kept]
    lost = []
    for line in raw.decode(article.encoding).split("\n"):
        for sentence in re.split(r"(?<=[.!?\"”’])\s+(?=[\"“‘A-Z])", fold(line).strip()):
            if sentence and not any(sentence in k for k in kept_folded):
                lost.append(sentence)
    return lost


def report(label: str, articles: list[Article], problems: list, seconds: float, files: int, show: bool,
           raw: dict[str, bytes] | None = None) -> None:
    n = len(articles)
    print(f"\n== {label}: {files} files, {n} articles ingested, {len(problems)} problems, {seconds:.1f} s")
    for p in problems:
        print(f"   {p}")
    left = [(a, p.text) for a in articles for p in a.paragraphs if furniture_in(p.text)]
    with_left = {a.id for a, _ in left}
    print(f"furniture left in the body: {len(with_left)} of {n} articles ({len(with_left) / max(n, 1):.1%}; target <= 10%),"
          f" {len(left)} paragraphs")
    if show:
        for a, text in left:
            print(f"   {a.source_file}: {text[:110]!r}")
    origins = Counter(a.title_origin for a in articles)
    junk = [(a, junk_title(a)) for a in articles if junk_title(a)]
    print(f"titles: {dict(sorted(origins.items()))}; not headlines (junk): {len(junk)} ({len(junk) / max(n, 1):.1%}; target <= 2%)")
    for a, why in junk:
        print(f"   {a.source_file}: {a.title!r} ({why})")
    report_judged(articles, show)
    datelined = [a for a in articles if prints_dateline(a)]
    found = [a for a in datelined if a.outlet.value or a.agency.value]
    print(f"outlets: {sum(1 for a in articles if a.outlet.value)} articles with an outlet, "
          f"{sum(1 for a in articles if a.agency.value)} with an agency; "
          f"{len(found)} of {len(datelined)} articles whose dateline names a source (agency or outlet) have one (target: all)")
    for a in datelined:
        if a not in found:
            print(f"   missed: {a.source_file}: {a.paragraphs[0].text[:80]!r}")
    agencies = Counter(a.agency.value for a in articles if a.agency.value)
    print(f"   agencies: {dict(agencies.most_common())}")
    dates = Counter(a.published.origin for a in articles)
    print(f"dates: {dict(sorted(dates.items()))}")
    for a in articles:
        if a.published.origin == "inferred":
            print(f"   inferred {a.published.value} for {a.source_file}: {a.published.note[:140]}")
    if raw is not None:
        lost = {a.source_file: body_lost(a, raw[a.source_file]) for a in articles}
        print(f"body lost: {sum(map(len, lost.values()))} sentences of the raw files in {sum(1 for v in lost.values() if v)} "
              f"of {n} articles are neither in the body, the headline, the standfirst nor the removed list (target: 0)")
        for name, sentences in lost.items():
            for sentence in sentences[:3]:
                print(f"   lost: {name}: {sentence[:100]!r}")
    removed = [len(a.removed) for a in articles]
    reasons = Counter(r.reason.split(":")[0].split(" (")[0] for a in articles for r in a.removed)
    print(f"lines removed per article: mean {sum(removed) / max(n, 1):.2f}, max {max(removed, default=0)}, "
          f"none removed in {removed.count(0)}")
    print(f"   by reason: {dict(reasons.most_common())}")


def seeds_unchanged() -> None:
    from annalist.pipeline import gather

    corpus, _ = gather(ROOT / "content")
    golden = ROOT / "tests" / "golden"
    changed = [i.article.id for i in corpus.articles
               if not (golden / f"{i.article.id}.md").is_file()
               or (golden / f"{i.article.id}.md").read_text(encoding="utf-8") != i.markdown]
    print(f"\n== seeds: {len(corpus.articles)} articles; annotated Markdown identical to tests/golden: "
          f"{len(corpus.articles) - len(changed)} of {len(corpus.articles)}"
          + (f"; changed: {', '.join(changed)}" if changed else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--range", action="append", dest="ranges", help="clusters, e.g. 000-049 (repeatable)")
    parser.add_argument("--show", action="store_true", help="print every flagged body paragraph")
    args = parser.parse_args()
    ranges = args.ranges or ["000-049", "050-099"]
    if not (args.corpora / "clusters").is_dir():
        print(f"no corpora at {args.corpora}; seeds only")
    else:
        for r in ranges:
            first, last = (int(x) for x in r.split("-"))
            with tempfile.TemporaryDirectory() as tmp:
                content = archive(args.corpora, first, last, Path(tmp) / "content")
                files = sum(1 for _ in (content / "sources").iterdir())
                started = time.perf_counter()
                articles, problems = ingest_corpus(content)
                seconds = time.perf_counter() - started
                raw = {p.name: p.read_bytes() for p in (content / "sources").iterdir()}
            tuned = "calibration data" if (first, last) == (0, 49) else "reported; read during earlier work, so only partly unseen"
            report(f"Multi-News clusters {r} ({tuned})", articles, problems, seconds, files, args.show, raw)
    seeds_unchanged()


if __name__ == "__main__":
    main()
