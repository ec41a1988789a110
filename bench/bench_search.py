"""Benchmark the offline search index (static/search-index.js) at 1,000 and 10,000 articles.

    python bench/bench_search.py [--sizes 1000 10000] [--no-browser]

The articles are made from REAL text: the 2,225 BBC News articles of ../shared/corpora/bulk/bbc
(business, entertainment, politics, sport, tech), with synthetic metadata (outlet: the BBC section,
a date, an id) and entity mentions found by plain string matching of a small authority list.
Above 2,225 articles the texts repeat under distinct ids (so the 10,000 index has realistic
per-article size but a vocabulary no larger than the 2,225 texts').

Prints, for each size: index bytes (and per 1,000 articles), then in headless Chromium the
load time (script parse + engine set-up) and per-keystroke query time (search + the 30 first
excerpts, cut from each doc's full text) while typing a few queries letter by letter; then typo
tolerance: 200 indexed words (5+ letters, in 3+ articles, picked at a fixed stride) each given one
edit (a letter dropped, doubled, swapped with the next or replaced), and the share for which
"did you mean" gives back the word, with its time. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annalist.publish import search  # noqa: E402
from annalist.model import Annotated, Article, Corpus, Entity, Field, Mention, Paragraph  # noqa: E402

BBC = ROOT.parent / "shared" / "corpora" / "bulk" / "bbc"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

ENTITIES = [
    Entity("tony-blair", "Tony Blair", "person", ("Blair", "Mr Blair")),
    Entity("gordon-brown", "Gordon Brown", "person", ("Brown", "Chancellor Gordon Brown")),
    Entity("michael-howard", "Michael Howard", "person", ("Howard",)),
    Entity("united-kingdom", "United Kingdom", "place", ("UK", "Britain", "Great Britain")),
    Entity("united-states", "United States", "place", ("US", "USA", "America")),
    Entity("london", "London", "place"),
    Entity("china", "China", "place", ("People's Republic of China",)),
    Entity("european-union", "European Union", "organisation", ("EU",)),
    Entity("labour", "Labour Party", "organisation", ("Labour",)),
    Entity("conservatives", "Conservative Party", "organisation", ("Conservatives", "Tories", "Tory")),
    Entity("microsoft", "Microsoft", "organisation"),
    Entity("google", "Google", "organisation"),
    Entity("apple", "Apple", "organisation"),
    Entity("sony", "Sony", "organisation"),
    Entity("bbc", "BBC", "organisation", ("British Broadcasting Corporation",)),
    Entity("chelsea", "Chelsea", "organisation", ("Chelsea FC",)),
    Entity("arsenal", "Arsenal", "organisation", ("Gunners",)),
    Entity("manchester-united", "Manchester United", "organisation", ("Man Utd", "United")),
    Entity("yukos", "Yukos", "organisation"),
    Entity("wto", "World Trade Organization", "organisation", ("WTO",)),
]


def bbc_texts() -> list[tuple[str, str, list[str]]]:
    """(section, title, paragraphs) of every BBC article, in a fixed order."""
    texts = []
    for path in sorted(BBC.glob("*/*.txt")):
        lines = [line.strip() for line in path.read_text(encoding="latin-1").splitlines() if line.strip()]
        texts.append((path.parent.name, lines[0], lines[1:]))
    return texts


def mentions(paragraphs: list[str]) -> tuple[Mention, ...]:
    found = []
    for e in ENTITIES:
        pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted((e.name, *e.aliases), key=len, reverse=True)) + r")\b")
        for n, text in enumerate(paragraphs, 1):
            for m in pattern.finditer(text):
                found.append(Mention(e.id, m.group(0), n, m.start(), m.end()))
    return tuple(sorted(found, key=lambda m: (m.paragraph, m.start)))


def corpus(size: int) -> Corpus:
    texts = bbc_texts()
    items = []
    for i in range(size):
        section, title, paragraphs = texts[i % len(texts)]
        article = Article(
            id=f"bbc-{section}-{i:05d}", title=title, standfirst=None,
            outlet=Field(f"BBC {section.title()}", "curator"),
            published=Field((date(2004, 1, 1) + timedelta(days=i % 700)).isoformat(), "curator"),
            url=Field(None, "unknown"), language=Field("en", "curator"), credits=(), captions=(),
            paragraphs=tuple(Paragraph(n, t) for n, t in enumerate(paragraphs, 1)),
            source_file=f"bbc/{section}/{i:05d}.txt", sha256="0" * 64, encoding="latin-1",
        )
        items.append(Annotated(article, mentions(paragraphs)))
    return Corpus(tuple(items), tuple(ENTITIES))


QUERIES = ["government", "blair election", "mobile phone", "chelsea", "tory"]  # "tory": alias-aware

BENCH_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bench</title></head>
<body><script src="search.js"></script><script>
window.bench = function (queries, typos) {
  return new Promise(function (resolve) {
    var t0 = performance.now(), s = document.createElement("script");
    s.src = "search-index.js";
    s.onload = function () {
      var t1 = performance.now();
      var engine = new AnnalistSearch.Engine(window.ANNALIST_SEARCH);
      var t2 = performance.now(), times = [], counts = {};
      queries.forEach(function (q) {
        for (var i = 1; i <= q.length; i++) {
          var a = performance.now(), found = engine.search(q.slice(0, i), {});
          found.results.slice(0, 30).forEach(function (r) { engine.excerpt(TEXTS[r.doc], found); });
          times.push(performance.now() - a);
          if (i === q.length) counts[q] = found.results.length;
        }
      });
      var fixed = 0, suggestTimes = [];
      typos.forEach(function (pair) {
        var a = performance.now(), got = engine.suggest(pair[0]);
        suggestTimes.push(performance.now() - a);
        if (got === pair[1]) fixed++;
      });
      resolve({load: t1 - t0, setup: t2 - t1, times: times, counts: counts, fixed: fixed, typos: typos.length,
               suggestTimes: suggestTimes});
    };
    document.head.appendChild(s);
  });
};
</script></body></html>"""


def typos(index: dict, n: int = 200) -> list[tuple[str, str]]:
    """(misspelling, word): indexed words given one edit each, deterministically."""
    vocabulary, postings = index["words"].split(" "), index["postings"].split(" ")
    common = [w for w, p in zip(vocabulary, postings) if len(w) >= 5 and w.isalpha() and p.count(",") >= 2]
    picked = common[:: max(1, len(common) // n)][:n]
    known = set(vocabulary)
    out = []
    for i, word in enumerate(picked):
        k = 1 + i % (len(word) - 2)
        edits = [word[:k] + word[k + 1:], word[:k] + word[k] + word[k:], word[:k] + word[k + 1] + word[k] + word[k + 2:],
                 word[:k] + ("e" if word[k] != "e" else "a") + word[k + 1:]]
        typo = edits[i % 4]
        if typo != word and typo not in known:
            out.append((typo, word))
    return out


def in_chromium(folder: Path, pairs: list[tuple[str, str]]) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto((folder / "bench.html").as_uri())
        result = page.evaluate("([q, t]) => bench(q, t)", [QUERIES, pairs])
        browser.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--no-browser", action="store_true", help="sizes only")
    args = parser.parse_args()
    print(f"BBC texts: {len(bbc_texts())} (repeated under distinct ids above that)")
    for size in args.sizes:
        c = corpus(size)
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            index = search.offline_index(c)
            script = search.offline_script(index)
            (folder / "search-index.js").write_text(script, encoding="utf-8")
            built = time.perf_counter() - started
            size_bytes = len(script.encode("utf-8"))
            text_bytes = sum(len(p.text.encode()) + len(item.article.title.encode())
                             for item in c.articles for p in item.article.paragraphs)
            print(f"\n{size:>6} articles: index {size_bytes / 1e6:.2f} MB = {size_bytes / size * 1000 / 1e6:.2f} MB "
                  f"per 1,000 articles (their text: {text_bytes / 1e6:.2f} MB); built in {built:.1f} s")
            if args.no_browser:
                continue
            (folder / "search.js").write_bytes((ROOT / "static" / "js" / "search.js").read_bytes())
            texts = "window.TEXTS=" + search._script_json(search.doc_texts(c)) + ";\n"
            (folder / "texts.js").write_text(texts, encoding="utf-8")
            (folder / "bench.html").write_text(BENCH_PAGE.replace('<script src="search.js">',
                                               '<script src="texts.js"></script><script src="search.js">'), encoding="utf-8")
            r = in_chromium(folder, typos(index))
            times = sorted(r["times"])
            print(f"        load (parse) {r['load']:.0f} ms + engine set-up {r['setup']:.0f} ms")
            print(f"        per keystroke ({len(times)} keystrokes): median {statistics.median(times):.1f} ms, "
                  f"90th pct {times[int(len(times) * 0.9)]:.1f} ms, max {times[-1]:.1f} ms")
            print("        results: " + ", ".join(f"{q!r} {n}" for q, n in r["counts"].items()))
            st = sorted(r["suggestTimes"])
            print(f"        did you mean: {r['fixed']}/{r['typos']} one-edit misspellings give back the word "
                  f"({r['fixed'] / max(1, r['typos']):.0%}); median {statistics.median(st):.1f} ms, max {st[-1]:.1f} ms")


if __name__ == "__main__":
    main()
