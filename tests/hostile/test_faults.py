"""Faults of the machine, not of the input: a full disk, a read-only folder, a Pagefind process
that panics or hangs, a copy whose manifest is not text. Each ends with one line naming the
file, the previous site as it was, no staging folder left, never a hang (issue 9, points 6 and 8)."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys

import pytest

from annalist.publish import search
from annalist.cli import main
from annalist.pipeline import BuildFailed, build
from conftest import tree
from support import CONTENT, ROOT, SOURCE_DATE_EPOCH


@pytest.fixture
def previous(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    site = tmp_path / "out" / "site"
    assert main(["build", "--content", str(CONTENT), "--out", str(site), "--no-search"]) == 0
    return site


def limited_build(site, max_bytes: int, search: bool) -> subprocess.CompletedProcess:
    """`annalist build` in a process that may not write a file larger than max_bytes: what a full
    disk does to each write (the kernel answers EFBIG instead of ENOSPC, through the same path)."""

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    # --no-cache: the build writes every file (a build reusing the previous site would write few)
    args = [sys.executable, "-m", "annalist.cli", "build", "--content", str(CONTENT), "--out", str(site), "--no-cache"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(args + ([] if search else ["--no-search"]), env=env, preexec_fn=limit,
                          capture_output=True, text=True, timeout=300)


def test_disk_full_while_writing_pages_is_one_line_and_keeps_the_site(previous):
    assert max(p.stat().st_size for p in previous.rglob("*") if p.is_file()) > 20_000
    before = tree(previous.parent)
    done = limited_build(previous, 20_000, search=False)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith(f"error: {previous.parent}/.site.building-") and lines[0].endswith(
        ": cannot write the site: File too large")
    assert lines[1] == f"build failed; {previous} was left as it was"
    assert tree(previous.parent) == before


def test_disk_full_while_pagefind_writes_is_one_line_and_keeps_the_site(previous):
    largest = max(p.stat().st_size for p in previous.rglob("*") if p.is_file())
    limit = largest + 8192  # every file Annalist writes fits; Pagefind's UI script (120 kB) does not
    if limit > 110_000:
        pytest.skip(f"a page of {largest:,} bytes: no limit separates Annalist's files from Pagefind's")
    before = tree(previous.parent)
    done = limited_build(previous, limit, search=True)
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 2 and "Traceback" not in done.stderr and "JSONDecodeError" not in done.stderr, done.stderr
    # the kernel stops a process writing past the limit with SIGXFSZ (on a full disk: ENOSPC, its message)
    assert lines[0] == "error: _pagefind: Pagefind stopped (killed by signal SIGXFSZ)", lines[0]
    assert tree(previous.parent) == before


@contextlib.contextmanager
def read_only(folder):
    """A folder no one may write in: chmod for a user, the immutable attribute for root."""
    if os.geteuid() != 0:
        folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
        try:
            yield
        finally:
            folder.chmod(stat.S_IRWXU)
        return
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i: cannot make a read-only folder")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


def test_a_read_only_output_folder_is_one_line_and_keeps_the_site(previous, capsys):
    before = tree(previous.parent)
    capsys.readouterr()
    with read_only(previous.parent):
        status = main(["build", "--content", str(CONTENT), "--out", str(previous), "--no-search", "--no-cache"])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err[0].startswith(f"error: {previous.parent}/.site.building-")
    assert err[0].endswith((": cannot write the site: Permission denied", ": cannot write the site: Operation not permitted"))
    assert len(err) == 2
    assert tree(previous.parent) == before


def fake_pagefind(tmp_path, script: str):
    path = tmp_path / "pagefind"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)
    return path


def test_a_pagefind_panic_ends_the_build_with_its_message(tmp_path, previous, monkeypatch):
    panic = "thread 'main' panicked at src/fossick/mod.rs:142:51: index out of bounds"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, f'echo "{panic}" >&2\nexit 101\n')))
    before = tree(previous.parent)
    with pytest.raises(BuildFailed) as failed:
        build(CONTENT, previous)
    assert str(failed.value) == f"error: _pagefind: Pagefind stopped (exit status 101): {panic}"
    assert tree(previous.parent) == before


def test_a_pagefind_that_never_answers_ends_the_build(tmp_path, previous, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake_pagefind(tmp_path, "exec sleep 600\n")))
    monkeypatch.setattr(search, "PAGEFIND_TIMEOUT", 2.0)
    with pytest.raises(BuildFailed) as failed:
        build(CONTENT, previous)
    assert str(failed.value) == "error: _pagefind: Pagefind did not answer within 2 s"


def test_a_missing_pagefind_is_one_line(tmp_path, previous, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildFailed) as failed:
        build(CONTENT, previous)
    assert str(failed.value) == "error: _pagefind: cannot start Pagefind: No such file or directory"


def test_verify_names_a_manifest_line_that_is_not_utf8(previous, capsys):
    manifest = previous / "manifest-sha256.txt"
    lines = manifest.read_bytes().count(b"\n")
    manifest.write_bytes(manifest.read_bytes() + b"\xff\xfe  x\n")
    assert main(["verify", str(previous)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [f"malformed: manifest-sha256.txt line {lines + 1} (not UTF-8)"]
    assert "Traceback" not in captured.err


def test_verify_of_a_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["verify", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err == f"error: {tmp_path / 'nowhere'}: no such folder\n"
