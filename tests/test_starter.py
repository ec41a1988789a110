"""`annalist new`: a small archive that builds as it is, in its own folder; missing authority file
and manifest build as empty; the archive's own templates/ and static/ override the package's."""

from __future__ import annotations

import re

import yaml

from annalist.cli import main
from annalist.resources import STATIC_DIR
from support import ROOT, SOURCE_DATE_EPOCH

README = (ROOT / "README.md").read_text(encoding="utf-8")


def new(tmp_path, capsys, name="my-archive"):
    target = tmp_path / name
    assert main(["new", str(target)]) == 0
    capsys.readouterr()
    return target


def build_here(archive, monkeypatch, capsys, *options) -> tuple[int, str]:
    """`cd archive && annalist build`, as README says."""
    monkeypatch.chdir(archive)
    code = main(["build", "--no-search", *options])
    return code, capsys.readouterr().err


def test_new_writes_a_small_commented_archive(tmp_path, capsys):
    archive = new(tmp_path, capsys)
    files = sorted(p.relative_to(archive).as_posix() for p in archive.rglob("*") if p.is_file())
    assert files == [".gitignore", "content/annalist.yaml", "content/entities.yaml",
                     "content/sources.yaml", "content/sources/example.txt"]
    for name in ("annalist.yaml", "entities.yaml", "sources.yaml"):
        text = (archive / "content" / name).read_text(encoding="utf-8")
        assert text.startswith("# ") and yaml.safe_load(text)
    entities = yaml.safe_load((archive / "content" / "entities.yaml").read_text(encoding="utf-8"))
    assert sorted(e["type"] for e in entities) == ["group", "organisation", "person", "place"]
    assert "site/" in (archive / ".gitignore").read_text(encoding="utf-8").split()


def test_new_refuses_a_folder_with_files_in_it(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(tmp_path) in err and "not empty" in err
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_new_archive_builds_into_its_site_folder(tmp_path, monkeypatch, capsys):
    archive = new(tmp_path, capsys)
    code, err = build_here(archive, monkeypatch, capsys)
    assert code == 0, err
    assert (archive / "site" / "index.html").is_file()
    assert {p.stem for p in (archive / "site" / "entities").glob("*.html")} >= {
        "irina-bokova", "palmyra", "unesco", "palmyrenes"}
    # The summary says where the site went, how to open it, with singular and plural right.
    assert re.search(r"built 1 article, \d+ pages, \d+ files into site/; 0 errors, 0 warnings;", err), err
    assert "open site/index.html in a browser" in err and "`annalist serve`" in err
    assert err.count("note: annalist.yaml: base_url is empty") == 1


def test_summary_counts_in_the_singular_and_the_plural(tmp_path):
    import io

    from annalist.model import Problem
    from annalist.pipeline import BuildResult, report

    stream = io.StringIO()
    report(BuildResult(1, 1, 1, [Problem("a.txt", "bad"), Problem("b.txt", "odd", severity="warning")], 0.25,
                       tmp_path / "out"), stream)
    assert f"built 1 article, 1 page, 1 file into {tmp_path / 'out'}/; 1 error, 1 warning; 0.2 s" in stream.getvalue()
    assert f"open {tmp_path / 'out' / 'index.html'} in a browser" in stream.getvalue()


def test_summary_names_another_output_folder_and_how_to_serve_it(tmp_path, monkeypatch, capsys):
    archive = new(tmp_path, capsys)
    code, err = build_here(archive, monkeypatch, capsys, "--out", "preview site")
    assert code == 0 and (archive / "preview site" / "index.html").is_file()
    assert "into preview site/" in err and "`annalist serve --out 'preview site'`" in err


def test_missing_authority_file_and_manifest_build_as_empty(tmp_path, monkeypatch, capsys):
    archive = new(tmp_path, capsys)
    (archive / "content" / "entities.yaml").unlink()
    (archive / "content" / "sources.yaml").unlink()
    code, err = build_here(archive, monkeypatch, capsys)
    assert code == 0, err
    assert "Traceback" not in err and "built 1 article," in err
    assert not list((archive / "site" / "entities").glob("palmyra.html"))  # nothing known yet


def test_entities_in_a_new_archive_with_and_without_review(tmp_path, monkeypatch, capsys):
    archive = new(tmp_path, capsys)
    monkeypatch.chdir(archive)
    assert main(["entities"]) == 0  # as the authority file's comment suggests: no usage error
    assert "Traceback" not in capsys.readouterr().err
    assert main(["entities", "--review"]) == 0
    assert "Phnom Penh" in capsys.readouterr().out


def test_an_empty_content_folder_builds_an_empty_archive_and_says_so(tmp_path, monkeypatch, capsys):
    (tmp_path / "content").mkdir()
    code, err = build_here(tmp_path, monkeypatch, capsys)
    assert code == 0 and (tmp_path / "site" / "index.html").is_file()
    assert "note: sources/: no articles yet" in err and "built 0 articles," in err


def test_a_folder_without_content_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    err = capsys.readouterr().err
    assert "no such content folder" in err and "annalist new" in err and "Traceback" not in err
    assert not (tmp_path / "site").exists()


def test_an_archive_owns_its_look(tmp_path, monkeypatch, capsys):
    """README's example template is used; a replaced static file wins, an added one ships, and
    everything not replaced comes from the package."""
    archive = new(tmp_path, capsys)
    example = re.search(r"```html\n(.+?)```", README, flags=re.S).group(1)
    (archive / "templates").mkdir()
    (archive / "templates" / "404.html").write_text(example, encoding="utf-8")
    (archive / "static" / "css").mkdir(parents=True)
    (archive / "static" / "css" / "annalist.css").write_text("body { color: #222; }\n", encoding="utf-8")
    (archive / "static" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    code, err = build_here(archive, monkeypatch, capsys)
    assert code == 0, err
    site = archive / "site"
    page = (site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Not in this archive</h1>" in page and "<h1>Page not found</h1>" not in page
    assert "My news archive · edition 1" in page  # the package's base.html still frames it
    assert (site / "static" / "css" / "annalist.css").read_text(encoding="utf-8") == "body { color: #222; }\n"
    assert (site / "static" / "logo.svg").is_file()
    assert (site / "static" / "js" / "search.js").read_bytes() == (STATIC_DIR / "js" / "search.js").read_bytes()


def test_edition_date_reaches_every_citation_format(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)  # 2023-11-14
    archive = new(tmp_path, capsys)
    assert build_here(archive, monkeypatch, capsys)[0] == 0
    site = archive / "site"
    page = next((site / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert "Accessed November 14, 2023" in page  # Chicago
    assert "Accessed 14 Nov. 2023" in page  # MLA
    assert "built 14 November 2023" in page
    bib = next((site / "data" / "cite").glob("*.bib")).read_text(encoding="utf-8")
    assert re.search(r"urldate\s*=\s*\{2023-11-14\}", bib)
    ris = next((site / "data" / "cite").glob("*.ris")).read_text(encoding="utf-8")
    assert "Y2  - 2023/11/14/" in ris
    csl = next((site / "data" / "cite").glob("*.json")).read_text(encoding="utf-8")
    assert re.search(r'"accessed":\s*\{\s*"date-parts":\s*\[\s*\[\s*2023,\s*11,\s*14\s*\]', csl), csl


def test_without_source_date_epoch_citations_carry_the_edition_date(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    archive = new(tmp_path, capsys)
    settings = archive / "content" / "annalist.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('edition_date: ""', "edition_date: 2026-05-01"),
                        encoding="utf-8")
    assert build_here(archive, monkeypatch, capsys)[0] == 0
    page = next((archive / "site" / "articles").glob("*.html")).read_text(encoding="utf-8")
    assert "Accessed May 1, 2026" in page and "built 1 May 2026" in page


def test_a_template_failing_while_rendering_is_named_with_its_line(tmp_path, monkeypatch, capsys):
    archive = new(tmp_path, capsys)
    assert build_here(archive, monkeypatch, capsys)[0] == 0
    before = (archive / "site" / "404.html").read_bytes()
    (archive / "templates").mkdir()
    (archive / "templates" / "404.html").write_text(
        '{% extends "base.html" %}\n{% block main %}\n<h1>{{ no_such_thing.title() }}</h1>\n{% endblock %}\n',
        encoding="utf-8")
    code, err = build_here(archive, monkeypatch, capsys)
    assert code == 1 and "Traceback" not in err
    assert "templates/404.html:3: template error" in err and "no_such_thing" in err, err
    assert (archive / "site" / "404.html").read_bytes() == before


def test_a_broken_template_of_the_archive_is_a_one_line_error_and_the_site_stays(tmp_path, monkeypatch, capsys):
    archive = new(tmp_path, capsys)
    assert build_here(archive, monkeypatch, capsys)[0] == 0
    before = (archive / "site" / "404.html").read_bytes()
    (archive / "templates").mkdir()
    (archive / "templates" / "404.html").write_text('{% extends "base.html" %}\n{% block main %}\n<h1>Gone', encoding="utf-8")
    code, err = build_here(archive, monkeypatch, capsys)
    assert code == 1 and "Traceback" not in err
    assert "templates/404.html:3: template error" in err, err
    assert (archive / "site" / "404.html").read_bytes() == before
