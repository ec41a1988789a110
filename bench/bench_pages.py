"""Page sizes at archive scale: the largest page of each kind against the 500 KB a browser opens at once.

    python bench/bench_pages.py                      # 10,000 articles (every corpus combined, as bench_build's scale part)
    python bench/bench_pages.py --articles 2225      # the BBC articles alone
    python bench/bench_pages.py --with-articles      # article pages too (their citations make this slower)

The archive is made as bench_build.py makes it (the demo's settings and authority file; BBC News,
then the Multi-News and ECB+ clusters, repeated under new ids). The corpus is gathered as a build
gathers it (ingest, entities, stories, alignment, annotated Markdown), then every listing page of
the site (home and month pages, outlets, entities, names awaiting review, coverage and stories) is
rendered in memory through the package's templates and measured; nothing is written but the
temporary content folder. Pagefind's index is not made: it does not change the pages. Figures
only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

LIMIT = 500 * 1024


def kind(path: str) -> str:
    """A page's kind, from its path: what the issue's target names."""
    folder, _, name = path.rpartition("/")
    stem = name.split(".page-")[0].removesuffix(".html")
    if not folder:
        return "coverage" if stem.startswith("coverage") else stem.split("-")[0]
    if folder == "entities":
        return "entities index" if stem == "index" else "review" if stem.startswith("review") else "entity"
    return {"articles": "article", "outlets": "outlet", "stories": "story", "dates": "month"}.get(folder, folder)


def main() -> int:
    from bench_build import BBC, make_content

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10_000, help="archive size (default 10,000; corpora combined)")
    ap.add_argument("--jobs", type=int, default=None, help="processes for the per-article stages (default: one per core)")
    ap.add_argument("--with-articles", action="store_true", help="also render and measure every article page")
    ap.add_argument("--top", type=int, default=3, help="largest pages listed per kind")
    ap.add_argument("--save", type=Path, help="keep the gathered corpus in this file (pickle) to measure again later")
    ap.add_argument("--repeats", choices=("dated", "same"), default="dated",
                    help="beyond the distinct texts: repeats dated a year apart per round, or the same (bench_build.py)")
    ap.add_argument("--load", type=Path, help="measure a corpus kept by --save instead of gathering one")
    args = ap.parse_args()
    if not BBC.is_dir():
        print(f"no corpus at {BBC}", file=sys.stderr)
        return 1
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    from annalist import pipeline, resources
    from annalist.publish.render import jinja_env, site_pages, _common

    work = Path(tempfile.mkdtemp(prefix="bench_pages-"))
    try:
        content = make_content(work / "content", min(args.articles, 10), combined=False) if args.load else \
            make_content(work / "content", args.articles, combined=args.articles > 2225, repeats=args.repeats)
        started = time.perf_counter()
        if args.load:
            with args.load.open("rb") as f:
                corpus, edition = pickle.load(f)
        else:
            corpus, edition = pipeline.gather(content, jobs=args.jobs)
        if args.save:
            with args.save.open("wb") as f:
                pickle.dump((corpus, edition), f, protocol=pickle.HIGHEST_PROTOCOL)
        gathered = time.perf_counter() - started
        skip_articles = None if args.with_articles else (lambda fn, items: [])
        pages, _ = site_pages(corpus, edition, **({"map": skip_articles} if skip_articles else {}))
        env = jinja_env(resources.template_dirs(content))
        common = _common(edition)
        sizes: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for page in pages:
            html = env.get_template(page.template).render(**common, **page.context, page_path=page.path)
            sizes[kind(page.path)].append((len(html.encode("utf-8")), page.path))
        rendered = time.perf_counter() - started - gathered
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{len(corpus.articles):,} articles, {len(corpus.stories):,} stories, {len(corpus.entities):,} entities, "
          f"{len(corpus.candidates):,} names awaiting review; gathered in {gathered:.0f} s, "
          f"{sum(map(len, sizes.values())):,} pages rendered in {rendered:.0f} s (shared machine: timings noisy)")
    print(f"{'kind':<16} {'pages':>7} {'largest':>10}  largest pages")
    worst = 0
    for name, found in sorted(sizes.items(), key=lambda kv: -max(kv[1])[0]):
        found.sort(reverse=True)
        worst = max(worst, found[0][0])
        top = ", ".join(f"{path} {size / 1024:.0f} KB" for size, path in found[: args.top])
        print(f"{name:<16} {len(found):>7,} {found[0][0] / 1024:>7.0f} KB  {top}")
    note = "" if args.with_articles else " (article pages not measured: --with-articles)"
    print(f"\nlargest page: {worst / 1024:.0f} KB against the target of {LIMIT // 1024} KB: "
          f"{'within' if worst <= LIMIT else 'OVER'}{note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
