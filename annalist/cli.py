"""Command line: `annalist new | build | serve | entities | verify`."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path


DEFAULT_CONTENT = Path("content")
DEFAULT_OUT = Path("site")


def progress_bar(items: Iterable, label: str, stream=None) -> Iterator:
    """A one-line progress bar on a terminal; silent when output is not a terminal."""
    stream = stream or sys.stderr
    items = list(items)
    if not stream.isatty() or len(items) < 50:
        yield from items
        return
    total, width = len(items), 30
    for i, item in enumerate(items, start=1):
        if i == total or i % max(1, total // 100) == 0:
            done = width * i // total
            stream.write(f"\r{label:<10} [{'#' * done}{'.' * (width - done)}] {i}/{total}")
            stream.flush()
        yield item
    stream.write("\n")


def cmd_build(args: argparse.Namespace) -> int:
    from . import cache, summary

    result = None if args.no_cache else cache.unchanged_site(args.content, args.out, not args.no_search, args.base_url)
    if result is not None:  # nothing to do: said without loading the stages
        summary.report(result)
        return 1 if result.errors or (args.strict and result.warnings) else 0
    from . import pipeline

    try:
        result = pipeline.build(args.content, args.out, progress=progress_bar, index=not args.no_search,
                                base_url=args.base_url, jobs=args.jobs, reuse=not args.no_cache)
    except pipeline.BuildFailed as exc:
        print(exc, file=sys.stderr)  # one line per problem, each "error: <file>[:<line>]: ..."
        print(f"build failed; {args.out} was left as it was", file=sys.stderr)
        return 1
    pipeline.report(result)
    if args.zip:
        from .publish.bundle import write_zip

        site = Path(os.path.abspath(args.out))
        try:
            zip_path = write_zip(site, Path(args.zip).resolve(), site.name)
        except OSError as exc:
            print(f"error: {args.zip}: cannot write the zip file: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {zip_path}", file=sys.stderr)
    failed = result.errors or (args.strict and result.warnings)
    return 1 if failed else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from . import serve

    if args.no_watch or not args.content.is_dir():
        if not (args.out / "index.html").is_file():
            print(f"error: {args.out}: no built site here (run `annalist build` first)", file=sys.stderr)
            return 1
        if not args.no_watch:
            print(f"note: no content folder at {args.content}: serving {args.out} as it is, without rebuilding",
                  file=sys.stderr)
        return serve.serve_built(args.out, args.port)
    return serve.serve(args.content, args.out, args.port, index=not args.no_search, jobs=args.jobs,
                       base_url=args.base_url)


def cmd_new(args: argparse.Namespace) -> int:
    from .starter import StarterError, new_archive

    try:
        written = new_archive(args.dir)
    except StarterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}", file=sys.stderr)
    print(f"next: cd {shlex.quote(str(args.dir))} && annalist build", file=sys.stderr)
    return 0


def cmd_entities(args: argparse.Namespace) -> int:
    from . import pipeline
    from .entities import review_report

    try:
        corpus, _ = pipeline.gather(args.content.resolve())
    except pipeline.BuildFailed as exc:
        print(exc, file=sys.stderr)  # already "error: <file>: ..." lines
        return 1
    print(review_report(corpus.candidates, corpus.merges, page=args.page))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from .publish.fixity import failures, verify

    if not args.dir.is_dir():
        print(f"error: {args.dir}: no such folder", file=sys.stderr)
        return 1
    problems = verify(args.dir)
    for line in problems:
        print(line)
    failed = failures(problems)
    print(f"{args.dir}: {'intact' if not failed else f'not intact: {len(failed)} files changed, missing, unlisted or malformed'}",
          file=sys.stderr)
    return 1 if failed else 0


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, 1 or more: {text!r}")
    return int(text)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="annalist", description="Build and check a static research archive.")
    sub = root.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="start an archive: a folder with settings, an authority file and an example")
    new.add_argument("dir", type=Path, help="the archive's folder (created; must be empty if it exists)")
    new.set_defaults(func=cmd_new)

    build = sub.add_parser("build", help="build content/ into site/")
    build.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="content folder (default: content)")
    build.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: site)")
    build.add_argument("--zip", metavar="FILE", help="also write the whole archive as one zip file")
    build.add_argument("--strict", action="store_true", help="treat warnings as failures")
    build.add_argument("--no-search", action="store_true", help="skip the Pagefind index (faster previews)")
    build.add_argument("--no-cache", action="store_true",
                       help="compute everything afresh, ignoring .annalist-cache/ and the previous site (same output)")
    build.add_argument("--base-url", metavar="URL",
                       help="publish at this URL for this build only (replaces base_url in the settings)")
    build.add_argument("--jobs", type=_positive, metavar="N", default=None,
                       help="processes for the per-article stages (default: one per core; 1: serial)")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="build, preview on http://127.0.0.1, rebuild and reload on every change")
    serve.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="content folder (default: content)")
    serve.add_argument("--out", type=Path, default=DEFAULT_OUT, help="site folder to build and serve (default: site)")
    serve.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    serve.add_argument("--no-watch", action="store_true",
                       help="serve the built folder as it is: no build, no rebuilding, no reloading")
    serve.add_argument("--no-search", action="store_true", help="skip the Pagefind index (faster rebuilds)")
    serve.add_argument("--base-url", metavar="URL", help="as for build: replaces base_url in the settings")
    serve.add_argument("--jobs", type=_positive, metavar="N", default=None,
                       help="processes for the per-article stages (default: one per core; 1: serial)")
    serve.set_defaults(func=cmd_serve)

    entities = sub.add_parser("entities", help="entity curation")
    entities.add_argument("--review", action="store_true",
                          help="list names not yet in the authority file, with stanzas for content/curation.yaml "
                               "(the default)")
    entities.add_argument("--page", type=int, default=1, help="page of the review list to print (default: 1)")
    entities.add_argument("--content", type=Path, default=DEFAULT_CONTENT, help="content folder (default: content)")
    entities.set_defaults(func=cmd_entities)

    verify = sub.add_parser("verify", help="check a copy of the site against its manifest-sha256.txt")
    verify.add_argument("dir", type=Path, help="the site folder to check")
    verify.set_defaults(func=cmd_verify)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
