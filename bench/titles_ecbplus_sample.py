"""Print the titles of a fixed random sample of ECB+ articles, for judging junk titles by eye on
data no title rule was tuned on.

    python3 bench/titles_ecbplus_sample.py [--corpora ../shared/corpora] [--n 120] [--seed 20261124]

All ECB+ cluster files are ingested as ONE archive (as bench_ingest.py does for Multi-News), then
`n` articles are drawn with random.Random(seed). Each line: the title, and how it was found
(headline or inferred). Reading of 24 November 2026 (seed 20261124, n 120): 2 junk, "An earthquake
with a preliminary magnitude of 4" (the corpus's detokenised "4. 4" cut at a false sentence end)
and "Office of the Press Secretary" (a press-release header). Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annalist.ingest import ingest_corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--n", type=int, default=120)
    parser.add_argument("--seed", type=int, default=20261124)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "content" / "sources"
        sources.mkdir(parents=True)
        for cluster in sorted((args.corpora / "clusters").glob("ecbplus_*")):
            for path in sorted(cluster.glob("*.txt")):
                (sources / f"{cluster.name}-{path.name}").write_bytes(path.read_bytes())
        articles, _ = ingest_corpus(Path(tmp) / "content")
    sample = random.Random(args.seed).sample(list(articles), min(args.n, len(articles)))
    for article in sorted(sample, key=lambda a: a.source_file):
        print(f"{article.source_file}\t{article.title_origin}\t{article.title}")


if __name__ == "__main__":
    main()
