"""build(): the stages in order, one line each. Gather everything, then write.

ingest → entities → crossref → markdown → render → search
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from . import resources, stories, urls, yamlio
from .markdown import annotate
from .publish import cite, export, feeds, fixity, output, pagefind_canon, search, views
from .config import SETTINGS_FILE, Edition, build_date, load_settings
from .crossref import align
from .entities import AuthorityError, Recogniser, apply_decisions, discover, load_authority, load_decisions, suggest_merges
from .entities.authority import warnings as authority_warnings
from .entities.decisions import FILE as CURATION_FILE
from .ingest import ingest_corpus, inside
from .ingest.ids import RegistryError, record_published
from .ingest.manifest import load_manifest
from .markdown import split_front_matter
from .model import Annotated, Article, Corpus, CrossRef, Entity, Mention, Problem, Sentence, Story
from .parallel import pmap
from .publish.render import ALIAS_TEMPLATE, jinja_env, site_pages, write_pages

ENTITIES_FILE = "entities.yaml"
CORRECTIONS_DIR = "corrections"


class BuildFailed(Exception):
    """A problem that stops the whole build (the previous site is left as it was).

    str() is one line per problem, each starting "error: " and naming the file.
    """

    def __init__(self, message: str | list[Problem]) -> None:
        lines = [str(p) for p in message] if isinstance(message, list) else [message]
        super().__init__("\n".join(line if line.startswith(("error: ", "warning: ")) else f"error: {line}"
                                   for line in lines))


@dataclass
class BuildResult:
    articles: int = 0
    pages: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    out: Path | None = None  # where the site was written
    notes: list[str] = field(default_factory=list)  # for the curator; neither errors nor warnings

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


Progress = Callable[[Iterable, str], Iterator]


def no_progress(items: Iterable, label: str) -> Iterator:
    return iter(items)


# --- stages --------------------------------------------------------------------------------


def recognise(articles: list[Article], recogniser: Recogniser, progress: Progress,
              jobs: int | None = 1) -> dict[str, tuple[Mention, ...]]:
    found = pmap(recogniser.article, articles, jobs, progress, "entities")
    return {a.id: mentions for a, mentions in zip(articles, found)}


def with_candidates(articles, known, entities, rejected=frozenset(), jobs: int | None = 1):
    texts = [p.text for a in articles for p in a.paragraphs]  # occurrences refer to their paragraph's text
    unreviewed, candidates = discover(articles, known, entities, rejected,
                                      map=lambda fn, xs: pmap(fn, xs, jobs, shared=texts))
    merged = {
        a.id: tuple(sorted(known[a.id] + unreviewed.get(a.id, ()), key=lambda m: (m.paragraph, m.start)))
        for a in articles
    }
    return merged, candidates


def story_pins(content_dir: Path, articles: list[Article]) -> dict[str, str]:
    """Article id → the story the curator pinned it to (`story:` in sources.yaml). The manifest's
    problems were reported when ingest read it."""
    manifest, _ = load_manifest(content_dir)
    entries = manifest.entries
    return {a.id: entries[a.source_file]["story"] for a in articles if "story" in entries.get(a.source_file, {})}


def align_within(
    found: tuple[Story, ...], articles: list[Article], mentions: dict[str, tuple[Mention, ...]], progress: Progress,
    jobs: int | None = 1,
) -> dict[str, tuple[tuple[Sentence, ...], tuple[CrossRef, ...]]]:
    """Cross-source alignment run story by story (each on its own, so across cores): a footnote
    never links two stories."""
    by_id = {a.id: a for a in articles}
    aligned: dict[str, tuple[tuple[Sentence, ...], tuple[CrossRef, ...]]] = {}
    story_items = [[(by_id[a], mentions[a]) for a in story.articles] for story in found]
    for result in pmap(align, story_items, jobs, progress, "crossref"):
        aligned.update(result)
    return aligned


def correction(content_dir: Path, article: Article) -> tuple[str | None, list[Problem]]:
    """A curator's hand-corrected Markdown for this article, if there is one."""
    path = content_dir / CORRECTIONS_DIR / f"{article.id}.md"
    if not path.is_file():
        return None, []
    rel = f"{CORRECTIONS_DIR}/{path.name}"
    if not inside(content_dir, path):
        return None, [Problem(rel, "a symbolic link to a file outside the content folder; refused")]
    try:
        text = yamlio.read_text(path)
        meta, _ = split_front_matter(text)
    except yamlio.YAMLFileError as exc:
        # a line in the front matter is one more in the file (the opening ---); a decoding line is the file's
        line = exc.line and (exc.line if exc.message.startswith("not UTF-8") else exc.line + 1)
        return None, [Problem(rel, f"unreadable correction, generated text used instead: {exc.message}", line)]
    except (OSError, ValueError) as exc:
        return None, [Problem(rel, f"unreadable correction, generated text used instead: {exc}")]
    problems = []
    if meta.get("sha256") != article.sha256:
        problems.append(
            Problem(rel, "the source it corrects has changed since (sha256 differs): review the correction",
                    severity="warning")
        )
    return text, problems


def annotate_all(content_dir, articles, mentions, aligned, progress,
                 jobs: int | None = 1) -> tuple[list[Annotated], list[Problem]]:
    reports = {a.id: annotate.Report(a.outlet.value, views.date_label(a.published), a.title) for a in articles}

    def annotated(a: Article) -> tuple[Annotated, list[Problem]]:
        sentences, crossrefs = aligned.get(a.id, ((), ()))
        item = Annotated(a, mentions[a.id], sentences, crossrefs)
        corrected, found = correction(content_dir, a)
        if corrected is not None:
            return replace(item, markdown=corrected, markdown_origin="curator"), found
        return replace(item, markdown=annotate.to_markdown(item, reports)), found

    # what the workers hand back refers to the build process's own mentions, sentences, crossrefs
    shared = [*mentions.values(), *(part for pair in aligned.values() for part in pair)]
    done = pmap(annotated, articles, jobs, progress, "markdown", shared=shared)
    return [item for item, _ in done], [p for _, found in done for p in found]


def gather(content_dir: Path, progress: Progress = no_progress, base_url: str | None = None,
           jobs: int | None = None) -> tuple[Corpus, Edition]:
    if not content_dir.is_dir():
        raise BuildFailed(f"{content_dir}: no such content folder (`annalist new DIR` starts an archive)")
    settings, problems = load_settings(content_dir, {"base_url": base_url})
    if any(p.severity == "error" for p in problems):
        raise BuildFailed([p for p in problems if p.severity == "error"])
    try:
        articles, found = ingest_corpus(content_dir, settings.language)
    except RegistryError as exc:  # renumbering the archive would break every published URL
        raise BuildFailed(str(exc)) from None
    problems += found
    problems += outlet_clashes(articles)
    entities = _authority(content_dir)
    try:
        entities, rejected = apply_decisions(entities, load_decisions(content_dir / CURATION_FILE))
    except AuthorityError as exc:
        raise BuildFailed(list(exc.problems)) from None
    problems += authority_warnings(entities, ENTITIES_FILE)
    known = recognise(articles, Recogniser(entities), progress, jobs)
    mentions, candidates = with_candidates(articles, known, entities, rejected, jobs)
    grouped = stories.group([(a, mentions[a.id]) for a in articles], story_pins(content_dir, articles))
    aligned = align_within(grouped, articles, known, progress, jobs)
    items, found = annotate_all(content_dir, articles, mentions, aligned, progress, jobs)
    problems += found
    edition = Edition(settings, build_date(settings))
    merges = suggest_merges(candidates, entities)
    corpus = Corpus(tuple(items), tuple(entities), tuple(candidates), tuple(problems), merges, stories=grouped)
    return corpus, edition


def outlet_clashes(articles: list[Article]) -> list[Problem]:
    """Outlet names spelled differently that would share one outlet page ("Sky News", "SKY-news!"):
    a warning on each article whose spelling is not the first, so the curator can settle it."""
    first: dict[str, Article] = {}
    problems = []
    for a in sorted(articles, key=lambda a: a.source_file):
        if not a.outlet.value:
            continue
        page = urls.outlet(a.outlet.value)
        seen = first.setdefault(page, a)
        if seen.outlet.value != a.outlet.value:
            problems.append(Problem(
                f"sources/{a.source_file}",
                f"outlet {a.outlet.value!r} shares the page {page} with {seen.outlet.value!r} "
                f"(sources/{seen.source_file}): one outlet under two spellings? Give one spelling in sources.yaml",
                severity="warning"))
    return problems


def _authority(content_dir: Path) -> tuple[Entity, ...]:
    """The authority file's entities; no file: nothing known yet; a broken one stops the build."""
    path = content_dir / ENTITIES_FILE
    if not path.exists() and not path.is_symlink():
        return ()
    if not inside(content_dir, path):
        raise BuildFailed([Problem(ENTITIES_FILE, "a symbolic link to a file outside the content folder; refused")])
    try:
        return load_authority(path)
    except AuthorityError as exc:
        raise BuildFailed(list(exc.problems)) from None
    except OSError as exc:
        raise BuildFailed([Problem(ENTITIES_FILE, f"cannot read: {exc.strerror or exc}")]) from None


# --- writing -------------------------------------------------------------------------------


def write_site(corpus: Corpus, edition: Edition, content_dir: Path, out: Path,
               jobs: int | None = 1) -> tuple[int, list[Problem]]:
    env = jinja_env(resources.template_dirs(content_dir))
    cite.compile_styles()  # once, before the workers are forked
    all_pages, problems = site_pages(corpus, edition, lambda fn, items: pmap(fn, items, jobs))
    try:
        count = write_pages(env, all_pages, out, edition)
    except jinja2.TemplateError as exc:  # most likely in an archive's own template (templates/)
        raise BuildFailed(template_error(exc)) from exc
    resources.copy_static(content_dir, out)
    for item in corpus.articles:
        a = item.article
        _write(out / urls.article_markdown(a.id), item.markdown)
        _write(out / urls.article_json(a.id), export.dumps(export.article_record(item, edition)))
        source = out / urls.source(a.original)  # a safe name; HTML pages as .html.txt, never run
        source.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(content_dir / "sources" / a.source_file, source)  # the bytes untouched (a WARC: the file holding the record)
        for former in a.former_ids:  # permanent URLs: an id given up still leads to the article
            _write(out / urls.article(former), views.redirect_page(urls.relative(urls.article(former), urls.article(a.id))))
    _write(out / "data" / "entities.json", export.dumps(export.entities_record(corpus)))
    _write(out / "data" / "stories.json", export.dumps(export.stories_record(corpus, edition)))
    for path, text in export.citation_files(corpus, edition).items():
        _write(out / path, text)
    _write(out / "sitemap.xml", feeds.sitemap(corpus, edition, [p.path for p in all_pages if p.template != ALIAS_TEMPLATE]))
    _write(out / "feed.xml", feeds.atom(corpus, edition))
    _write(out / "robots.txt", feeds.robots(edition))
    return count, problems


def template_error(exc: jinja2.TemplateError) -> str:
    """One line naming the template (and line) that failed."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = shown(Path(exc.filename)) if exc.filename else exc.name
        return f"{where}:{exc.lineno}: template error: {exc.message}"
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"template not found: {exc.name}"
    return f"template error: {exc.message or exc}"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _absolute(path: Path) -> Path:
    """An absolute path whose last part is kept as given (a symlink there is not followed)."""
    path = Path(os.path.abspath(path))
    return path.parent.resolve() / path.name


def build(content_dir: Path, out: Path, progress: Progress = no_progress, index: bool = True,
          base_url: str | None = None, jobs: int | None = None) -> BuildResult:
    """`base_url`, when given, replaces the settings' base_url for this build (a preview, a mirror);
    per-article stages run on `jobs` processes (default: every core)."""
    started = time.perf_counter()
    content_dir, out = content_dir.resolve(), _absolute(out)
    try:
        output.check_out(content_dir, out, (resources.PACKAGE_DIR, resources.TEMPLATES_DIR, resources.STATIC_DIR))
    except output.OutputRefused as exc:
        raise BuildFailed(f"--out {exc}") from None
    recovered: list[str] = []
    if content_dir.is_dir():
        try:
            recovered = output.recover(out)  # a site a killed build left aside is put back first
        except OSError as exc:
            raise BuildFailed(f"{out}: cannot prepare the output folder: {exc.strerror or exc}") from None
    corpus, edition = gather(content_dir, progress, base_url, jobs)
    try:
        staging = output.staging_folder(out)
        shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise BuildFailed(f"{out}: cannot prepare the output folder: {exc.strerror or exc}") from None
    try:
        count, problems = write_site(corpus, edition, content_dir, staging, jobs)
        search.write_offline_index(corpus, staging)
        if index:
            search.index_site(staging, edition.settings.language)
            pagefind_canon.canonicalise(staging / search.BUNDLE_DIR)
        _write(staging / output.MARKER, output.MARKER_TEXT)
        fixity.write_manifest(staging)
        output.swap_in(staging, out)
    except search.IndexFailed as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BuildFailed(f"{search.BUNDLE_DIR}: {exc}") from None
    except OSError as exc:  # disk full, read-only folder, file-size limit...
        shutil.rmtree(staging, ignore_errors=True)
        where = exc.filename or staging
        raise BuildFailed(f"{where}: cannot write the site: {exc.strerror or exc}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        record_published(content_dir, [item.article for item in corpus.articles])
    except OSError as exc:  # e.g. a read-only content folder: the site is built, the record not kept
        corpus = replace(corpus, problems=(*corpus.problems, Problem(
            "ids.yaml", f"could not record the published ids ({exc.strerror or exc}): "
            "the next build may give new articles other ids", severity="warning")))
    problems += [Problem(out.name, line, severity="warning") for line in recovered]
    files = sum(1 for p in out.rglob("*") if p.is_file())
    return BuildResult(len(corpus.articles), count, files, list(corpus.problems) + problems,
                       time.perf_counter() - started, out, notes(corpus, edition))


def notes(corpus: Corpus, edition: Edition) -> list[str]:
    """What the curator should know about this build although nothing is wrong with the input."""
    found = []
    if not corpus.articles:
        found.append("sources/: no articles yet: put *.txt or *.html files there (see README, Content layout)")
    if not edition.settings.base_url:
        found.append(f"{SETTINGS_FILE}: base_url is empty: citations and permalinks will be relative to the archive "
                     "(set base_url, or pass --base-url URL for one build)")
    return found


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def shown(path: Path) -> str:
    """A path as the curator typed it: relative to the current folder when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def report(result: BuildResult, stream=None) -> None:
    stream = stream or sys.stderr
    for problem in sorted(result.problems, key=lambda p: (p.severity != "error", p.file, p.line or 0)):
        print(problem, file=stream)
    for note in result.notes:
        print(f"note: {note}", file=stream)
    where = f" into {shown(result.out)}{os.sep}" if result.out else ""
    print(
        f"built {plural(result.articles, 'article')}, {plural(result.pages, 'page')}, "
        f"{plural(result.files, 'file')}{where}; {plural(len(result.errors), 'error')}, "
        f"{plural(len(result.warnings), 'warning')}; {result.seconds:.1f} s",
        file=stream,
    )
    if result.out:
        site = shown(result.out)
        serve = "annalist serve" if site == "site" else f"annalist serve --out {shlex.quote(site)}"
        print(f"open {os.path.join(site, 'index.html')} in a browser (it works from the folder, offline), "
              f"or preview it over http with `{serve}`", file=stream)
