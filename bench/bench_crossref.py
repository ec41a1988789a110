"""Cross-source alignment on real articles from ../shared/corpora/: quality, then growth.

    python bench/bench_crossref.py                 # quality: labelled pairs and mixed archives
    python bench/bench_crossref.py --semantic      # the same with the embedding model measured too
    python bench/bench_crossref.py --sizes 1000 2000 5000   # growth: time and memory by size
    python bench/bench_crossref.py --curve         # labelled pairs: where recall is lost
    python bench/bench_crossref.py --cv            # labelled pairs: cross-validation by topic

Quality, side by side (each row in a fresh process, so its peak memory is its own):
  - ECB+ labelled pairs: precision, recall, hard negatives linked, for claim links alone and for
    all links (claim or same event), on the held-out topics (even topics 2-30) and, labelled as
    such, on the odd topics and seed pairs the models were fitted on; then the same with each
    ECB+ sub-topic folder as its story (perfect grouping), to tell grouping errors from alignment
    errors;
  - links that join two different stories, as a share of all links, in two mixed archives: all
    ECB+ clusters as one archive (a story = one sub-topic folder) and Multi-News 000-099 as one
    archive (a story = one cluster), each built exactly as a build does (bench/mixed_archive.py:
    a content folder read by pipeline.gather, so ingest removes the archive's furniture, finds
    titles, outlets and dates, and alignment runs one story at a time), and, for comparison,
    without grouping (the whole archive aligned at once); on the whole archive and on its tune
    part (odd ECB+ topics, Multi-News 000-049: the story threshold was chosen there) and held-out
    part (even topics, 050-099).
No authority file: what a new user's archive gets.

Growth:

Articles: BBC bulk (2,225; headline, blank line, paragraphs), then the ECB+ and Multi-News
clusters (one article per NN.txt). Above that total the same articles are used again under new
ids and the output says how many repeats were needed: each repeat is an exact copy, so it also
exercises shared-wording detection. No entity stage: a cheap proxy makes every run of capitalised words
not at a sentence start an entity (--no-names: none, names are then content words). Each size runs in a fresh process so the peak memory figure is its own.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from annalist.crossref.align import candidate_pairs, featurise, inverse_document_frequency, matches  # noqa: E402
from annalist.crossref import CALIBRATION, align  # noqa: E402
from annalist.entities import Recogniser  # noqa: E402
from annalist.model import Article, Field, Mention, Paragraph  # noqa: E402
from annalist.text import clean, slugify  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"


def corpus_files() -> list[Path]:
    bbc = sorted((CORPORA / "bulk" / "bbc").glob("*/*.txt"))
    clusters = sorted((CORPORA / "clusters").glob("*/*.txt"))
    return bbc + clusters


def read(path: Path, article_id: str) -> Article:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    lines = [clean(line.strip()) for line in text.splitlines() if line.strip()]
    unknown = Field(None, "unknown")
    return Article(
        id=article_id, title=lines[0] if lines else "", standfirst=None, outlet=unknown,
        published=unknown, url=unknown, language=Field("en", "inferred"), credits=(), captions=(),
        paragraphs=tuple(Paragraph(n, t) for n, t in enumerate(lines[1:], start=1)),
        source_file=str(path), sha256=hashlib.sha256(raw).hexdigest(), encoding="utf-8",
    )


# Entity proxy: a run of capitalised words not at the start of a sentence ("Sri Lanka").
NAME_RE = re.compile(r"(?<![.!?\"'\u201c]\s)(?<!^)\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")


def proxy_mentions(article: Article) -> tuple[Mention, ...]:
    return tuple(
        Mention(slugify(m.group(0)), m.group(0), p.n, m.start(), m.end())
        for p in article.paragraphs
        for m in NAME_RE.finditer(p.text)
    )


def articles(size: int) -> tuple[list[Article], int]:
    files = corpus_files()
    out = []
    for i in range(size):
        path = files[i % len(files)]
        out.append(read(path, f"{i // len(files)}-{path.parent.name}-{path.stem}"))
    return out, (size - 1) // len(files)


def run_one(size: int, names: bool) -> dict:
    items, repeats = articles(size)
    start = time.perf_counter()
    _, features = featurise([(a, proxy_mentions(a) if names else ()) for a in items])
    split_done = time.perf_counter()
    idf = inverse_document_frequency(features)
    pairs = candidate_pairs(features)
    found = matches(features, idf, CALIBRATION["lexical"]["threshold"], event=CALIBRATION["event"])
    end = time.perf_counter()
    links = sum(len(v) for v in found.values()) // 2
    copies = sum(1 for v in found.values() for _, m in v if m.shared_wording) // 2
    return {
        "articles": size, "repeats": repeats, "sentences": len(features),
        "candidate_pairs": len(pairs), "matches": links, "shared_wording": copies,
        "seconds_split_features": round(split_done - start, 2),
        "seconds_align": round(end - split_done, 2), "seconds_total": round(end - start, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_mixed(kind: str, grouped: bool) -> dict:
    """Links joining different stories (gold clusters) as a share of all links, on the whole
    archive and on its tune and held-out parts (a link counts in a part when both its articles
    are in it). The archive is built exactly as a build does (bench/mixed_archive.py, then
    pipeline.gather: ingest with its furniture pass, entities, stories, alignment story by story);
    without grouping, the whole archive is aligned at once with the same mentions."""
    from annalist import pipeline

    from mixed_archive import TUNE, cluster_of, content_folder, number

    start = time.perf_counter()
    with content_folder(kind) as content:
        if grouped:
            corpus, _ = pipeline.gather(content)
            articles = [item.article for item in corpus.articles]
            stories = corpus.stories
            refs = {item.article.id: item.crossrefs for item in corpus.articles}
        else:
            from mixed_archive import items as archive_items

            articles, _ = archive_items(content)
            known = pipeline.recognise(articles, Recogniser([]), pipeline.no_progress)
            stories = ()
            refs = {a: crossrefs for a, (_, crossrefs) in align([(a, known[a.id]) for a in articles]).items()}
    seconds = time.perf_counter() - start
    gold = {a.id: cluster_of(a) for a in articles}
    links = set()
    for article, crossrefs in refs.items():
        for c in crossrefs:
            for m in c.matches:
                links.add(tuple(sorted([(article, c.paragraph, c.text), (m.article, m.paragraph, m.text)])))
    tune = TUNE[kind]
    parts = {"all": lambda a: True, "tune": lambda a: tune(number(gold[a])),
             "held_out": lambda a: not tune(number(gold[a]))}
    out = {"archive": kind, "grouped": grouped, "articles": len(articles), "stories": len(stories) or None,
           "clusters": len(set(gold.values())), "seconds": round(seconds, 1),
           "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    for part, keep in parts.items():
        inside = [(a, b) for (a, *_), (b, *_) in links if keep(a) and keep(b)]
        cross = sum(1 for a, b in inside if gold[a] != gold[b])
        pairs = Counter(tuple(sorted((gold[a], gold[b]))) for a, b in inside if gold[a] != gold[b])
        out[part] = {"links": len(inside), "cross_story": cross,
                     "share": round(cross / len(inside), 4) if inside else 0.0,
                     "by_clusters": [[*pair, n] for pair, n in sorted(pairs.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]}
    return out


def run_pairs(semantic: bool, folders: bool = False) -> dict:
    """The ECB+ figures, recomputed (not read from calibration.json): claim links alone, and all
    links (claim or same event), on the held-out even topics and on the odd topics tuned on.
    `folders`: each ECB+ sub-topic folder as its story (perfect grouping), the models and
    thresholds being those fitted with the build's grouping (calibration.json)."""
    from annalist.crossref import calibrate as cal

    start = time.perf_counter()
    cache = Path.home() / ".cache" / "annalist"
    seeds = cal.seed_rows(cal.load_pairs(), cal.load_seed_items(use_real=True), strict=False,
                          semantic=semantic, cache=cache)
    items = cal.ecbplus_items()
    archive_of = cal.story_archives(items, semantic, cache, "folders" if folders else True)
    ecb_rows = cal.ecbplus_rows(semantic, cache, archive_of=archive_of)
    rows = seeds + ecb_rows
    if folders:
        claim, event = CALIBRATION["lexical"], CALIBRATION["event"]
    else:
        claim = cal.calibrate_model(rows, cal.SEMANTIC if semantic else cal.LEXICAL)
        event = None if semantic else cal.calibrate_event_model(rows, claim)
    tune, held = cal.tune_and_held_out(rows)
    tune = [r for r in tune if r.group != "seed"]
    out = {}
    for name, part in (("held_out", held), ("tune", tune), ("seeds", seeds)):
        out[f"claim_{name}"] = cal.measure(part, cal.probabilities(part, claim), claim["threshold"])
        if event is not None:
            out[f"all_{name}"] = cal.measure(part, cal.link_scores(part, claim, event), event["threshold"])
    if not semantic and not folders:  # what the site shows: footnote entries of the build's alignment
        shown = shown_pairs(items, archive_of)
        ecb_tune, ecb_held = cal.tune_and_held_out(ecb_rows)
        for name, part in (("held_out", ecb_held), ("tune", ecb_tune)):
            out[f"shown_{name}"] = cal.measure(part, [1.0 if shown_row(r, shown) else -1.0 for r in part], 0.5)
    return {**out, "model": "semantic" if semantic else "lexical", "grouping": "folders" if folders else "stories",
            "seconds": round(time.perf_counter() - start, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def shown_pairs(items, archive_of) -> set[tuple[str, int, str, int]]:
    """(article, paragraph, other article, other paragraph) of every footnote entry the build
    shows: each story (the articles sharing one Archive of calibrate.story_archives) aligned by
    crossref.align, as pipeline does, with calibration.json's models."""
    by_story: dict[int, list] = {}
    for article, mentions in items:
        by_story.setdefault(id(archive_of[article.id]), []).append((article, mentions))
    out = set()
    for members in by_story.values():
        for article, (_, crossrefs) in align(members).items():
            for c in crossrefs:
                out.update((article, c.paragraph, m.article, m.paragraph) for m in c.matches)
    return out


def shown_row(row, shown: set) -> bool:
    """Is the labelled pair shown: a footnote of one of its two lines lists the other line?"""
    p = row.pair
    return ((p["article_a"], p["line_a"], p["article_b"], p["line_b"]) in shown
            or (p["article_b"], p["line_b"], p["article_a"], p["line_a"]) in shown)


def run_curve() -> dict:
    """Where recall on the labelled pairs is lost, on the tune (odd) and held-out (even) topics:
    the ceiling set by story grouping (positives whose two articles are in one story), the
    ceiling of the evidence gates (every pair with claim or same-event evidence, any score), the
    curve of the calibrated models over the event threshold and the article-affinity gate, and
    the precision of "link everything within a story" per topic."""
    from annalist.crossref import calibrate as cal

    start = time.perf_counter()
    archive_of = cal.story_archives(cal.ecbplus_items())
    rows = cal.ecbplus_rows(archive_of=archive_of)
    claim, event = CALIBRATION["lexical"], CALIBRATION["event"]
    tune, held = cal.tune_and_held_out(rows)
    parts = {"tune": tune, "held_out": held}
    one_story = {id(r): archive_of[r.pair["article_a"]] is archive_of[r.pair["article_b"]] for r in rows}

    def point(scores_of, threshold: float) -> dict:
        return {name: cal.measure(part, scores_of(part), threshold) for name, part in parts.items()}

    from annalist.crossref.compare import _dates_clash

    def loose(r) -> bool:  # some sentence pair of the two lines is a candidate of their story, no date clash
        archive = archive_of[r.pair["article_a"]]
        if archive is not archive_of[r.pair["article_b"]]:
            return False
        left = archive.at.get((r.pair["article_a"], r.pair["line_a"]), [])
        right = archive.at.get((r.pair["article_b"], r.pair["line_b"]), [])
        return any((min(i, j), max(i, j)) in archive.candidates
                   and not _dates_clash(archive.features[i], archive.features[j]) for i in left for j in right)

    linked_loosely = {id(r): loose(r) for r in rows}
    out: dict = {
        "in_one_story": point(lambda part: [1.0 if one_story[id(r)] else -1.0 for r in part], 0.5),
        "candidates_in_story": point(lambda part: [1.0 if linked_loosely[id(r)] else -1.0 for r in part], 0.5),
        "any_evidence": point(lambda part: cal.link_scores(part, claim, event, 0.0), 0.0),
        "calibrated": point(lambda part: cal.link_scores(part, claim, event), event["threshold"]),
        "curve": [],
    }
    for gate in (0.0, 0.1, 0.2, 0.25, 0.3):
        for threshold in (0.05, 0.2, 0.4, 0.6, 0.8, 0.9):
            out["curve"].append({"min_affinity": gate, "threshold": threshold,
                                 **point(lambda part: cal.link_scores(part, claim, event, gate), threshold)})
    # the split reversed: fitted and thresholded on the even topics (and the seeds), reported on the odd ones
    seeds = cal.seed_rows(cal.load_pairs(), cal.load_seed_items(use_real=True), strict=False)
    even = lambda topic: topic % 2 == 0  # noqa: E731
    claim_r = cal.calibrate_model(seeds + rows, cal.LEXICAL, even)
    event_r = cal.calibrate_event_model(seeds + rows, claim_r, tune_topic=even)
    out["reversed_split"] = {"tune": cal.measure(held, cal.link_scores(held, claim_r, event_r), event_r["threshold"]),
                             "held_out": cal.measure(tune, cal.link_scores(tune, claim_r, event_r), event_r["threshold"])}
    topics: dict[int, list[int]] = {}
    for r in rows:
        if one_story[id(r)]:
            counts = topics.setdefault(int(r.group.split()[1]), [0, 0])
            counts[0 if r.label else 1] += 1
    out["in_one_story_precision_by_topic"] = {t: round(p / (p + n), 3) for t, (p, n) in sorted(topics.items())}
    out["seconds"] = round(time.perf_counter() - start, 1)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def curve() -> None:
    r = _child("--curve-json")
    print("Labelled pairs (ECB+): where recall is lost. TUNE = odd topics 1-29 (the models and thresholds "
          "were chosen there), HELD OUT = even topics 2-30")

    def row(label: str, point: dict) -> None:
        cells = "  ".join(f"{name} P {m['precision']:.3f} R {m['recall']:.3f} hard {m['hard_negatives_linked']:.1%}"
                          for name, m in (("tune", point["tune"]), ("held out", point["held_out"])))
        print(f"{label:<44} {cells}")

    row("both articles in one story (grouping ceiling)", r["in_one_story"])
    row("candidate pair in one story, no date clash", r["candidates_in_story"])
    row("any claim or same-event evidence (gates)", r["any_evidence"])
    row("calibrated (calibration.json)", r["calibrated"])
    print("curve of the calibrated models (claim links, plus event links at this threshold and gate):")
    for p in r["curve"]:
        row(f"  min affinity {p['min_affinity']:.2f}, event threshold {p['threshold']:.2f}", p)
    r["reversed_split"]["tune"], r["reversed_split"]["held_out"] = r["reversed_split"]["held_out"], r["reversed_split"]["tune"]
    row("split reversed: fitted on EVEN, reported on ODD", r["reversed_split"])
    print("  (in this row 'tune' is the odd topics, now held out, and 'held out' the even topics, now tuned on)")
    print("precision of 'link every labelled pair within one story', per topic (odd topics tune):")
    print("  " + ", ".join(f"{t}: {v:.2f}" for t, v in r["in_one_story_precision_by_topic"].items()))
    print(f"({r['seconds']} s, peak {r['peak_rss_mb']} MB)")


def cv() -> None:
    """Cross-validation by topic (bench/crossref_cv.py): both splits, five folds, per topic."""
    r = _child("--cv-json")
    print("Labelled pairs (ECB+): the calibration procedure cross-validated by topic; every figure is on topics "
          "the models were NOT tuned on unless marked tune; targets P >= 0.90, R >= 0.5, hard <= 2 %")

    def cell(m: dict) -> str:
        return f"P {m['precision']:.3f} R {m['recall']:.3f} hard {m['hard_negatives_linked']:.1%}"

    for design, label in (("gated", "same-event links as built (compare.event_evidence)"),
                          ("event_words", "alternative: event-word candidates (bench/crossref_cv.py)")):
        d = r[design]
        print(f"\n{label}")
        for split, name in (("odd_to_even", "tuned on odd, held out even"), ("even_to_odd", "tuned on even, held out odd")):
            s = d[split]
            print(f"  {name:<30} tune {cell(s['tune'])}   HELD OUT {cell(s['held_out'])}   "
                  f"(event threshold {s['event_threshold']}, min affinity {s['min_affinity']})")
        for f in d["folds"]:
            topics = ",".join(map(str, f["held_out_topics"]))
            print(f"  fold held out {topics:<26} tune {cell(f['tune'])}   HELD OUT {cell(f['held_out'])}")
        print(f"  5 folds pooled (each topic held out once)  {cell(d['pooled'])}")
        print("  per topic (held out): " + ", ".join(
            f"{t}: {m['precision']:.2f}/{m['recall']:.2f}" for t, m in d["by_topic"].items()))
    print(f"\n({r['seconds']} s, peak {r['peak_rss_mb']} MB)")


def _child(*flags: str) -> dict:
    out = subprocess.run([sys.executable, __file__, *flags], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def quality(semantic: bool) -> None:
    print("Labelled pairs (ECB+ topics 1-30): fitted on the odd topics 1-29 and the seed pairs (TUNED), "
          "reported on the even topics 2-30 (HELD OUT)")
    print("targets: precision >= 0.90 with recall >= 0.5, hard negatives linked <= 2 %")
    print(f"{'model':>9} {'grouping':>8} {'links':>11} {'data':>18} {'pairs':>6} {'positive':>8} {'precision':>9} "
          f"{'recall':>6} {'hard linked':>11} {'seconds':>7} {'peak MB':>7}")
    runs = [["--pairs"], ["--pairs", "--folders"]] + ([["--pairs", "--semantic"]] if semantic else [])
    for flags in runs:
        r = _child(*flags)
        for links in ("claim", "all", "shown"):
            for part, label in (("held_out", "held out (even)"), ("tune", "TUNED (odd)"), ("seeds", "seed pairs (tuned)")):
                m = r.get(f"{links}_{part}")
                if m is None:
                    continue
                hard = f"{m['hard_negatives_linked']:.1%}" if m["hard_negatives"] else "-"
                kind = {"claim": "claim only", "all": "claim+event", "shown": "footnotes"}[links]
                print(f"{r['model']:>9} {r['grouping']:>8} {kind:>11} "
                      f"{label:>18} {m['pairs']:>6} {m['positives']:>8} {m['precision']:>9} {m['recall']:>6} "
                      f"{hard:>11} {r['seconds']:>7} {r['peak_rss_mb']:>7}")
    print("(grouping 'folders': each ECB+ sub-topic folder as its story, with the calibrated models: what "
          "alignment gives when grouping is perfect; 'seed pairs' are labelled 'same fact', stricter than "
          "'same event'; 'footnotes': the pairs whose link the build's footnotes show, each story aligned by "
          "crossref.align with calibration.json, reprints included)")
    print("\nMixed archives, built as a build does: links joining different stories (target <= 1 % of all links)")
    print("ECB+: tune = odd topics, held out = even topics; Multi-News 000-099: tune = 000-049, held out = 050-099")
    print(f"{'archive':>9} {'grouping':>9} {'articles':>8} {'clusters':>8} {'stories':>7} {'part':>8} {'links':>6} "
          f"{'cross':>6} {'share':>6} {'seconds':>7} {'peak MB':>7}")
    for kind in ("ecb+", "multinews"):
        for grouped in (True, False):
            r = _child("--mixed", kind, *(["--grouped"] if grouped else []))
            for part in ("tune", "held_out", "all"):
                p = r[part]
                head = (f"{r['archive']:>9} {'stories' if grouped else 'none':>9} {r['articles']:>8} {r['clusters']:>8} "
                        f"{r['stories'] or '-':>7}") if part == "tune" else " " * 45
                tail = f" {r['seconds']:>7} {r['peak_rss_mb']:>7}" if part == "all" else ""
                print(f"{head} {part:>8} {p['links']:>6} {p['cross_story']:>6} {p['share']:>6.2%}{tail}")
            if grouped:
                worst = r["all"]["by_clusters"]
                print(" " * 46 + "most cross-story links: " + ("; ".join(f"{a} / {b}: {n}" for a, b, n in worst) or "none"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", help="growth: these archive sizes")
    parser.add_argument("--semantic", action="store_true", help="also measure the embedding model")
    parser.add_argument("--no-names", action="store_true", help="no entity proxy: names are content words")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size, JSON out
    parser.add_argument("--pairs", action="store_true", help=argparse.SUPPRESS)  # internal
    parser.add_argument("--folders", action="store_true", help=argparse.SUPPRESS)  # internal
    parser.add_argument("--curve", action="store_true",
                        help="labelled pairs: where recall is lost (ceilings, the models' curve, per-topic precision)")
    parser.add_argument("--curve-json", action="store_true", help=argparse.SUPPRESS)  # internal
    parser.add_argument("--cv", action="store_true",
                        help="labelled pairs: the calibration cross-validated by topic (both splits, five folds)")
    parser.add_argument("--cv-json", action="store_true", help=argparse.SUPPRESS)  # internal
    parser.add_argument("--mixed", help=argparse.SUPPRESS)  # internal
    parser.add_argument("--grouped", action="store_true", help=argparse.SUPPRESS)  # internal
    args = parser.parse_args()
    if not CORPORA.exists():
        print(f"skipped: {CORPORA} not found")
        return 0
    if args.one:
        print(json.dumps(run_one(args.one, not args.no_names)))
        return 0
    if args.pairs:
        print(json.dumps(run_pairs(args.semantic, args.folders)))
        return 0
    if args.mixed:
        print(json.dumps(run_mixed(args.mixed, args.grouped)))
        return 0
    if args.curve_json:
        print(json.dumps(run_curve()))
        return 0
    if args.curve:
        curve()
        return 0
    if args.cv_json:
        from crossref_cv import run_cv

        start = time.perf_counter()
        out = run_cv()
        out["seconds"] = round(time.perf_counter() - start, 1)
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
        print(json.dumps(out))
        return 0
    if args.cv:
        cv()
        return 0
    if not args.sizes:
        quality(args.semantic)
        return 0
    print(f"{'articles':>8} {'repeats':>7} {'sentences':>9} {'candidates':>10} {'matches':>7} "
          f"{'copies':>6} {'split s':>7} {'align s':>7} {'total s':>7} {'peak MB':>7}")
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size)] + (["--no-names"] if args.no_names else [])
        out = subprocess.run(command, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"{r['articles']:>8} {r['repeats']:>7} {r['sentences']:>9} {r['candidate_pairs']:>10} "
              f"{r['matches']:>7} {r['shared_wording']:>6} {r['seconds_split_features']:>7} "
              f"{r['seconds_align']:>7} {r['seconds_total']:>7} {r['peak_rss_mb']:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
