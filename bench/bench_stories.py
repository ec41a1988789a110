"""Story grouping on public labelled clusters: pairwise precision and recall of "same story".

    python bench/bench_stories.py

Two mixed archives, each built as one archive exactly as a build reads it (bench/mixed_archive.py:
the files in a content folder, the real ingest stage with its archive-wide furniture pass, the
entity stage without an authority file), then grouped by annalist.stories.group:

- ECB+: the 43 topics of ../shared/corpora/clusters/ecbplus_* (982 files); each topic has two
  sub-topics, two different events of the same kind; the sub-topic is the gold story.
- Multi-News: clusters multinews_000-099 (one cluster = one story); scored on every file the
  ingest stage accepts as an article, and on substantive files only (clusters_meta flags
  web-archive boilerplate pages, "These crawls are part of an effort to archive pages...").

The threshold was tuned on the odd ECB+ topics and Multi-News 000-049 ("tune" rows, together with
the share of footnotes joining two stories: bench_crossref.py); the "held out" rows (even ECB+
topics, Multi-News 050-099) were not used to choose it. Pairwise figures: of the article pairs put
in one story, the share that are in one gold story (precision), and of the gold same-story pairs,
the share put in one story (recall).

Then growth: grouping time and peak memory on BBC bulk + all clusters (3,475 articles; `--sizes
3475 10000`: up to 10,000 with varied copies), and an
archive of 500 articles of one story (ECB+ topic 1's first sub-topic, its articles repeated
with sentences left out) which should stay one story. Timings on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annalist import stories  # noqa: E402
from annalist.entities import Recogniser, discover  # noqa: E402
from annalist.ingest import IngestError, ingest_source  # noqa: E402
from annalist.model import Article, Mention  # noqa: E402
from mixed_archive import SPLIT, TUNE, cluster_of, content_folder, number  # noqa: E402
from mixed_archive import items as archive_items  # noqa: E402

CORPORA = ROOT.parent / "shared" / "corpora"
CLUSTERS = CORPORA / "clusters"
META = CORPORA / "clusters_meta"


def load(paths: list[Path]) -> tuple[list[Article], dict[str, str]]:
    """Articles through the real ingest stage, and article id → gold cluster."""
    articles, gold = [], {}
    for path in paths:
        cluster = path.parent.name
        article_id = f"{cluster}-{path.stem}".replace("_", "-").lower()
        try:
            article = ingest_source(f"{cluster}-{path.name}", path.read_bytes(), {"id": article_id})
        except IngestError:
            continue  # a file with no article text (reported by a real build)
        articles.append(article)
        gold[article.id] = cluster
    return articles, gold


def with_mentions(articles: list[Article]) -> list[tuple[Article, tuple[Mention, ...]]]:
    recogniser = Recogniser([])
    known = {a.id: recogniser.article(a) for a in articles}
    held: dict = {}  # names the junk score alone held back: story grouping weighs them (as a build does)
    unreviewed, _ = discover(articles, known, [], evidence=held)
    return [(a, tuple(known[a.id]) + tuple(unreviewed.get(a.id, ())) + held.get(a.id, ())) for a in articles]


def pairwise(predicted: dict[str, str], gold: dict[str, str], ids: set[str]) -> tuple[float, float, float]:
    def pairs(labels: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in labels.values())

    both = pairs(Counter((predicted[a], gold[a]) for a in ids))
    said = pairs(Counter(predicted[a] for a in ids))
    true = pairs(Counter(gold[a] for a in ids))
    precision = both / said if said else 1.0
    recall = both / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def boilerplate(articles: list[Article]) -> set[str]:
    flagged = set()
    for article in articles:
        cluster = cluster_of(article)
        meta = json.loads((META / f"{cluster}.json").read_text(encoding="utf-8"))
        name = article.source_file.rsplit("-", 1)[-1]
        if any(f["file"] == name and f.get("archive_boilerplate") for f in meta.get("files", [])):
            flagged.add(article.id)
    return flagged


def mixed(dataset: str) -> list[str]:
    with content_folder(dataset) as content:
        articles, mentions = archive_items(content)
    gold = {a.id: cluster_of(a) for a in articles}
    start = time.perf_counter()
    grouped = stories.group([(a, mentions[a.id]) for a in articles])
    seconds = time.perf_counter() - start
    predicted = stories.story_of(grouped)
    rows = []
    tune = TUNE[dataset]
    subsets = [("tune", lambda a: tune(number(gold[a]))),
               ("held out", lambda a: not tune(number(gold[a]))),
               ("all", lambda a: True)]
    skip = boilerplate(articles) if dataset == "multinews" else set()
    for label, keep in subsets:
        for scope, ids in (("every file", {a for a in gold if keep(a)}),
                           ("substantive", {a for a in gold if keep(a) and a not in skip})):
            if dataset == "ecb+" and scope == "substantive":
                continue
            p, r, f = pairwise(predicted, gold, ids)
            gold_stories = len({gold[a] for a in ids})
            found = len({predicted[a] for a in ids})
            rows.append(f"{dataset:<10} {label:<9} {scope:<12} {len(ids):>8} {gold_stories:>6} {found:>7} "
                        f"{p:>9.3f} {r:>7.3f} {f:>6.3f}")
    rows.append(f"{'':<10} grouping {len(articles)} articles: {seconds:.2f} s")
    return rows


def one_story(size: int) -> tuple[int, float]:
    """`size` articles made from one sub-topic's articles, each with a random fifth of its
    sentences left out (seeded): one story, told again and again."""
    base, _ = load(sorted((CLUSTERS / "ecbplus_t01_a_ecb").glob("*.txt")))
    rng = random.Random(1)
    articles = []
    for i in range(size):
        source = base[i % len(base)]
        kept = tuple(p for p in source.paragraphs if rng.random() > 0.2) or source.paragraphs[:1]
        articles.append(Article(**{**source.__dict__, "id": f"copy-{i:03d}", "paragraphs": kept}))
    items = with_mentions(articles)
    start = time.perf_counter()
    grouped = stories.group(items)
    return len(grouped), time.perf_counter() - start


def build_one_story(size: int) -> str:
    """A whole build (no search index) of `size` copies of the seeds, each with a random fifth of
    its paragraphs left out: the archive of one story told again and again must build."""
    import json
    import os
    import shutil
    import tempfile

    from annalist import pipeline

    seeds = sorted((ROOT / "content" / "sources").glob("*.txt"))
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        (content / "sources").mkdir(parents=True)
        for name in ("annalist.yaml", "entities.yaml"):
            shutil.copyfile(ROOT / "content" / name, content / name)
        for i in range(size):
            lines = seeds[i % len(seeds)].read_text(encoding="utf-8").split("\n")
            kept = lines[:2] + [line for line in lines[2:] if not line.strip() or rng.random() > 0.2]
            (content / "sources" / f"copy-{i:03d}.txt").write_text("\n".join(kept), encoding="utf-8")
        os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
        result = pipeline.build(content, Path(tmp) / "site", index=False)
        found = json.loads((Path(tmp) / "site" / "data" / "stories.json").read_text(encoding="utf-8"))
        largest = max((Path(tmp) / "site" / "stories").glob("*.html"), key=lambda p: p.stat().st_size)
        return (f"build of {size} copies of the seeds: {len(found)} stor{'y' if len(found) == 1 else 'ies'}, "
                f"{len(result.errors)} errors, {result.seconds:.0f} s; largest story page "
                f"{largest.stat().st_size / 1024:.0f} KB")


def growth(size: int | None = None) -> dict:
    """Grouping time and memory on BBC bulk + all clusters (3,475 articles); for a larger `size`,
    those articles again under new ids, each copy with a random fifth of its paragraphs left out
    (seeded), until there are `size`. Run in a child process (see main) so the memory is its own."""
    paths = sorted((CORPORA / "bulk" / "bbc").glob("*/*.txt")) + sorted(CLUSTERS.glob("*/*.txt"))
    articles, _ = load(paths)
    rng = random.Random(5)
    base = list(articles)
    while size and len(articles) < size:
        source = base[len(articles) % len(base)]
        kept = tuple(p for p in source.paragraphs if rng.random() > 0.2) or source.paragraphs[:1]
        articles.append(Article(**{**source.__dict__, "id": f"{source.id}-copy-{len(articles)}", "paragraphs": kept}))
    items = with_mentions(articles)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    grouped = stories.group(items)
    seconds = time.perf_counter() - start
    return {"articles": len(items), "stories": len(grouped), "largest": max(len(s.articles) for s in grouped),
            "seconds": round(seconds, 2), "rss_before_mb": round(before),
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}


def print_growth(sizes: list[int]) -> None:
    """Each size in a fresh process: its peak memory (whole process, ingest and entities included)
    is its own; "before" is the peak before grouping started."""
    import subprocess

    print(f"{'articles':>8} {'stories':>7} {'largest':>7} {'grouping s':>10} {'peak MB before':>14} {'peak MB':>7}")
    for size in sizes:
        out = subprocess.run([sys.executable, __file__, "--growth-one", str(size)], capture_output=True,
                             text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{r['articles']:>8} {r['stories']:>7} {r['largest']:>7} {r['seconds']:>10} "
              f"{r['rss_before_mb']:>14} {r['peak_mb']:>7}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-growth", action="store_true", help="only the labelled archives")
    parser.add_argument("--build", type=int, metavar="N", help="also build an archive of N copies of the seeds")
    parser.add_argument("--sizes", type=int, nargs="+", default=[0], metavar="N",
                        help="growth at these archive sizes (0: BBC bulk + all clusters, 3,475 articles)")
    parser.add_argument("--only-growth", action="store_true", help="only growth (--sizes)")
    parser.add_argument("--growth-one", type=int, help=argparse.SUPPRESS)  # internal: one size, JSON out
    args = parser.parse_args()
    if not CLUSTERS.exists():
        print(f"skipped: {CLUSTERS} not found")
        return 0
    if args.growth_one is not None:
        print(json.dumps(growth(args.growth_one)))
        return 0
    if args.only_growth:
        print_growth(args.sizes)
        return 0
    second = stories.CALIBRATION["second_pass"]
    print(f"threshold {stories.THRESHOLD}, join {stories.CALIBRATION['join_threshold']}; second pass: groups of "
          f"<= {second['size']} join at nearest >= {second['nearest_threshold']}, mean >= {second['mean_threshold']}")
    print(f"ECB+ {SPLIT['ecb+']}; Multi-News {SPLIT['multinews']}")
    print(f"{'archive':<10} {'topics':<9} {'scored':<12} {'articles':>8} {'gold':>6} {'stories':>7} "
          f"{'precision':>9} {'recall':>7} {'F1':>6}")
    for line in mixed("ecb+") + mixed("multinews"):
        print(line)
    if not args.no_growth:
        count, seconds = one_story(500)
        print(f"500 articles of one story → {count} stor{'y' if count == 1 else 'ies'} in {seconds:.2f} s")
        print_growth(args.sizes)
    if args.build:
        print(build_one_story(args.build))
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB (whole process)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
