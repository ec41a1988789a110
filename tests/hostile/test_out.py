"""`--out`: only an empty folder, a folder an earlier build made, or a new path. Every refusal is
one line, exit status 1, and nothing on disk changes (issue 9, point 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annalist.cli import main
from annalist.publish.output import MARKER
from annalist.resources import PACKAGE_DIR
from conftest import tree
from support import copy_content


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A curator's project folder: content/, a thesis, notes; the command runs inside it."""
    root = tmp_path / "project"
    root.mkdir()
    copy_content(root)
    (root / "thesis").mkdir()
    (root / "thesis" / "chapter1.md").write_text("Years of work.\n", encoding="utf-8")
    (root / "notes.txt").write_text("Reading-room notes.\n", encoding="utf-8")
    (root / "empty").mkdir()
    os.symlink("thesis", root / "link-to-thesis")
    monkeypatch.chdir(root)
    return root


def refused(project, capsys, out, message):
    before = tree(project.parent)
    capsys.readouterr()
    status = main(["build", "--content", "content", "--out", str(out), "--no-search"])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert err == [f"error: --out {message}", f"build failed; {out} was left as it was"]
    assert tree(project.parent) == before


def test_the_content_folder_is_refused(project, capsys):
    c = project / "content"
    refused(project, capsys, "content", f"{c} is the content folder ({c}); choose another --out, e.g. site")


def test_a_folder_inside_the_content_folder_is_refused(project, capsys):
    c = project / "content"
    refused(project, capsys, "content/sources",
            f"{c}/sources is inside the content folder ({c}); choose another --out, e.g. site")


def test_the_project_folder_is_refused(project, capsys):
    refused(project, capsys, ".", f"{project} holds the content folder ({project / 'content'}); choose another --out, e.g. site")


def test_a_folder_above_the_project_is_refused(project, capsys):
    refused(project, capsys, "..",
            f"{project.parent} holds the content folder ({project / 'content'}); choose another --out, e.g. site")


def test_the_folder_the_command_runs_in_is_refused(project, capsys, monkeypatch):
    monkeypatch.chdir(project / "thesis")
    before = tree(project.parent)
    status = main(["build", "--content", str(project / "content"), "--out", ".", "--no-search"])
    assert status == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        f"error: --out {project / 'thesis'} is the folder the command runs in, or holds it; choose another --out, e.g. site")
    assert tree(project.parent) == before


def test_a_folder_of_the_users_files_is_refused(project, capsys):
    refused(project, capsys, "thesis",
            f"{project / 'thesis'} is a folder of other files (not made by annalist build, no {MARKER}); "
            "the build replaces its output whole, so give an empty folder or a new path")


def test_an_existing_file_is_refused(project, capsys):
    refused(project, capsys, "notes.txt",
            f"{project / 'notes.txt'} is a file, not a folder; the build writes a folder (choose another --out)")


def test_a_path_under_a_file_is_refused(project, capsys):
    refused(project, capsys, "notes.txt/site", f"{project / 'notes.txt'} is a file, not a folder")


def test_a_symbolic_link_is_refused(project, capsys):
    refused(project, capsys, "link-to-thesis",
            f"{project / 'link-to-thesis'} is a symbolic link; give the real folder as --out")


def test_annalists_own_folder_is_refused(project, capsys):
    refused(project, capsys, PACKAGE_DIR,
            f"{PACKAGE_DIR} holds Annalist's own files; choose another --out, e.g. site")


def test_a_folder_holding_annalist_is_refused(project, capsys):
    refused(project, capsys, PACKAGE_DIR.parent,
            f"{PACKAGE_DIR.parent} holds Annalist's own files; choose another --out, e.g. site")


def test_a_marked_site_holding_the_content_is_still_refused(project, capsys):
    (project / MARKER).write_text("x", encoding="utf-8")
    refused(project, capsys, ".", f"{project} holds the content folder ({project / 'content'}); choose another --out, e.g. site")


def test_an_empty_folder_a_new_path_and_an_earlier_build_are_accepted(project, capsys):
    assert main(["build", "--content", "content", "--out", "empty", "--no-search"]) == 0
    assert (project / "empty" / "index.html").is_file() and (project / "empty" / MARKER).is_file()
    assert main(["build", "--content", "content", "--out", "new/deeper/site", "--no-search"]) == 0
    assert (project / "new/deeper/site/index.html").is_file()
    assert main(["build", "--content", "content", "--out", "empty", "--no-search"]) == 0  # made by a build
    assert (project / "thesis" / "chapter1.md").read_text(encoding="utf-8") == "Years of work.\n"
    assert sorted(p.name for p in project.iterdir()) == [  # and the build's cache, beside content/ (README)
        ".annalist-cache", "content", "empty", "link-to-thesis", "new", "notes.txt", "thesis"]


def test_a_site_built_before_the_marker_existed_is_accepted_a_bagit_bag_is_not(project, capsys):
    old = project / "old-site"
    for rel in ("manifest-sha256.txt", "index.html", "static/search-index.js"):
        (old / rel).parent.mkdir(parents=True, exist_ok=True)
        (old / rel).write_text("x", encoding="utf-8")
    assert main(["build", "--content", "content", "--out", "old-site", "--no-search"]) == 0
    bag = project / "bag"
    (bag / "data").mkdir(parents=True)
    for rel in ("manifest-sha256.txt", "bagit.txt", "data/letter.txt"):
        (bag / rel).write_text("x", encoding="utf-8")
    refused(project, capsys, "bag",
            f"{bag} is a folder of other files (not made by annalist build, no {MARKER}); "
            "the build replaces its output whole, so give an empty folder or a new path")
