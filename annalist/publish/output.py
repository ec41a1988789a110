"""The output folder: which folders a build may replace, and the atomic swap that replaces them.

A build writes a staging folder beside the output folder (`.<name>.building-<pid>`) and swaps it
in with one atomic step, so a reader, a server or a kill -9 never sees a half-written site and a
failed build never touches the previous one:

- Linux: renameat2(RENAME_EXCHANGE) exchanges the two folders in one system call; the previous
  site, now under the staging name, is deleted afterwards;
- first build (no output folder yet): one rename;
- elsewhere (no renameat2): two renames, `site` → `.site.old-<pid>`, staging → `site`. A kill
  between the two leaves the previous site in `.site.old-<pid>`; the next build puts it back
  before anything else.

`site/` stays a real folder (not a symlink), so `cp -r site`, rsync, zip tools and file://
browsing all see plain files. Staging and old folders left by killed builds are removed by the
next build (only those of processes no longer running).

Which folders a build may replace (`check_out`): only an empty folder, a folder an earlier build
made (it holds the marker file `MARKER`), or a path that does not exist yet. Never the content
folder, a folder inside it or holding it, the folder the command runs in or one above it, or the
program's own folder. Refusals are one line and change nothing on disk.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import hashlib
import os
import re
import shutil
from pathlib import Path

from .fixity import file_sha256

MARKER = ".annalist-site"
"""Written at the root of every site a build makes; a folder holding it may be rebuilt."""
MARKER_TEXT = "This folder was made by `annalist build`; the next build replaces it whole.\n"

_STALE = re.compile(r"^\.(?P<name>.+)\.(?:building|old)-(?P<pid>\d+)$")
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputRefused(Exception):
    """The output folder may not be written: a one-line reason."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out(content_dir: Path, out: Path, program_dirs: tuple[Path, ...], cwd: Path | None = None) -> None:
    """Raise OutputRefused unless a build may write `out` (all paths absolute and resolved)."""
    cwd = (cwd or Path.cwd()).resolve()
    shown = str(out)
    if out.is_symlink():
        raise OutputRefused(f"{shown} is a symbolic link; give the real folder as --out")
    if _inside(out, content_dir) or _inside(content_dir, out):
        where = "is the content folder" if out == content_dir else (
            "is inside the content folder" if _inside(out, content_dir) else "holds the content folder")
        raise OutputRefused(f"{shown} {where} ({content_dir}); choose another --out, e.g. site")
    if _inside(cwd, out):
        raise OutputRefused(f"{shown} is the folder the command runs in, or holds it; choose another --out, e.g. site")
    if any(_inside(folder, out) or _inside(out, folder) for folder in program_dirs):
        raise OutputRefused(f"{shown} holds Annalist's own files; choose another --out, e.g. site")
    if not out.exists():
        if out.parent.exists() and not out.parent.is_dir():
            raise OutputRefused(f"{out.parent} is a file, not a folder")
        return
    if not out.is_dir():
        raise OutputRefused(f"{shown} is a file, not a folder; the build writes a folder (choose another --out)")
    if (out / MARKER).is_file() or _earlier_annalist_site(out):
        return
    if any(out.iterdir()):
        raise OutputRefused(
            f"{shown} is a folder of other files (not made by annalist build, no {MARKER}); "
            "the build replaces its output whole, so give an empty folder or a new path")


def _earlier_annalist_site(out: Path) -> bool:
    """A site built before the marker existed: its manifest, home page and offline search index
    (a BagIt bag has the manifest too, but never Annalist's search index)."""
    return all((out / rel).is_file() for rel in ("manifest-sha256.txt", "index.html", "static/search-index.js"))


def _remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def staging_folder(out: Path) -> Path:
    return out.with_name(f".{out.name}.building-{os.getpid()}")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover(out: Path) -> list[str]:
    """Before a build: put back a site a killed two-rename swap left aside, and delete the
    staging and old folders of builds that are no longer running. Returns what was done."""
    done = []
    parent = out.parent
    if not parent.is_dir():
        return done
    stale = []
    for entry in sorted(parent.iterdir()):
        match = _STALE.match(entry.name)
        if match and match["name"] == out.name and entry.is_dir() and not entry.is_symlink() and not _alive(int(match["pid"])):
            stale.append(entry)
    old = [e for e in stale if ".old-" in e.name and (e / MARKER).is_file()]
    if not out.exists() and old:
        old[-1].rename(out)
        done.append(f"restored {out} from {old[-1].name} (a build was killed while swapping)")
        stale.remove(old[-1])
    for entry in stale:
        shutil.rmtree(entry, ignore_errors=True)
        done.append(f"removed {entry.name}, left by a build that was killed")
    return done


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2). False when the system cannot."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(staging: Path, out: Path, remove=None) -> None:
    """Replace `out` by `staging` atomically; the previous site is deleted only afterwards, by
    `remove(folder)` when given (e.g. on a thread of its own while the build saves its cache:
    unlinking a site's 33,000 files is most of a second)."""
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        (remove or _remove)(staging)  # now the previous site
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


class Writer:
    """Writes the new site into the staging folder; a file whose bytes the previous site already
    holds, untouched since it was published, is hard-linked from it instead, so it keeps its bytes
    and mtime and costs no write (the previous site is deleted after the swap; the link keeps the
    file). `previous` is the last build's record (annalist.cache.Site); None: write everything.

    `hashes` collects every file's SHA-256, for the fixity manifest and the next build's record.
    A linked file is the published one: nothing may write into it (write() replaces, never
    overwrites; other code writes only files that were not linked, and adopt() runs after it).
    """

    def __init__(self, staging: Path, out: Path, previous=None) -> None:
        self.staging, self.out, self.previous = staging, out, previous
        self._staging, self._out = os.fspath(staging), os.fspath(out)
        self.hashes: dict[str, str] = {}
        self.kept: set[str] = set()  # files linked from the previous site (its record holds their stat)
        self.linked = 0
        self.written = 0
        self._folders: set[str] = set()

    def _folder(self, target: str) -> None:
        folder = os.path.dirname(target)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)

    def reuse(self, rel: str, sha: str) -> bool:
        """Link out/rel into the staging folder if it is the previous build's file of these bytes."""
        known = self.previous.files.get(rel) if self.previous else None
        if not known or known[0] != sha:
            return False
        source, target = os.path.join(self._out, rel), os.path.join(self._staging, rel)
        try:  # still the very file the last build published (same size, mtime, inode): Site.unchanged
            st = os.stat(source, follow_symlinks=False)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns, st.st_ino) != known[1:]:
            return False
        self._folder(target)
        try:
            try:
                os.link(source, target)
            except FileExistsError:
                temporary = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.link-{os.getpid()}")
                os.link(source, temporary)
                os.replace(temporary, target)
        except OSError:  # a file system without hard links: the bytes are written instead
            return False
        self.hashes[rel] = sha
        self.kept.add(rel)
        self.linked += 1
        return True

    def write(self, rel: str, data: str | bytes) -> str:
        """The file's bytes at staging/rel (linked when unchanged); returns their SHA-256."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        sha = hashlib.sha256(raw).hexdigest()
        if not self.reuse(rel, sha):
            self.put(rel, raw)
            self.wrote(rel, sha)
        return sha

    def new(self, rel: str, sha: str) -> bool:
        """Whether the previous site holds no file of these bytes at rel (so they are to be written,
        not linked). Reads only: a worker may ask, then put() the file and its parent note wrote()."""
        known = self.previous.files.get(rel) if self.previous else None
        return not known or known[0] != sha

    def put(self, rel: str, raw: bytes) -> None:
        """The bytes at staging/rel (write()'s file part: no bookkeeping, so a worker may call it)."""
        target = os.path.join(self._staging, rel)
        self._folder(target)
        if os.path.lexists(target):  # maybe a link to the published file: never write through it
            os.unlink(target)
        with open(target, "wb") as stream:
            stream.write(raw)

    def wrote(self, rel: str, sha: str) -> None:
        """Note a file put() wrote (here or in a worker)."""
        self.kept.discard(rel)
        self.hashes[rel] = sha
        self.written += 1

    def forget(self, folder: str) -> None:
        """Remove staging/folder and what is known of it (e.g. a search bundle partly linked)."""
        shutil.rmtree(os.path.join(self._staging, folder), ignore_errors=True)
        for rel in [rel for rel in self.hashes if rel.startswith(folder + "/")]:
            del self.hashes[rel]
            self.kept.discard(rel)

    def adopt(self) -> None:
        """Every file other code wrote into the staging folder (static files, search indexes):
        hashed, and replaced by a link to the previous site's file when the bytes are the same."""
        for rel, path in files_under(self._staging):
            if rel in self.hashes:
                continue
            sha = file_sha256(Path(path))
            if not self.reuse(rel, sha):
                self.hashes[rel] = sha
                self.written += 1


def files_under(root: str):
    """(path from root with '/', full path) of every file under root, symbolic links not followed;
    one directory read per folder, no stat per file (a site holds tens of thousands)."""
    folders = [(root, "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((entry.path, prefix + entry.name + "/"))
                else:
                    yield prefix + entry.name, entry.path
