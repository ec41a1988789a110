"""Benchmark the entities stage on real text: recognition and discovery speed, peak memory.

    python bench/bench_entities.py [--articles N] [--corpora ../shared/corpora]

Articles: the BBC News corpus (bulk/bbc/<category>/NNN.txt: headline, blank line, paragraphs),
cycled when N is larger than the corpus. Registry: the seed authority file plus one entity per
distinct gold entity name in the CoNLL-2003 documents (ner/*.docs.jsonl), typed from the gold
label (PER person, LOC place, ORG organisation, MISC group), names whose matching form is
already claimed left out. It is written as YAML and read back with load_authority, so loading
and validation are measured too. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annalist.entities import Recogniser, discover, load_authority  # noqa: E402
from annalist.entities.keys import claim_key  # noqa: E402
from annalist.model import Article, Entity, Field, Paragraph  # noqa: E402
from annalist.text import clean, slugify  # noqa: E402

GOLD_TYPES = {"PER": "person", "LOC": "place", "ORG": "organisation", "MISC": "group"}


def read_bbc(folder: Path, wanted: int) -> list[Article]:
    files = sorted(folder.glob("*/*.txt"))
    if not files:
        sys.exit(f"no BBC articles under {folder}")
    articles = [_bbc_article(path, folder) for path in files]
    return [_copy(articles[i % len(articles)], i // len(articles)) for i in range(wanted)]


def _bbc_article(path: Path, folder: Path) -> Article:
    raw = path.read_bytes()
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"  # sport/199.txt
    lines = [clean(line.strip()) for line in text.splitlines() if line.strip()]
    relative = path.relative_to(folder).as_posix()
    unknown = Field(None, "unknown")
    return Article(
        id=relative.removesuffix(".txt").replace("/", "-"), title=lines[0], standfirst=None,
        outlet=Field("BBC News", "curator"), published=unknown, url=unknown, language=Field("en", "curator"),
        credits=(), captions=(), paragraphs=tuple(Paragraph(n, t) for n, t in enumerate(lines[1:], 1)),
        source_file=relative, sha256="", encoding=encoding,
    )


def _copy(article: Article, round_: int) -> Article:
    if round_ == 0:
        return article
    return Article(**{**article.__dict__, "id": f"{article.id}-copy{round_}"})


def registry_yaml(ner: Path, seeds: tuple[Entity, ...]) -> tuple[str, int]:
    """The seed entities plus every distinct CoNLL gold name, as an authority file."""
    labels: dict[str, Counter[str]] = {}
    for path in sorted(ner.glob("*.docs.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for gold in json.loads(line)["entities"]:
                labels.setdefault(gold["text"], Counter())[gold["type"]] += 1
    claimed = {claim_key(a) for e in seeds for a in (e.name, *e.aliases)}
    ids = {e.id for e in seeds}
    items = [_entity_dict(e) for e in seeds]
    for name, counts in sorted(labels.items()):
        key, slug = claim_key(name), slugify(name)
        if not slug or key in claimed or slug in ids:
            continue
        claimed.add(key)
        ids.add(slug)
        items.append({"id": slug, "name": name, "type": GOLD_TYPES[counts.most_common(1)[0][0]]})
    return yaml.safe_dump(items, allow_unicode=True, sort_keys=False), len(items)


def _entity_dict(entity: Entity) -> dict[str, object]:
    fields = {"id": entity.id, "name": entity.name, "type": entity.type, "aliases": list(entity.aliases),
              "description": entity.description, "wikidata": entity.wikidata, "geonames": entity.geonames}
    return {k: v for k, v in fields.items() if v}


def recognise_all(recogniser: Recogniser, articles: list[Article]) -> dict[str, tuple]:
    return {article.id: recogniser.article(article) for article in articles}


def timed(step: Callable[[], object]) -> tuple[object, float]:
    gc.collect()
    start = time.perf_counter()
    result = step()
    return result, time.perf_counter() - start


def peak_mib(step: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2225, help="articles to annotate (default: the whole BBC corpus)")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    args = parser.parse_args(argv)

    seeds = load_authority(ROOT / "content" / "entities.yaml")
    source, size = registry_yaml(args.corpora / "ner", seeds)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.yaml"
        path.write_text(source, encoding="utf-8")
        entities, load_s = timed(lambda: load_authority(path))
    articles = read_bbc(args.corpora / "bulk" / "bbc", args.articles)
    characters = sum(len(p.text) for a in articles for p in a.paragraphs)

    recogniser, build_s = timed(lambda: Recogniser(entities))
    known, recognise_s = timed(lambda: recognise_all(recogniser, articles))
    (unreviewed, candidates), discover_s = timed(lambda: discover(articles, known, entities))

    mentions = sum(len(m) for m in known.values())
    found = sum(len(m) for m in unreviewed.values())
    n = len(articles)
    print(f"registry     {size:>8,} entities   load+validate {load_s:6.2f} s   automaton build {build_s:6.2f} s")
    print(f"articles     {n:>8,}            {characters / 1e6:.1f} M characters")
    print(f"recognition  {n / recognise_s:>8,.0f} articles/s  ({recognise_s:.2f} s, {mentions:,} mentions)")
    print(f"discovery    {n / discover_s:>8,.0f} articles/s  ({discover_s:.2f} s, {found:,} unreviewed mentions, "
          f"{len(candidates):,} candidates)")
    print("top candidates: " + "; ".join(f"{c.name} ({c.type_guess}, {c.count})" for c in candidates[:12]))

    recognise_mib = peak_mib(lambda: recognise_all(Recogniser(entities), articles))
    discover_mib = peak_mib(lambda: discover(articles, known, entities))
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"peak memory  recognition {recognise_mib:.1f} MiB, discovery {discover_mib:.1f} MiB (tracemalloc); "
          f"process max RSS {maxrss:.0f} MiB")


if __name__ == "__main__":
    main()
