"""Per-article stages across processes (annalist/parallel.py): same results, same order, same site."""

from __future__ import annotations

import os
import shutil

import pytest

from annalist import parallel, pipeline
from support import CORPORA, SOURCE_DATE_EPOCH, copy_content

from test_pipeline import tree_digest

BBC = CORPORA / "bulk" / "bbc"


def _square(n: int) -> int:
    return n * n


def _pid(_: int) -> int:
    return os.getpid()


def _fails_on_seven(n: int) -> int:
    if n == 7:
        raise ValueError("item 7 is bad")
    return n


@pytest.mark.skipif(not parallel._can_fork(), reason="no fork on this platform: pmap is serial")
def test_pmap_runs_in_worker_processes_and_keeps_input_order():
    items = list(range(parallel.MIN_ITEMS * 3 + 5))  # uneven chunks
    assert parallel.pmap(_square, items, jobs=2) == [n * n for n in items]
    assert os.getpid() not in set(parallel.pmap(_pid, items, jobs=2))
    assert set(parallel.pmap(_pid, items, jobs=1)) == {os.getpid()}


@pytest.mark.skipif(not parallel._can_fork(), reason="no fork on this platform: pmap is serial")
def test_imap_hands_results_back_one_by_one_in_input_order():
    """What a build's article pages go through: each result can be written out and let go before
    the next one is taken, and the order is the input's."""
    items = list(range(parallel.MIN_ITEMS * 3 + 5))
    found = parallel.imap(_square, items, jobs=2)
    assert iter(found) is found  # a generator, not a list held whole
    assert next(found) == 0
    assert list(found) == [n * n for n in items[1:]]
    assert list(parallel.imap(_square, items[:3], jobs=2)) == [0, 1, 4]  # too few: serial
    with pytest.raises(ValueError, match="item 7 is bad"):
        list(parallel.imap(_fails_on_seven, items, jobs=2))


@pytest.mark.skipif(not parallel._can_fork(), reason="no fork on this platform: pmap is serial")
def test_fresh_workers_every_generation_same_results_in_order(monkeypatch):
    """Workers end every GENERATION items (so they never hold copies of the whole corpus): the
    results, their order and the progress bar are those of one pool."""
    monkeypatch.setattr(parallel, "GENERATION", parallel.MIN_ITEMS + 3)
    items = list(range(parallel.MIN_ITEMS * 3 + 5))  # three generations and a partial one
    ticks = []

    def progress(steps, label):
        for step in steps:
            ticks.append(step)
            yield step
        ticks.append("end")

    assert parallel.pmap(_square, items, jobs=2, progress=progress) == [n * n for n in items]
    assert ticks == [*range(len(items)), "end"]
    pids = parallel.pmap(_pid, items, jobs=2)
    assert len(set(pids[:parallel.GENERATION]) & set(pids[parallel.GENERATION:])) == 0  # other workers


def test_pmap_is_serial_for_few_items_and_passes_progress():
    seen = []

    def progress(items, label):
        seen.append(label)
        return iter(items)

    assert parallel.pmap(_pid, [1, 2, 3], jobs=2, progress=progress, label="x") == [os.getpid()] * 3
    assert seen == ["x"]


def test_a_failing_item_fails_the_map_with_its_own_error():
    with pytest.raises(ValueError, match="item 7 is bad"):
        parallel.pmap(_fails_on_seven, range(parallel.MIN_ITEMS * 2), jobs=2)


@pytest.mark.skipif(not parallel._can_fork(), reason="no fork on this platform: stream is serial")
def test_stream_reads_its_items_lazily_and_gives_results_in_order():
    """What the pages other than articles go through (pipeline._PageCache.write): items are taken
    only as the workers need them (a bounded window ahead, never the whole stream), results come
    back in input order, an item pickle cannot take is computed here in its place, and a
    worker's error is raised with its own message."""
    taken = []

    def items(n):
        for k in range(n):
            taken.append(k)
            yield k

    found = parallel.stream(_square, items(1000), jobs=2, batch=10, ahead=2)
    first = next(found)
    assert first == (0, 0)
    assert len(taken) <= 10 * (2 * 2 + 1) + 10  # the window: not the 1,000 items
    rest = list(found)
    assert [first, *rest] == [(k, k * k) for k in range(1000)]
    assert os.getpid() not in {pid for _, pid in parallel.stream(_pid, range(100), jobs=2, batch=5)}
    mixed = [1, 2, (lambda: 3), 4]  # a lambda does not pickle: its batch is computed here
    assert [r for _, r in parallel.stream(_kind, mixed, jobs=2, batch=1)] == ["int", "int", "function", "int"]
    assert [r for _, r in parallel.stream(_square, range(5), jobs=1)] == [0, 1, 4, 9, 16]
    with pytest.raises(ValueError, match="item 7 is bad"):
        list(parallel.stream(_fails_on_seven, range(50), jobs=2, batch=4))


def _kind(x) -> str:
    return type(x).__name__


def test_parallel_build_is_byte_identical_to_a_serial_one(tmp_path, monkeypatch):
    """The seeds (plus 40 BBC articles when ../shared/corpora is present), built with one process
    and with two, every per-article stage forced onto the pool: every file's bytes are equal."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    content = copy_content(tmp_path)
    if BBC.is_dir():
        for path in sorted(BBC.rglob("*.txt"))[::55][:40]:
            shutil.copyfile(path, content / "sources" / f"bbc-{path.parent.name}-{path.name}")
    serial = pipeline.build(content, tmp_path / "serial", jobs=1, reuse=False)  # nothing kept: both compute all
    parallel_run = pipeline.build(content, tmp_path / "parallel", jobs=2, reuse=False)
    assert serial.articles == parallel_run.articles >= 5
    assert [str(p) for p in serial.problems] == [str(p) for p in parallel_run.problems]
    assert tree_digest(tmp_path / "serial") == tree_digest(tmp_path / "parallel")


def test_jobs_option_takes_a_whole_number_of_processes(capsys):
    from annalist.cli import main

    for bad in ("0", "-2", "two"):
        with pytest.raises(SystemExit) as exit_:
            main(["build", "--jobs", bad])
        assert exit_.value.code == 2
        assert "--jobs: expected a whole number of processes, 1 or more" in capsys.readouterr().err


class _Box:
    def __init__(self, n: int) -> None:
        self.n = n


_BOXES = [_Box(n) for n in range(parallel.MIN_ITEMS * 2)]
_EXTRA = {"a": [1, 2, 3]}


def _with_box(box: _Box) -> tuple:
    return (box, _EXTRA, [box.n])


@pytest.mark.skipif(not parallel._can_fork(), reason="no fork on this platform: pmap is serial")
def test_results_bring_back_the_build_process_own_objects_not_copies():
    results = parallel.pmap(_with_box, _BOXES, jobs=2, shared=[_EXTRA])
    assert [r[0] for r in results] == _BOXES and all(r[0] is box for r, box in zip(results, _BOXES))
    assert all(r[1] is _EXTRA for r in results)  # passed as shared
    assert [r[2] for r in results] == [[b.n] for b in _BOXES]  # new values come back as values
    assert parallel._shared == {} and parallel._job is None
