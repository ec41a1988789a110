"""Time cross-source alignment on real articles from ../shared/corpora/ (never asserted on).

    python bench/bench_crossref.py --sizes 1000 2000 5000

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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annalist.crossref.align import candidate_pairs, featurise, inverse_document_frequency, matches  # noqa: E402
from annalist.crossref import CALIBRATION  # noqa: E402
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
    found = matches(features, idf, CALIBRATION["threshold"])
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000])
    parser.add_argument("--no-names", action="store_true", help="no entity proxy: names are content words")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one size, JSON out
    args = parser.parse_args()
    if not CORPORA.exists():
        print(f"skipped: {CORPORA} not found")
        return 0
    if args.one:
        print(json.dumps(run_one(args.one, not args.no_names)))
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
