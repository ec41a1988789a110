"""Per-article stages across all cores: an order-keeping map, serial or over a pool of processes.

    results = pmap(fn, items, jobs)      # == [fn(x) for x in items], in the same order

A per-article stage is a pure function of its article and of read-only, corpus-wide values (the
recogniser, the corpus, the edition). Workers are forked from the build process, so they inherit
those values as they are: only the position of each item goes to a worker and only its result
comes back (pickled). Results are collected in input order, so the output is the serial run's,
byte for byte, whatever the timing (tests/test_parallel.py builds a site both ways).

Serial when `jobs` is 1, when there are too few items to pay for the processes, or where `fork`
is not available or not safe, as on Windows and macOS (spawned workers would have to pickle the
whole corpus instead).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 32  # below this a pool costs more (fork, pickling) than the work it shares out
CHUNKS_PER_WORKER = 8  # small enough to balance uneven articles, large enough to batch the pipes

Progress = Callable[[Iterable, str], Iterator]

# The job being mapped, set in the build process just before the workers are forked.
_job: tuple[Callable, Sequence] | None = None


def cores() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    # macOS lists fork but its system libraries are not fork-safe (Python defaults to spawn there).
    return sys.platform != "darwin" and "fork" in multiprocessing.get_all_start_methods()


def _run(start: int, stop: int) -> list:
    fn, items = _job
    return [fn(items[i]) for i in range(start, stop)]


def pmap(fn: Callable[[T], R], items: Iterable[T], jobs: int | None = None,
         progress: Progress | None = None, label: str = "") -> list[R]:
    """[fn(x) for x in items], computed by up to `jobs` processes (default: every core)."""
    global _job
    items = list(items)
    jobs = min(jobs or cores(), len(items))
    if jobs <= 1 or len(items) < MIN_ITEMS or not _can_fork():
        return [fn(x) for x in (progress(items, label) if progress else items)]
    size = max(1, len(items) // (jobs * CHUNKS_PER_WORKER))
    bounds = [(i, min(i + size, len(items))) for i in range(0, len(items), size)]
    _job = (fn, items)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = iter([pool.submit(_run, start, stop) for start, stop in bounds])
            results: list[R] = []
            for i in (progress(range(len(items)), label) if progress else range(len(items))):
                if i == len(results):  # in input order; a worker's exception is raised here
                    results.extend(next(chunks).result())
            return results
    finally:
        _job = None
