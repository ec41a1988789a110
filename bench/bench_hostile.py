"""Cost of hostile sizes: does the build grow linearly with the input?

    python3 bench/bench_hostile.py                 # 10k and 80k paragraphs; 10k and 200k-deep <div>
    python3 bench/bench_hostile.py --paragraphs 10000 20000 40000 80000 --depths 10000 200000

For each size: one article of N short paragraphs (plain text, under the 3 MB limit), or one HTML
page with <div> nested N deep, put beside the five seed articles; the whole build (ingest,
entities, cross-references, Markdown, pages; no Pagefind, whose cost is Pagefind's) is timed,
with the peak memory of the process. Prints seconds per stage and the ratio to the smallest size.
Timings are wall-clock on a shared machine: noisy; compare ratios, not seconds.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annalist import pipeline  # noqa: E402
from annalist.ingest import ingest_corpus  # noqa: E402


def paragraphs_article(n: int) -> bytes:
    lines = ["A very long report from Palmyra", ""]
    lines += [f"Line {i} of the report." if i % 10 else f"Syrian forces reached Palmyra, report {i} said." for i in range(n)]
    return "\n\n".join(lines).encode()


def nested_page(depth: int) -> bytes:
    return ("<html><body><h1>Deep page</h1>" + "<div>" * depth + "<p>Syrian forces reached Palmyra.</p>"
            + "</div>" * depth + "</body></html>").encode()


def run(name: str, data: bytes) -> tuple[float, float, float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        (content / "sources" / name).write_bytes(data)
        started = time.perf_counter()
        articles, problems = ingest_corpus(content)
        ingest = time.perf_counter() - started
        started = time.perf_counter()
        result = pipeline.build(content, Path(tmp) / "site", index=False)
        whole = time.perf_counter() - started
        return ingest, whole, len(data) / 1e6, len(result.errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--paragraphs", type=int, nargs="*", default=[10_000, 80_000])
    parser.add_argument("--depths", type=int, nargs="*", default=[10_000, 200_000])
    args = parser.parse_args()
    print(f"{'input':<28}{'MB':>6}{'ingest s':>10}{'build s':>10}{'ratio':>8}{'errors':>8}")
    for label, sizes, make, name in (("paragraphs", args.paragraphs, paragraphs_article, "long.txt"),
                                     ("<div> depth", args.depths, nested_page, "deep.html")):
        base = None
        for n in sizes:
            ingest, whole, mb, errors = run(name, make(n))
            base = base or whole
            print(f"{f'{n:,} {label}':<28}{mb:>6.2f}{ingest:>10.2f}{whole:>10.2f}{whole / base:>8.1f}{errors:>8}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the whole run: {peak:.0f} MB")


if __name__ == "__main__":
    main()
