"""The swap is atomic and kill-proof; staging folders of killed builds are removed by the next
build (issue 9, point 7)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from annalist.publish import output
from annalist.cli import main
from annalist.publish.fixity import verify
from support import ROOT, SOURCE_DATE_EPOCH, copy_content


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def built(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
    content = copy_content(tmp_path)
    site = tmp_path / "site"
    assert main(["build", "--content", str(content), "--out", str(site), "--no-search"]) == 0
    return content, site


def test_exchange_is_one_atomic_step_on_this_system(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "new").touch(), (b / "old").touch()
    assert output._exchange(a, b)
    assert [p.name for p in b.iterdir()] == ["new"] and [p.name for p in a.iterdir()] == ["old"]


def test_stale_staging_and_old_folders_are_removed_by_the_next_build(built, capsys):
    content, site = built
    pid = dead_pid()
    for kind in ("building", "old"):
        stale = site.with_name(f".site.{kind}-{pid}")
        stale.mkdir()
        (stale / "index.html").write_text("half", encoding="utf-8")
    live = site.with_name(f".site.building-{os.getpid()}")  # this process: still running, kept
    capsys.readouterr()
    assert main(["build", "--content", str(content), "--out", str(site), "--no-search"]) == 0
    err = capsys.readouterr().err
    assert f"warning: site: removed .site.building-{pid}, left by a build that was killed" in err
    assert f"warning: site: removed .site.old-{pid}, left by a build that was killed" in err
    assert sorted(p.name for p in site.parent.iterdir() if p.name != ".annalist-cache") == ["content", "site"]  # the cache: README
    assert not live.exists()  # the build's own staging folder is gone after its swap


def test_a_kill_between_two_renames_loses_nothing(built, capsys):
    """Where renameat2 is missing, the swap is two renames; a kill between them leaves the site
    as .site.old-<pid>, and the next build puts it back before anything else -- even one that fails."""
    content, site = built
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    site.rename(site.with_name(f".site.old-{dead_pid()}"))
    (content / "annalist.yaml").write_text("language: [\n", encoding="utf-8")
    assert main(["build", "--content", str(content), "--out", str(site), "--no-search"]) == 1
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in site.parent.iterdir() if p.name != ".annalist-cache") == ["content", "site"]  # the cache: README


@pytest.mark.parametrize("delay", [0.4, 1.2, 2.0, 2.8])
def test_kill_9_at_any_moment_leaves_an_intact_site(built, delay):
    content, site = built
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    process = subprocess.Popen([sys.executable, "-m", "annalist.cli", "build", "--content", str(content),
                                "--out", str(site), "--no-search"], env=env, cwd=str(site.parent),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert site.is_dir() and verify(site) == []  # the previous site or the new one, whole
    assert main(["build", "--content", str(content), "--out", str(site), "--no-search"]) == 0
    assert sorted(p.name for p in site.parent.iterdir() if p.name != ".annalist-cache") == ["content", "site"]  # the cache: README
    assert verify(site) == []
