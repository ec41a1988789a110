"""`annalist serve`: build, serve on 127.0.0.1, rebuild on every change, reload the open pages.

    serve(content, out, port)       # blocks until Ctrl-C

Three threads: the http server answers from the site folder; a watcher (watchfiles) notes every
change in `content/` and in the archive's own `templates/` and `static/`; a builder runs the
build (`pipeline.build`, the same call as `annalist build`, so the folder holds exactly what
`annalist build` writes) on start and after each batch of changes.

The published files never carry the reload script: it is added to each HTML response as it is
sent (`with_live_script`). It asks `/__annalist/state` once a second for the build generation and
the last build's errors; when the generation moved on it reloads the page, and while the last
build failed it shows the error in a banner over the page (the site on disk, and so the page, is
the one before the failed build, as with `annalist build`). Only 127.0.0.1 is served, and only
files inside the site folder (no directory listings, no symbolic link out of it).
"""

from __future__ import annotations

import functools
import http
import http.server
import io
import json
import os
import queue
import secrets
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from . import resources

LIVE = "/__annalist/"  # the server's own answers; no site path starts so (urls.py makes none)
LIVE_SCRIPT = Path(__file__).resolve().parent / "serve_live.js"
REGISTRY = "ids.yaml"  # written by the build itself (ingest/ids.py): not a change to rebuild for


@dataclass(frozen=True)
class Status:
    """What the open pages are told: which site is on disk, and how the last build went."""

    generation: str  # changes with every build that replaced the site
    building: bool = False
    failed: bool = False  # the last build stopped: the site on disk is the one before it
    errors: tuple[str, ...] = ()  # the last build's error lines, each naming its file

    def json(self) -> bytes:
        return json.dumps({"generation": self.generation, "building": self.building, "failed": self.failed,
                           "errors": list(self.errors)}, ensure_ascii=False).encode("utf-8")


class Live:
    """The status, shared by the builder (which sets it) and the request handlers (which read it)."""

    def __init__(self) -> None:
        self._run = secrets.token_hex(4)  # a page served by an earlier `annalist serve` reloads too
        self._count = 0
        self._lock = threading.Lock()
        self._status = Status(self._generation())

    def _generation(self) -> str:
        return f"{self._run}.{self._count}"

    @property
    def status(self) -> Status:
        with self._lock:
            return self._status

    def building(self) -> None:
        with self._lock:
            self._status = replace(self._status, building=True)

    def built(self, replaced: bool, errors: Iterable[str]) -> None:
        with self._lock:
            if replaced:
                self._count += 1
            self._status = Status(self._generation(), False, not replaced, tuple(errors))


def with_live_script(body: bytes, generation: str) -> bytes:
    """An HTML page with the reload script added before its </body> (at its end when it has none)."""
    tag = f'<script src="{LIVE}live.js" data-generation="{generation}"></script>\n'.encode("ascii")
    at = body.lower().rfind(b"</body>")
    return body[:at] + tag + body[at:] if at >= 0 else body + tag


NO_SITE = (b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Building</title>\n</head>\n'
           b"<body><main><h1>No site here yet</h1><p>The archive is being built; this page reloads when it is "
           b"ready.</p></main></body>\n</html>\n")


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site folder; a missing path gets the site's own 404.html (status 404). With `live`,
    HTML responses carry the reload script and nothing is cached; /__annalist/ answers the script."""

    def __init__(self, *args, live: Live | None = None, **kwargs) -> None:
        self.live = live
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        if self.live and self.path.split("?")[0].startswith(LIVE):
            return self._live_answer(head=False)
        return super().do_GET()

    def do_HEAD(self) -> None:
        if self.live and self.path.split("?")[0].startswith(LIVE):
            return self._live_answer(head=True)
        return super().do_HEAD()

    def _live_answer(self, head: bool) -> None:
        name = self.path.split("?")[0][len(LIVE):]
        if name == "state":
            self._send(http.HTTPStatus.OK, "application/json", self.live.status.json(), head)
        elif name == "live.js":
            self._send(http.HTTPStatus.OK, "text/javascript; charset=utf-8", LIVE_SCRIPT.read_bytes(), head)
        else:
            self._send(http.HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n", head)

    def _send(self, code: int, kind: str, body: bytes, head: bool = False) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def end_headers(self) -> None:
        if self.live:  # a preview: every answer fresh, so a reload shows the new build
            self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _inside(self, path: str) -> bool:
        root = os.path.realpath(self.directory)
        return os.path.realpath(path) == root or os.path.realpath(path).startswith(root + os.sep)

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not self._inside(path):  # a symbolic link out of the site
            self.send_error(http.HTTPStatus.NOT_FOUND)
            return None
        if self.live and path.endswith(".html") and os.path.isfile(path):
            generation = self.live.status.generation  # before the file: a build landing between reloads once more
            try:
                with open(path, "rb") as f:
                    body = with_live_script(f.read(), generation)
            except OSError:  # gone in a swap: the next request finds the new site
                self.send_error(http.HTTPStatus.NOT_FOUND)
                return None
            self.send_response(http.HTTPStatus.OK)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

    def list_directory(self, path):
        self.send_error(http.HTTPStatus.NOT_FOUND)  # a site's pages are files, never folder listings
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != http.HTTPStatus.NOT_FOUND:
            return super().send_error(code, message, explain)
        if page.is_file():
            # The page's links are relative to the site root; <base> keeps them working at any depth.
            body = page.read_bytes().replace(b"<head>", b'<head>\n<base href="/">', 1)
        elif self.live:
            body = NO_SITE
        else:
            return super().send_error(code, message, explain)
        if self.live:
            body = with_live_script(body, self.live.status.generation)
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        if not self.path.startswith(LIVE):  # the pages' polls would fill the terminal
            super().log_message(format, *args)


def server(site: Path, port: int, live: Live | None = None) -> http.server.ThreadingHTTPServer:
    """An http server of the site folder on 127.0.0.1 only (port 0: a free one)."""
    handler = functools.partial(SiteHandler, directory=str(site), live=live)
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


# --- watching and building -------------------------------------------------------------------


def watched(content_dir: Path) -> list[Path]:
    """What a change to rebuilds for: the content folder (sources, settings, authority file,
    curation, corrections) and the archive's own templates/ and static/, where they exist."""
    project = resources.project_dir(content_dir)
    return [content_dir.resolve()] + [project / name for name in ("templates", "static") if (project / name).is_dir()]


def relevant(path: Path, roots: list[Path]) -> bool:
    """A change worth a rebuild: not a hidden file or folder (editors' swap files, caches, .git)."""
    for root in roots:
        if root == path or root in path.parents:
            return not any(part.startswith(".") for part in path.relative_to(root).parts)
    return False


class Builder:
    """Builds on start and after every batch of changes, one build at a time."""

    def __init__(self, build: Callable[[], tuple[bool, list[str]]], content_dir: Path, live: Live,
                 stream=None) -> None:
        self.build, self.live, self.stream = build, live, stream or sys.stderr
        self.registry = content_dir.resolve() / REGISTRY
        self.roots = watched(content_dir)
        self.changes: queue.Queue = queue.Queue()
        self.stop = threading.Event()
        self._registry_bytes = self._read_registry()

    def _read_registry(self) -> bytes | None:
        try:
            return self.registry.read_bytes()
        except OSError:
            return None

    def rebuild(self) -> None:
        self.live.building()
        replaced, errors = self.build()
        self._registry_bytes = self._read_registry()
        self.live.built(replaced, errors)

    def changed(self, batch: set) -> list[Path]:
        """The paths of a batch of changes worth a rebuild; the build's own ids.yaml is not one."""
        paths = sorted({Path(p) for _, p in batch if relevant(Path(p), self.roots)})
        if self.registry in paths and self._read_registry() == self._registry_bytes:
            paths.remove(self.registry)
        return paths

    def watch(self) -> None:
        """The watcher thread: every batch of changes into the queue, until stop."""
        import watchfiles

        for batch in watchfiles.watch(*self.roots, stop_event=self.stop, raise_interrupt=False):
            self.changes.put(batch)

    def run(self) -> None:
        """The builder thread: the first build, then one build per batch of changes (batches that
        arrived during a build are taken together)."""
        self.rebuild()
        while not self.stop.is_set():
            try:
                batch = set(self.changes.get(timeout=0.2))
            except queue.Empty:
                continue
            while not self.changes.empty():
                batch |= self.changes.get()
            paths = self.changed(batch)
            if not paths or self.stop.is_set():
                continue
            shown = ", ".join(_shown(p, self.roots) for p in paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
            print(f"changed: {shown}; rebuilding", file=self.stream, flush=True)
            self.rebuild()


def _shown(path: Path, roots: list[Path]) -> str:
    for root in roots:
        if root in path.parents:
            return f"{root.name}/{path.relative_to(root).as_posix()}"
    return str(path)


def build_once(content_dir: Path, out: Path, index: bool, jobs: int | None, base_url: str | None,
               stream=None) -> tuple[bool, list[str]]:
    """One build, reported on the terminal. (whether the site was replaced, its error lines)"""
    from . import pipeline

    stream = stream or sys.stderr
    started = time.perf_counter()
    try:
        result = pipeline.build(content_dir, out, index=index, base_url=base_url, jobs=jobs, wait=True)
    except pipeline.BuildFailed as exc:
        print(exc, file=stream)  # one line per problem, each "error: <file>[:<line>]: ..."
        print(f"build failed; still serving the site as it was before ({time.perf_counter() - started:.1f} s)",
              file=stream, flush=True)
        return False, str(exc).splitlines()
    except Exception as exc:  # a fault in Annalist itself: say so, keep serving the previous site
        traceback.print_exc(file=stream)
        print("build failed; still serving the site as it was before", file=stream, flush=True)
        return False, [f"error: the build stopped on an internal fault: {type(exc).__name__}: {exc}"]
    for problem in sorted(result.problems, key=lambda p: (p.severity != "error", p.file, p.line or 0)):
        print(problem, file=stream)
    print(f"built {result.articles} articles, {result.pages} pages; {len(result.errors)} errors, "
          f"{len(result.warnings)} warnings; {result.seconds:.1f} s", file=stream, flush=True)
    return True, [str(p) for p in result.errors]


def serve(content_dir: Path, out: Path, port: int, index: bool = True, jobs: int | None = None,
          base_url: str | None = None, stream=None) -> int:
    """Serve `out` on 127.0.0.1:port, building it from `content_dir` now and after every change."""
    from .publish import output

    stream = stream or sys.stderr
    target = Path(os.path.abspath(out))
    try:  # refused before anything is served: a folder the build may not replace is not shown either
        output.check_out(content_dir.resolve(), target.parent.resolve() / target.name,
                         (resources.PACKAGE_DIR, resources.TEMPLATES_DIR, resources.STATIC_DIR))
    except output.OutputRefused as exc:
        print(f"error: --out {exc}", file=stream)
        return 1
    live = Live()
    builder = Builder(functools.partial(build_once, content_dir, out, index, jobs, base_url, stream),
                      content_dir, live, stream)
    with server(out, port, live) as httpd:
        print(f"serving {out} at http://127.0.0.1:{httpd.server_address[1]}/; rebuilding on every change to "
              f"{', '.join(_shown_root(r) for r in builder.roots)} (Ctrl-C to stop)", file=stream, flush=True)
        threads = [threading.Thread(target=builder.watch, name="annalist-watch", daemon=True),
                   threading.Thread(target=builder.run, name="annalist-build", daemon=True)]
        for thread in threads:
            thread.start()
        serving = threading.Thread(target=httpd.serve_forever, name="annalist-http", daemon=True)
        serving.start()
        previous = signal.signal(signal.SIGTERM, _interrupt) if threading.current_thread() is threading.main_thread() else None
        try:
            while serving.is_alive():
                serving.join(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        print("stopping", file=stream, flush=True)
        builder.stop.set()
        httpd.shutdown()
        try:
            if live.status.building:
                print("waiting for the build under way to finish (Ctrl-C again to leave it: the site stays as it was)",
                      file=stream, flush=True)
            for thread in threads:
                thread.join()
        except KeyboardInterrupt:
            return 130
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _shown_root(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd().resolve())) + os.sep
    except ValueError:
        return str(path) + os.sep


def serve_built(out: Path, port: int, stream=None) -> int:
    """Serve a built folder as it is: no build, no watching, no reload script."""
    stream = stream or sys.stderr
    with server(out, port) as httpd:
        print(f"serving {out} at http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C to stop)", file=stream, flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0

