"""Per-article stages across all cores: an order-keeping map, serial or over a pool of processes.

    results = pmap(fn, items, jobs)      # == [fn(x) for x in items], in the same order

A per-article stage is a pure function of its article and of read-only, corpus-wide values (the
recogniser, the corpus, the edition). Workers are forked from the build process, so they inherit
those values as they are: only the position of each item goes to a worker and only its result
comes back (pickled). Results are collected in input order, so the output is the serial run's,
byte for byte, whatever the timing (tests/test_parallel.py builds a site both ways).

A result that holds objects the build process already has -- the item itself, its fields (an
article page holds its article), anything passed as `shared` -- brings them back as references,
not copies: the build process keeps one copy of each article, however many stages hand it back
(forked workers see those objects at the same id(), so the id is the reference). The cyclic
garbage collector is frozen while workers run, so it does not walk (and copy, page by page) the
inherited heap in each worker.

Serial when `jobs` is 1, when there are too few items to pay for the processes, or where `fork`
is not available or not safe, as on Windows and macOS (spawned workers would have to pickle the
whole corpus instead).
"""

from __future__ import annotations

import dataclasses
import gc
import io
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 32  # below this a pool costs more (fork, pickling) than the work it shares out
CHUNKS_PER_WORKER = 8  # small enough to balance uneven articles, large enough to batch the pipes
GENERATION = 500
"""Items one pool of workers works on before it ends and fresh workers are forked for the next
ones. A forked worker shares the build's memory until it touches it: merely reading an object
writes its reference count, so each page of the build's heap a worker reads becomes a copy of its
own. Workers that lived through a whole stage ended up holding copies of most of the corpus (at
4,000 articles, 2 workers added about 300 MB to the build's 600); ending them every GENERATION
items bounds that to the part of the corpus one generation reads, for a fork per worker per
generation (1,000 items until the 10,000-article build needed less: docs/rebuild.md)."""

Progress = Callable[[Iterable, str], Iterator]

# The job being mapped, set in the build process just before the workers are forked, and the
# objects both sides hold (id -> object).
_job: tuple[Callable, Sequence] | None = None
_shared: dict[int, object] = {}


def cores() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    # macOS lists fork but its system libraries are not fork-safe (Python defaults to spawn there).
    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        return id(obj) if id(obj) in _shared and not isinstance(obj, (int, float, bool)) else None


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        return _shared[pid]


def _run(start: int, stop: int) -> bytes:
    fn, items = _job
    buffer = io.BytesIO()
    _Pickler(buffer, pickle.HIGHEST_PROTOCOL).dump([fn(items[i]) for i in range(start, stop)])
    return buffer.getvalue()


def _held(items: Sequence, shared: Iterable) -> dict[int, object]:
    """The objects a result may refer to: each item, its fields when it is a dataclass, `shared`."""
    held: dict[int, object] = {}
    for item in items:
        held[id(item)] = item
        if dataclasses.is_dataclass(item) and not isinstance(item, type):
            for f in dataclasses.fields(item):
                value = getattr(item, f.name)
                held[id(value)] = value
    for value in shared:
        held[id(value)] = value
    return held


def pmap(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None,
         progress: Progress | None = None, label: str = "", shared: Iterable = ()) -> list[R]:
    """[fn(x) for x in items], computed by up to `jobs` processes (default: every core).

    `shared`: objects (besides the items and their fields) that results may hold: they come
    back as the very objects, not as copies."""
    return list(imap(fn, items, jobs, progress, label, shared))


def imap(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None,
         progress: Progress | None = None, label: str = "", shared: Iterable = ()) -> Iterator[R]:
    """pmap's results one by one, in input order, as the workers hand them back: a caller that
    writes each result out and lets it go never holds them all (article pages at 10,000 articles).
    Consume it whole before mapping anything else."""
    global _job, _shared
    items = list(items)
    jobs = min(jobs or cores(), len(items))
    if jobs <= 1 or len(items) < MIN_ITEMS or not _can_fork():
        yield from (fn(x) for x in (progress(items, label) if progress else items))
        return
    generations = [(g, min(g + GENERATION, len(items))) for g in range(0, len(items), GENERATION)]
    _job, _shared = (fn, items), _held(items, shared)
    frozen = gc.isenabled()
    try:
        ticks = iter(progress(range(len(items)), label) if progress else range(len(items)))
        for first, end in generations:  # fresh workers for each: see GENERATION
            if frozen:
                gc.freeze()  # inherited objects (results so far too) are left out of the workers' collections
            size = max(1, (end - first) // (jobs * CHUNKS_PER_WORKER))
            bounds = [(i, min(i + size, end)) for i in range(first, end, size)]
            with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
                chunks = iter([pool.submit(_run, start, stop) for start, stop in bounds])
                ready: list[R] = []
                for _ in range(first, end):
                    next(ticks, None)
                    if not ready:  # in input order; a worker's exception is raised here
                        ready = _Unpickler(io.BytesIO(next(chunks).result())).load()
                        ready.reverse()
                    yield ready.pop()
        next(ticks, None)  # the progress bar's end
    finally:
        if frozen:
            gc.unfreeze()
        _job, _shared = None, {}


# --- a stream of items, handed to workers forked once --------------------------------------------

_stream_fn: Callable | None = None


def _stream_run(blob: bytes) -> bytes:
    return pickle.dumps([_stream_fn(x) for x in pickle.loads(blob)], pickle.HIGHEST_PROTOCOL)


def stream(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None, batch: int = 48,
           ahead: int = 4) -> Iterator[tuple[T, R]]:
    """(x, fn(x)) for each x of `items`, in order, computed by up to `jobs` worker processes forked
    once, when the first batch is ready. Unlike imap, `items` is read lazily, as the workers need
    more: at most `ahead` batches of `batch` items per worker are held (with their results) at any
    time, so a caller streaming pages of the site never holds them all (at 10,000 articles, the
    ~40,000 other pages), and its own work on each item (making the next items, writing the
    results) runs beside the workers'.

    The items are pickled to the workers (what they hold is copied); a batch holding an item pickle
    cannot take is computed here, each item in its place in the order. Serial when `jobs` is 1 or fork is unavailable."""
    global _stream_fn
    jobs = jobs or cores()
    if jobs <= 1 or not _can_fork():
        for x in items:
            yield x, fn(x)
        return
    pending: list[tuple[list[T], object]] = []  # (items, future or their results), oldest first
    waiting: list[T] = []
    pool: ProcessPoolExecutor | None = None
    frozen = gc.isenabled()

    def submit() -> None:
        nonlocal pool
        try:
            blob = pickle.dumps(waiting, pickle.HIGHEST_PROTOCOL)
        except Exception:  # something pickle cannot take: computed here, each item in its place
            for x in waiting:
                pending.append(([x], [fn(x)]))
            waiting.clear()
            return
        if pool is None:
            global _stream_fn
            _stream_fn = fn
            if frozen:
                gc.freeze()  # what the workers inherit is left out of their collections (see pmap)
            pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"))
        pending.append((list(waiting), pool.submit(_stream_run, blob)))
        waiting.clear()

    def oldest() -> Iterator[tuple[T, R]]:
        done, results = pending.pop(0)
        if not isinstance(results, list):
            results = pickle.loads(results.result())  # a worker's exception is raised here
        yield from zip(done, results)

    try:
        for x in items:
            waiting.append(x)
            if len(waiting) >= batch:
                submit()
                while len(pending) > ahead * jobs:
                    yield from oldest()
        if waiting:
            submit()
        while pending:
            yield from oldest()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
            if frozen:
                gc.unfreeze()
        _stream_fn = None
