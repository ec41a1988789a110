"""Benchmark the entities stage on an archive nobody has curated: discovery quality, junk, merges,
time and memory.

    python bench/bench_entities.py [--corpora ../shared/corpora] [--conll test|dev] [--clusters 50-99]
                                   [--archive multinews|ecbplus|bbc] [--show-junk] [--sample N] [--seeds S,S]
                                   [--session NAME] [--samples-dir DIR] [--scale 10000]

1. CoNLL-2003 test (`ner/eng.testb.docs.jsonl`, 231 documents), as one archive with an EMPTY
   authority file: every document an article, every line a paragraph. Discovered names are
   scored against the gold PER, LOC and ORG names (MISC is not proposed and not scored):
   - by surface per document: the distinct names printed in each document (as the issue counts);
   - by exact span with its type (person = PER, place = LOC, organisation = ORG).
   The name model was trained on CoNLL-2003 *dev* (`eng.testa`), and its settings were chosen by
   cross-validation on dev (`python -m annalist.entities.train --folds 4`): the test set is
   reported on, never tuned on.
2. Multi-News clusters ingested as one archive (default 050–099, held out; `--clusters 0-49` is the
   tuning split, `--clusters 0-99` the issue's): the share of proposed names that are junk by
   `junk_reason` below (furniture words, titles, calendar words, datelines or sentence-initial
   words glued on, fragments of longer names), the merges review suggests, and the hand-judged
   junk rate: seeded random samples of the proposals (`--sample`, 120 each; `--seeds`, 12001 and 12002), each with
   our verdict from `bench/entities_judged.tsv` (unjudged names are listed and left out of the rate;
   `--session` counts one session's verdicts only). Each sample is also written to
   DIR/entities-sample-ARCHIVE-SEED.tsv (`--samples-dir`, a temporary folder by default: it holds
   corpus text, never commit it) with its contexts, for a reader to judge.
   `--archive ecbplus` does the same on every ECB+ cluster ingested as one archive: data no
   discovery rule was tuned on (the rules were tuned on Multi-News 000-049); `--archive bbc` on
   the 2,225 BBC News articles (clean text, one outlet), likewise held out.
3. Time (wall clock; noisy on a shared machine) and peak memory (tracemalloc) of each run.
4. With --scale N: discovery, merge suggestions and the paginated review on N articles (BBC News
   and Multi-News cycled), to show the review stays usable at 10,000 articles.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annalist.entities import discover, suggest_merges  # noqa: E402
from annalist.entities.discover import UNREVIEWED, candidate_slug  # noqa: E402
from annalist.model import Article, Field, Paragraph  # noqa: E402

GOLD = {"PER": "person", "LOC": "place", "ORG": "organisation"}


def measured(step: Callable[[], object]) -> tuple[object, float, float]:
    """Result, seconds (a plain run), peak MiB (tracemalloc, in a second run: tracing slows
    Python's allocations several times over, so it never shares a run with the clock)."""
    gc.collect()
    start = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - start
    gc.collect()
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def conll_articles(path: Path) -> tuple[list[Article], list[dict]]:
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    unknown = Field(None, "unknown")
    articles = [
        Article(id=f"conll-{d['doc']:03d}", title="", standfirst=None, outlet=unknown, published=unknown,
                url=unknown, language=Field("en", "curator"), credits=(), captions=(),
                paragraphs=tuple(Paragraph(n, line) for n, line in enumerate(d["text"].split("\n"), 1)),
                source_file=f"{d['doc']}.txt", sha256="", encoding="utf-8")
        for d in docs
    ]
    return articles, docs


def score(predicted: list[set], gold: list[set]) -> tuple[float, float, float]:
    hits = sum(len(p & g) for p, g in zip(predicted, gold))
    p = hits / max(1, sum(map(len, predicted)))
    r = hits / max(1, sum(map(len, gold)))
    return p, r, 2 * p * r / max(1e-9, p + r)


def conll_path(corpora: Path, split: str = "test") -> Path:
    return corpora / "ner" / ("eng.testb.docs.jsonl" if split == "test" else "eng.testa.docs.jsonl")


def conll_sets(articles: list[Article], docs: list[dict], unreviewed, candidates) -> tuple[list[set], ...]:
    """What discovery marked in each CoNLL document and what the gold marks: the names by surface,
    and by exact span (offsets in the document's text) with their type."""
    pred_surface, pred_typed, gold_surface, gold_typed = [], [], [], []
    types = {UNREVIEWED + candidate_slug(c.name): c.type_guess for c in candidates}
    for article, doc in zip(articles, docs):
        offsets, base = {}, 0
        for p in article.paragraphs:
            offsets[p.n] = base
            base += len(p.text) + 1
        mentions = unreviewed[article.id]
        pred_surface.append({m.text for m in mentions})
        pred_typed.append({(offsets[m.paragraph] + m.start, offsets[m.paragraph] + m.end, types.get(m.entity, "unknown"))
                           for m in mentions})
        gold = [e for e in doc["entities"] if e["type"] in GOLD]
        gold_surface.append({e["text"] for e in gold})
        gold_typed.append({(e["start"], e["end"], GOLD[e["type"]]) for e in gold})
    return pred_surface, pred_typed, gold_surface, gold_typed


def conll_surface(corpora: Path, split: str = "test") -> tuple[float, float] | None:
    """Precision and recall by surface per document on CoNLL-2003 (None when the corpus is absent),
    with discovery as the module stands (bench/fit_discovery_score.py --frontier changes its score)."""
    path = conll_path(corpora, split)
    if not path.is_file():
        return None
    articles, docs = conll_articles(path)
    unreviewed, candidates = discover(articles, {a.id: () for a in articles}, ())
    pred_surface, _, gold_surface, _ = conll_sets(articles, docs, unreviewed, candidates)
    return score(pred_surface, gold_surface)[:2]


def run_conll(corpora: Path, split: str = "test") -> None:
    path = conll_path(corpora, split)
    if not path.is_file():
        print(f"CoNLL-2003 test: {path} absent, skipped")
        return
    articles, docs = conll_articles(path)
    known = {a.id: () for a in articles}
    (unreviewed, candidates), seconds, peak = measured(lambda: discover(articles, known, ()))
    pred_surface, pred_typed, gold_surface, gold_typed = conll_sets(articles, docs, unreviewed, candidates)
    sp, sr, sf = score(pred_surface, gold_surface)
    tp, tr, tf = score(pred_typed, gold_typed)
    words = sum(len(d["text"].split()) for d in docs)
    print(f"CoNLL-2003 {split}, {len(docs)} documents, {words:,} tokens, empty authority file "
          "(model trained on dev; tuned by 4-fold cross-validation on dev)")
    print(f"  by surface per document   precision {sp:.3f}  recall {sr:.3f}  F1 {sf:.3f}   "
          f"(target: recall >= 0.75 at precision >= 0.85)")
    print(f"  by exact span with type   precision {tp:.3f}  recall {tr:.3f}  F1 {tf:.3f}")
    for label, kind in GOLD.items():
        p, r, f = score([{x for x in s if x[2] == kind} for s in pred_typed],
                        [{x for x in s if x[2] == kind} for s in gold_typed])
        print(f"      {label} ({kind:12})      precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    print(f"  time {seconds:.2f} s ({len(docs) / seconds:,.0f} documents/s), peak {peak:.1f} MiB, "
          f"{len(candidates):,} names proposed")


# --- junk on scraped news -------------------------------------------------------------------------

JUNK_WORDS = frozenset(
    """video videos replay playlist photo photos image images getty caption javascript cookie cookies
    browser advertisement advert share shares tweet email subscribe subscription newsletter click
    comments comment loading related read more watch slideshow gallery copyright reserved privacy
    terms sign login skip menu next previous updated posted published story stories print""".split()
)
TITLES = frozenset(
    """mr mrs ms dr president secretary minister state senator sen rep gov governor mayor judge chief
    director spokesman spokeswoman general gen col sgt lt capt officer prime vice deputy former""".split()
)
CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays
    fridays saturdays sundays january february march april june july august september october
    november december""".split()
)
JOINERS = frozenset("and of for 's de".split())


def junk_reason(name: str, kind: str, contexts: list[tuple[str, str]], lower: Counter,
                mid_capital: Counter) -> str | None:
    """Why a proposed name is junk, or None. `contexts`: (text before, text after) of each mention;
    `lower` / `mid_capital`: how often the archive prints each word in lower case / capitalised
    inside a sentence."""
    tokens = name.replace("-", " ").split()
    lowers = [t.lower().strip(".,'\"") for t in tokens]
    if not tokens or len(name) < 2:
        return "empty"
    if any(w in JUNK_WORDS for w in lowers):
        return "furniture word"
    if lowers[0] in TITLES or lowers[-1] in TITLES:
        return "title glued on"
    if any(w in CALENDAR for w in lowers):
        return "calendar word"
    if re.search(r"[\d|/@#:]", name) or name.startswith(("'", "-")) or name.endswith(("'", "-")):
        return "digits or punctuation"
    opening = sum(1 for before, _ in contexts if not before.strip())
    if len(tokens) > 1 and tokens[0].isupper() and not tokens[1].isupper() and (
            len(tokens[0]) >= 5 or (len(tokens[0]) >= 3 and opening * 2 > len(contexts))):
        return "dateline glued on"
    initial = sum(1 for before, _ in contexts if not before.strip() or before.rstrip()[-1:] in ".!?\"'")
    first = lowers[0]
    if len(tokens) > 1 and initial * 2 > len(contexts) and lower[first] > mid_capital[first] \
            and first not in LOWER_OK and kind != "person":
        return "sentence's first word glued on"
    if any(t[:1].islower() and t.lower() not in PARTICLES for t in tokens):
        return "lower-case word inside"
    split = 0
    for before, after in contexts:
        previous = re.search(r"([A-Z][\w'.]*) $", before)
        glued_before = previous and previous.group(1).lower().rstrip(".") not in TITLES | NOT_NAMES \
            and not re.search(r"[.!?\"]\s*[A-Z][\w'.]* $", before) and before.strip() != previous.group(1)
        joiner = "(?:of|for|&|de)" if kind == "person" else "(?:and|of|for|&|de)"  # "X and Y" lists people
        glued_after = re.match(rf"^(?: {joiner} |'s |-| )[A-Z]", after)
        split += bool(glued_before or glued_after)
    if contexts and split * 2 > len(contexts):
        return "fragment of a longer name"
    return None


NOT_NAMES = frozenset("""the a an and but or in on at of for to from by with as said says according when while
    after before since if yesterday today last this that former then new""".split())
LOWER_OK = frozenset("new united great north south east west central national royal federal".split())
PARTICLES = frozenset("al el bin ibn bint abu de del della der di du da van von den la le of for y and the".split())


def _ingest_folders(folders) -> list[Article]:
    """Every .txt file of the folders, named `<cluster>-<file>` (as in ecbplus_pairs/doc_map.tsv);
    a file ingest refuses is reported and left out."""
    from annalist.ingest import ingest_source

    articles = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            rel = f"{folder.name}-{path.name}"
            try:
                articles.append(ingest_source(rel, path.read_bytes(), None))
            except Exception as exc:  # noqa: BLE001 - a benchmark reports and goes on
                print(f"  {rel}: {exc}")
    return articles


def multinews_articles(corpora: Path, clusters: range = range(100)) -> list[Article]:
    return _ingest_folders(corpora / "clusters" / f"multinews_{n:03d}" for n in clusters)


JUDGED = ROOT / "bench" / "entities_judged.tsv"
VERDICTS = {"name": "a person, place or organisation, whole", "shape": "junk: words glued on or cut off, furniture",
            "kind": "junk: not a person, place or organisation"}


def judged_lines(path: Path = JUDGED) -> list[tuple[str, str, str]]:
    """Our own verdicts on proposed names, (name, verdict, session) in file order, from lines
    `name<TAB>verdict<TAB>note<TAB>session` (verdict one of VERDICTS; `session`: who judged, and
    on which split)."""
    found = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if path.is_file() else ():
        if not line.strip() or line.startswith("#"):
            continue
        name, verdict, *rest = line.split("\t")
        if verdict not in VERDICTS:
            raise SystemExit(f"{path.name}:{n}: unknown verdict {verdict!r} (one of {', '.join(VERDICTS)})")
        found.append((name, verdict, (rest[1:2] or [""])[0]))
    return found


def hand_judgements(path: Path = JUDGED, session: str | None = None) -> dict[str, str]:
    """name -> verdict (judged_lines): with `session`, only that session's verdicts; otherwise all,
    the later line winning."""
    return {name: verdict for name, verdict, by in judged_lines(path) if session is None or by == session}


def ecbplus_articles(corpora: Path) -> list[Article]:
    """Every ECB+ cluster file, ingested as ONE archive."""
    return _ingest_folders(sorted((corpora / "clusters").glob("ecbplus_*")))


def run_multinews(corpora: Path, show_junk: bool, sample: int, clusters: range = range(100),
                  seeds: tuple[int, ...] = (12001, 12002), archive: str = "multinews",
                  samples_dir: Path | None = None, session: str | None = None) -> None:
    if archive == "bbc":
        if not (corpora / "bulk" / "bbc").is_dir():
            print("BBC News: corpus absent, skipped")
            return
        articles = bbc_articles(corpora)
        span = "BBC News 2004-05 (all 2,225)"
    elif archive == "ecbplus":
        if not any((corpora / "clusters").glob("ecbplus_*")):
            print("ECB+: clusters absent, skipped")
            return
        articles = ecbplus_articles(corpora)
        span = "ECB+ clusters (all 86)"
    else:
        if not (corpora / "clusters" / "multinews_000").is_dir():
            print("Multi-News: clusters absent, skipped")
            return
        articles = multinews_articles(corpora, clusters)
        span = f"Multi-News clusters {clusters.start:03d}-{clusters.stop - 1:03d}"
    known = {a.id: () for a in articles}
    (unreviewed, candidates), seconds, peak = measured(lambda: discover(articles, known, ()))
    merges, merge_s, merge_peak = measured(lambda: suggest_merges(candidates, ()))
    texts = {(a.id, p.n): p.text for a in articles for p in a.paragraphs}
    lower: Counter = Counter()
    mid_capital: Counter = Counter()
    for t in texts.values():
        lower.update(re.findall(r"(?<![\w'])[a-z]+(?![\w'])", t))
        mid_capital.update(w.lower() for w in re.findall(r"(?<=[a-z,] )[A-Z][a-z]+\b", t))
    contexts: dict[str, list[tuple[str, str]]] = {}
    for article_id, mentions in unreviewed.items():
        for m in mentions:
            text = texts[(article_id, m.paragraph)]
            contexts.setdefault(m.entity, []).append((text[max(0, m.start - 30):m.start], text[m.end:m.end + 30]))
    judged = []
    for c in candidates:
        reason = junk_reason(c.name, c.type_guess, contexts.get(UNREVIEWED + candidate_slug(c.name), []), lower, mid_capital)
        judged.append((c, reason))
    junk = [(c, r) for c, r in judged if r]
    mentions = sum(len(ms) for ms in unreviewed.values())
    junk_mentions = sum(c.count for c, _ in junk)
    print(f"{span} as one archive: {len(articles)} articles, empty authority file")
    print(f"  proposed names {len(candidates):,} ({mentions:,} mentions); junk by junk_reason: "
          f"{len(junk)} = {len(junk) / max(1, len(candidates)):.3f} of names, "
          f"{junk_mentions / max(1, mentions):.3f} of mentions   (target: <= 0.10)")
    reasons: dict[str, int] = {}
    for _, r in junk:
        reasons[r] = reasons.get(r, 0) + 1
    print("  the check counts as junk: a furniture word (video, getty, javascript…), a title or a calendar word at "
          "either end or inside, digits or punctuation, a dateline or a sentence's first word glued on, a lower-case "
          "word inside, and a fragment of a longer name (a capitalised word glued on in most contexts); it cannot see "
          "names of the wrong kind (a planet, a product, a film), which the hand judgement counts")
    reasons_of = {c.name: r for c, r in junk}
    print("  junk by reason: " + ", ".join(f"{r} {n}" for r, n in sorted(reasons.items(), key=lambda x: -x[1])))
    shown = junk if show_junk else junk[:25]
    print("  junk (most frequent first): " + "; ".join(f"{c.name!r} [{r}]" for c, r in shown))
    print(f"  merges suggested: {len(merges)} (in {merge_s:.2f} s, peak {merge_peak:.1f} MiB); first 15:")
    for m in merges[:15]:
        print(f"      {m.name!r} -> {m.into!r}  ({m.reason})")
    print(f"  discovery time {seconds:.2f} s ({len(articles) / seconds:,.1f} articles/s), peak {peak:.1f} MiB")
    # The samples: for each seed, the `sample` proposals whose names, salted with the seed, hash
    # lowest: a random sample anyone can draw again, and one that a change to discovery disturbs
    # little (a name stays in it as long as it is proposed and no lower-hashing name is added).
    judged = hand_judgements(session=session)
    pooled: Counter = Counter()
    for seed in seeds:
        picked = sorted(candidates, key=lambda c: hashlib.sha256(f"{seed}:{c.name}".encode()).hexdigest())[:sample]
        if samples_dir is not None:
            written = write_sample(samples_dir / f"entities-sample-{archive}-{seed}.tsv", picked, reasons_of, judged)
            print(f"  sample written for judging: {written}")
        print(f"  random sample of {len(picked)} proposals (seed {seed}) judged by hand ({JUDGED.name}"
              f"{', session ' + session if session else ''}; name / type / verdict / the check's reason / first context):")
        verdicts: Counter = Counter()
        agree = 0
        for c in sorted(picked, key=lambda c: c.name):
            verdict = judged.get(c.name, "UNJUDGED")
            verdicts[verdict] += 1
            reason = reasons_of.get(c.name)
            agree += verdict in VERDICTS and (verdict != "name") == bool(reason)
            print(f"      {c.name!r} ({c.type_guess}, {c.count}x) [{verdict}] [{reason or '-'}]: {c.contexts[0][2]}")
        pooled += verdicts
        checked = sum(1 for c in picked if reasons_of.get(c.name))
        print(f"  seed {seed}: junk by the check {checked} of {len(picked)} = {checked / max(1, len(picked)):.3f}; "
              + _hand_rate(verdicts) + f"; check and hand agree on {agree}")
    if len(seeds) > 1:
        print(f"  seeds {', '.join(map(str, seeds))} pooled: " + _hand_rate(pooled))


def write_sample(path: Path, picked: list, reasons_of: dict[str, str], judged: dict[str, str]) -> Path:
    """The sampled proposals as a file a reader can judge, one name a line: the name, the verdict
    so far (empty: not judged; fill in name, shape or kind, see VERDICTS), the type guessed, its
    mentions, articles and outlets, the automatic check's reason, and up to three contexts. The file
    holds corpus text: it is written outside the repository (see --samples-dir) and never committed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# " + "\t".join(("name", "verdict", "type", "mentions", "articles", "outlets", "check", "contexts")),
             "# verdicts: " + "; ".join(f"{v} = {d}" for v, d in VERDICTS.items())]
    for c in sorted(picked, key=lambda c: c.name):
        contexts = " | ".join(f"{article} ¶{n}: {text}" for article, n, text in c.contexts[:3])
        lines.append("\t".join((c.name, judged.get(c.name, ""), c.type_guess, str(c.count), str(c.articles),
                                str(len(c.outlets)), reasons_of.get(c.name) or "-", contexts)))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _hand_rate(verdicts: Counter) -> str:
    seen = sum(n for v, n in verdicts.items() if v in VERDICTS)
    bad = verdicts["shape"] + verdicts["kind"]
    return (f"junk judged by hand {bad} of {seen} = {bad / max(1, seen):.3f} ({verdicts['shape']} glued, cut or "
            f"furniture; {verdicts['kind']} not a person, place or organisation; {verdicts['UNJUDGED']} unjudged; "
            "target <= 0.10)")


def bbc_articles(corpora: Path) -> list[Article]:
    unknown = Field(None, "unknown")
    articles = []
    for path in sorted((corpora / "bulk" / "bbc").glob("*/*.txt")):
        raw = path.read_bytes()
        text = raw.decode("utf-8") if raw.isascii() or _utf8(raw) else raw.decode("latin-1")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        rel = path.relative_to(corpora / "bulk" / "bbc").as_posix()
        articles.append(Article(
            id=rel.removesuffix(".txt").replace("/", "-"), title=lines[0], standfirst=None,
            outlet=Field("BBC News", "curator"), published=unknown, url=unknown, language=Field("en", "curator"),
            credits=(), captions=(), paragraphs=tuple(Paragraph(n, t) for n, t in enumerate(lines[1:], 1)),
            source_file=rel, sha256="", encoding="utf-8"))
    return articles


def _utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def run_scale(corpora: Path, wanted: int) -> None:
    """The review at archive scale: BBC News and Multi-News articles, cycled to `wanted` under new
    ids (repeats inflate counts, not the number of distinct names)."""
    from dataclasses import replace

    from annalist.entities import review_report

    base = bbc_articles(corpora) + multinews_articles(corpora)
    articles = [replace(base[i % len(base)], id=f"{base[i % len(base)].id}-{i // len(base)}") for i in range(wanted)]
    known = {a.id: () for a in articles}
    start = time.perf_counter()
    unreviewed, candidates = discover(articles, known, ())
    discover_s = time.perf_counter() - start
    start = time.perf_counter()
    merges = suggest_merges(candidates, ())
    merge_s = time.perf_counter() - start
    start = time.perf_counter()
    last = review_report(candidates, merges, page=10**9)
    first = review_report(candidates, merges, page=1)
    report_s = time.perf_counter() - start
    print(f"Scale: {wanted:,} articles ({len(base):,} distinct, BBC News + Multi-News), empty authority file")
    print(f"  discovery {discover_s:.1f} s ({wanted / discover_s:,.0f} articles/s); {len(candidates):,} names, "
          f"{sum(len(m) for m in unreviewed.values()):,} mentions; merges {merge_s:.2f} s ({len(merges):,} suggested); "
          f"two review pages {report_s:.2f} s, {len(first.splitlines())} and {len(last.splitlines())} lines; "
          f"{last.splitlines()[0].split('Page ')[-1]}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--show-junk", action="store_true", help="print every name judged junk")
    parser.add_argument("--sample", type=int, default=120, help="proposals to print for judging by hand")
    parser.add_argument("--seeds", default="12001,12002", help="seeds of the random samples judged by hand, "
                        "comma-separated")
    parser.add_argument("--clusters", default="50-99", help="Multi-News clusters, FIRST-LAST (tune on 0-49, "
                        "report on 50-99)")
    parser.add_argument("--conll", choices=("test", "dev"), default="test", help="CoNLL-2003 split to score")
    parser.add_argument("--archive", choices=("multinews", "ecbplus", "bbc"), default="multinews",
                        help="news for the junk figures: Multi-News clusters (--clusters), every ECB+ cluster, or "
                        "the BBC News bulk corpus")
    parser.add_argument("--samples-dir", type=Path, default=Path(tempfile.gettempdir()) / "annalist-entities-samples",
                        help="where the sampled proposals are written for judging (holds corpus text: keep it out "
                        "of the repository)")
    parser.add_argument("--session", default=None, help="count only this session's verdicts from entities_judged.tsv "
                        "(default: every session's, the later winning)")
    parser.add_argument("--scale", type=int, default=0, help="also run discovery and the review on N articles")
    args = parser.parse_args(argv)
    first, _, last = args.clusters.partition("-")
    run_conll(args.corpora, args.conll)
    run_multinews(args.corpora, args.show_junk, args.sample, range(int(first), int(last or first) + 1),
                  tuple(int(x) for x in args.seeds.split(",")), args.archive, args.samples_dir, args.session)
    if args.scale:
        run_scale(args.corpora, args.scale)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS {maxrss:.0f} MiB")


if __name__ == "__main__":
    main()
