"""CPU of the build's two costliest steps, discovery and alignment, run serially in this process
on the inputs a real build hands them, with a digest of what they return: two versions of the
code give the same output when they print the same digests.

    PYTHONHASHSEED=0 python bench/bench_compute.py                  # 400 BBC articles, 3 runs
    PYTHONHASHSEED=0 python bench/bench_compute.py --articles 2225 --runs 1
    PYTHONHASHSEED=0 python bench/bench_compute.py --inputs /tmp/x.pickle   # kept between runs

A build of the archive (serial, without search) is run once, in this process, and the arguments
of `pipeline.with_candidates` (discovery) and `pipeline.align_within` (alignment) are kept
(pickled to --inputs when given, and read from there when the file exists: compare two codes on
the very same inputs). Then, --runs times each, CPU time (process_time) of:

  tagger     the CRF tagger over every article (entities.tagger.Tagger.document)
  discover   discovery as the build runs it (the tagger included; no cache)
  align      crossref.align over every story
  sentences  sentence splitting of every paragraph (crossref.sentences)
  features   crossref.features.extract over every sentence

Figures only; nothing is asserted. The digests are SHA-256 of the pickled results: pickles of sets
follow the hash seed, so compare digests of runs made with the same PYTHONHASHSEED.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pickle
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def capture(articles: int) -> dict:
    """Build `articles` BBC articles serially, keeping discovery's and alignment's arguments."""
    from bench_build import EPOCH, make_content

    from annalist import pipeline

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    kept: dict = {}
    discover, align_within = pipeline.with_candidates, pipeline.align_within

    def with_candidates(articles, known, entities, rejected=frozenset(), *args, **kwargs):
        kept["discover"] = (list(articles), dict(known), list(entities), rejected)
        return discover(articles, known, entities, rejected, *args, **kwargs)

    def aligned(found, articles, mentions, *args, **kwargs):
        kept["align"] = (found, list(articles), dict(mentions))
        return align_within(found, articles, mentions, *args, **kwargs)

    pipeline.with_candidates, pipeline.align_within = with_candidates, aligned
    try:
        with tempfile.TemporaryDirectory(prefix="bench_compute-") as work:
            content = make_content(Path(work) / "content", articles)
            pipeline.build(content, Path(work) / "site", index=False, jobs=1, reuse=False)
    finally:
        pipeline.with_candidates, pipeline.align_within = discover, align_within
    return kept


def timed(label: str, fn, runs: int) -> None:
    times = []
    for _ in range(runs):
        started = time.process_time()
        result = fn()
        times.append(time.process_time() - started)
    digest = hashlib.sha256(pickle.dumps(result)).hexdigest()[:16]
    print(f"  {label:<10} {min(times):7.2f} s CPU (best of {runs}: {', '.join(f'{t:.2f}' for t in times)})  digest {digest}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--inputs", type=Path, help="keep the captured inputs in this file (read it when it exists)")
    ap.add_argument("--parts", nargs="+", default=["tagger", "discover", "align", "sentences", "features"],
                    choices=["tagger", "discover", "align", "sentences", "features"])
    args = ap.parse_args()
    if args.inputs and args.inputs.is_file():
        kept = pickle.loads(args.inputs.read_bytes())
    else:
        kept = capture(args.articles)
        if args.inputs:
            args.inputs.write_bytes(pickle.dumps(kept))

    from annalist import pipeline
    from annalist.crossref import align
    from annalist.crossref.align import sentences_of
    from annalist.crossref.features import extract
    from annalist.crossref.sentences import split_sentences
    from annalist.entities.tagger import default_tagger

    articles, known, entities, rejected = kept["discover"]
    stories, story_articles, mentions = kept["align"]
    by_id = {a.id: a for a in story_articles}
    print(f"{len(articles)} articles, {len(stories)} stories; PYTHONHASHSEED={os.environ.get('PYTHONHASHSEED', 'random')}")
    if "tagger" in args.parts:
        tagger = default_tagger()
        timed("tagger", lambda: [tagger.document([p.text for p in a.paragraphs]) for a in articles], args.runs)
    if "discover" in args.parts:
        timed("discover", lambda: pipeline.with_candidates(articles, known, entities, rejected, jobs=1), args.runs)
    if "align" in args.parts:
        timed("align", lambda: [align([(by_id[a], mentions[a]) for a in s.articles]) for s in stories], args.runs)
    if "sentences" in args.parts:
        timed("sentences", lambda: [split_sentences(a.id, p) for a in story_articles for p in a.paragraphs], args.runs)
    if "features" in args.parts:
        sentences = [(s, mentions[a.id]) for a in story_articles for s in sentences_of(a)]
        timed("features", lambda: [extract(s, m) for s, m in sentences], args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
