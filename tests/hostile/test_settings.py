"""Broken settings, authority file, manifest and corrections: one line each naming the file
(and line), never a traceback; a broken settings or authority file stops the build and leaves
the previous site as it was, the others let the rest build (issue 9, points 6, 8, 10)."""

from __future__ import annotations

import os
import shutil

import pytest

from annalist.cli import main
from conftest import tree
from support import CONTENT, SOURCE_DATE_EPOCH

YNET = "2016-03-27-ynetnews-syrian-military-allies-takes-control-of-palmyra"
MANIFEST_LINES = (CONTENT / "sources.yaml").read_bytes().count(b"\n")
TRT = "2016-03-27-trt-world-syrian-regime-recaptures-palmyra-from-daesh"


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A site built from the seeds, which every failed build below must leave as it was."""
    root = tmp_path_factory.mktemp("settings")
    site = root / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        assert main(["build", "--content", str(CONTENT), "--out", str(site), "--no-search"]) == 0
    return site


def build(tmp_path, site, change, capsys) -> tuple[int, list[str]]:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    change(content)
    capsys.readouterr()
    status = main(["build", "--content", str(content), "--out", str(site), "--no-search"])
    return status, capsys.readouterr().err.splitlines()


FATAL = {
    "settings not UTF-8": (
        lambda c: (c / "annalist.yaml").write_bytes(b"name: Caf\xe9\n"),
        ["error: annalist.yaml:1: not UTF-8 text (byte 0xe9); save it as UTF-8"]),
    "settings nested 5,000 deep": (
        lambda c: (c / "annalist.yaml").write_text("name: " + "[" * 5000, encoding="utf-8"),
        ["error: annalist.yaml:1: YAML nested too deeply (more than 100 levels of [ or {)"]),
    "30-character language and javascript: base_url": (
        lambda c: (c / "annalist.yaml").write_text(
            "language: abcdefghijklmnopqrstuvwxyzabcd\nbase_url: javascript:alert(1)\n", encoding="utf-8"),
        ["error: annalist.yaml: language 'abcdefghijklmnopqrstuvwxyzabcd' is not a BCP 47 language tag such as 'en' or 'pt-BR'",
         "error: annalist.yaml: base_url 'javascript:alert(1)' must be an http:// or https:// URL (or empty)"]),
    "language with a path in it": (
        lambda c: (c / "annalist.yaml").write_text("language: en/../x\n", encoding="utf-8"),
        ["error: annalist.yaml: language 'en/../x' is not a BCP 47 language tag such as 'en' or 'pt-BR'"]),
    "base_url of another scheme": (
        lambda c: (c / "annalist.yaml").write_text("base_url: 'data:text/html,<script>x</script>'\n", encoding="utf-8"),
        ["error: annalist.yaml: base_url 'data:text/html,<script>x</script>' must be an http:// or https:// URL (or empty)"]),
    "settings broken YAML": (
        lambda c: (c / "annalist.yaml").write_text("name: [\n", encoding="utf-8"),
        ["error: annalist.yaml:2: broken YAML: expected the node content, but found '<stream end>'"]),
    "settings a list": (
        lambda c: (c / "annalist.yaml").write_text("- a\n", encoding="utf-8"),
        ["error: annalist.yaml: expected a mapping of settings"]),
    "setting a mapping": (
        lambda c: (c / "annalist.yaml").write_text("name: {a: 1}\n", encoding="utf-8"),
        ["error: annalist.yaml: setting 'name' must be text"]),
    "authority not UTF-8": (
        lambda c: (c / "entities.yaml").write_bytes(b"- id: caf\n  name: Caf\xe9\n  type: place\n"),
        ["error: entities.yaml:2: not UTF-8 text (byte 0xe9); save it as UTF-8"]),
    "authority nested 5,000 deep": (
        lambda c: (c / "entities.yaml").write_text("- id: x\n  name: " + "[" * 5000, encoding="utf-8"),
        ["error: entities.yaml:2: YAML nested too deeply (more than 100 levels of [ or {)"]),
    "authority a link out of content/": (
        lambda c: ((c / "entities.yaml").unlink(), os.symlink("/etc/passwd", c / "entities.yaml")),
        ["error: entities.yaml: a symbolic link to a file outside the content folder; refused"]),
    "authority id of 300 characters": (
        lambda c: (c / "entities.yaml").write_text("- id: " + "a" * 300 + "\n  name: A\n  type: place\n", encoding="utf-8"),
        [f"error: entities.yaml:1: {'a' * 300}: id '{'a' * 300}' is longer than 120 characters (it names a page)"]),
}


@pytest.mark.parametrize("case", FATAL, ids=list(FATAL))
def test_a_broken_settings_or_authority_file_stops_the_build_in_one_line_each(tmp_path, previous, capsys, case):
    change, lines = FATAL[case]
    before = tree(previous)
    status, err = build(tmp_path, previous, change, capsys)
    assert status == 1
    assert err == lines + [f"build failed; {previous} was left as it was"]
    assert tree(previous) == before


def test_a_missing_authority_file_builds_with_no_entities(tmp_path, capsys):
    status, err = build(tmp_path, tmp_path / "site", lambda c: (c / "entities.yaml").unlink(), capsys)
    assert status == 0
    assert not [line for line in err if line.startswith("error: ")] and "Traceback" not in "\n".join(err)
    assert (tmp_path / "site" / "articles" / f"{YNET}.html").is_file()


def test_broken_corrections_and_manifest_are_one_line_each_and_the_rest_builds(tmp_path, capsys):
    def change(c):
        (c / "corrections").mkdir()
        (c / "corrections" / f"{YNET}.md").write_text("---\ntitle: [\n---\n\nbody\n", encoding="utf-8")
        (c / "corrections" / f"{TRT}.md").write_text("---\na: " + "{" * 5000 + "\n---\n", encoding="utf-8")
        (c / "corrections" / "2016-03-25-trt-world-syrian-regime-forces-retake-palmyra-citadel-from-daesh.md") \
            .write_bytes(b"---\ntitle: Caf\xe9\n---\n")

    status, err = build(tmp_path, tmp_path / "site", change, capsys)
    assert status == 1
    errors = [line for line in err if line.startswith("error: ")]
    assert errors == [
        "error: corrections/2016-03-25-trt-world-syrian-regime-forces-retake-palmyra-citadel-from-daesh.md:2: "
        "unreadable correction, generated text used instead: not UTF-8 text (byte 0xe9); save it as UTF-8",
        f"error: corrections/{TRT}.md:2: unreadable correction, generated text used instead: "
        "YAML nested too deeply (more than 100 levels of [ or {)",
        f"error: corrections/{YNET}.md:2: unreadable correction, generated text used instead: "
        "broken YAML: expected the node content, but found '<stream end>'",
    ]
    assert "Traceback" not in "\n".join(err)
    assert len(list((tmp_path / "site" / "articles").glob("*.html"))) == 5


@pytest.mark.parametrize("data, line, message", [
    (b"\n# caf\xe9\n", MANIFEST_LINES + 2, "not UTF-8 text (byte 0xe9); save it as UTF-8"),
    (b"\nx.txt: " + b"{" * 5000, MANIFEST_LINES + 2, "YAML nested too deeply (more than 100 levels of [ or {)"),
])
def test_a_broken_manifest_is_one_line_and_the_articles_still_build(tmp_path, capsys, data, line, message):
    status, err = build(tmp_path, tmp_path / "site",
                        lambda c: (c / "sources.yaml").write_bytes((c / "sources.yaml").read_bytes() + data), capsys)
    assert status == 1
    assert [line for line in err if line.startswith("error: ")] == [f"error: sources.yaml:{line}: {message}"]
    assert len(list((tmp_path / "site" / "articles").glob("*.html"))) == 5


def test_entities_review_with_a_broken_settings_file_is_one_line(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "annalist.yaml").write_text("language: en/../x\n", encoding="utf-8")
    assert main(["entities", "--review", "--content", str(content)]) == 1
    assert capsys.readouterr().err == (
        "error: annalist.yaml: language 'en/../x' is not a BCP 47 language tag such as 'en' or 'pt-BR'\n")


def test_a_registry_of_ids_nested_5000_deep_is_one_line(tmp_path, previous, capsys):
    before = tree(previous)
    status, err = build(tmp_path, previous, lambda c: (c / "ids.yaml").write_text("a: " + "[" * 5000, encoding="utf-8"), capsys)
    assert status == 1
    assert len(err) == 2 and err[0].startswith("error: ids.yaml: unreadable record of published ids (")
    assert err[1] == f"build failed; {previous} was left as it was"
    assert tree(previous) == before
