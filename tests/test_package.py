"""The package as a newcomer gets it: README's virtual environment, an editable install that runs
README's demo command from the checkout, then a plain (non-editable) install of the wheel built
from the repository, which starts an archive with README's commands and builds it and the demo
from folders far from the checkout.

Dependencies are not downloaded (tests run offline): the new environment sees the running
environment's site-packages through a .pth line, after its own, so every file of Annalist itself
comes from the install under test (checked), and a template, static or data file missing from
the wheel fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import site
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from support import CONTENT, ROOT

pytestmark = pytest.mark.package

README = (ROOT / "README.md").read_text(encoding="utf-8")
SH_BLOCKS = re.findall(r"```sh\n(.+?)\n```", README, flags=re.S)
VENV_COMMAND, DEMO_COMMAND = SH_BLOCKS[0].strip().split(" && python3 -m pip", 1)  # README's first command
DEMO_COMMAND = "python3 -m pip" + DEMO_COMMAND
NEW_COMMAND = re.search(r"## Start your own archive.+?```sh\n(.+?)\n```", README, flags=re.S).group(1).strip()
IGNORED = shutil.ignore_patterns(".git", ".venv", "site", ".site*", "build", "dist", "*.egg-info", "__pycache__",
                                 "*.pyc", "node_modules", ".pytest_cache")


def repo_files(folder: str) -> set[str]:
    return {p.relative_to(ROOT / folder).as_posix() for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def run(command: str, cwd: Path, venv: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    """A shell command as a newcomer types it: python3 is the running interpreter until the venv is
    activated; no PYTHONPATH, no SOURCE_DATE_EPOCH."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOURCE_DATE_EPOCH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([str(venv / "bin"), str(Path(sys.executable).parent), env.get("PATH", "")])
    done = subprocess.run(["bash", "-c", f"set -e\n{command}"], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """README's virtual environment, and a copy of the repository to build from (never the checkout)."""
    home = tmp_path_factory.mktemp("newcomer")
    src = home / "annalist-src"
    shutil.copytree(ROOT, src, ignore=IGNORED)
    run(VENV_COMMAND, home, home / ".venv")  # README's first command: its virtual environment
    venv = home / ".venv"
    purelib = Path(run('python3 -c "import sysconfig; print(sysconfig.get_path(\'purelib\'))"', home, venv)
                   .stdout.strip())
    assert purelib.is_relative_to(venv)
    (purelib / "zz_test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    # Python < 3.12 seeds a venv with an old setuptools that cannot build wheels alone; the pinned one
    # (a test dependency) then comes through the .pth line.
    run("python3 -m pip uninstall -q -y setuptools || true", home, venv)  # absent from 3.12 on
    return home, src, venv


def where_annalist_runs_from(home: Path, venv: Path) -> tuple[Path, Path]:
    out = run('python3 -c "import annalist.resources as r; print(r.PACKAGE_DIR); print(r.TEMPLATES_DIR)"', home, venv)
    package, templates = out.stdout.split()
    return Path(package), Path(templates)


def test_editable_install_runs_readme_demo_command_from_the_checkout(world):
    home, src, venv = world
    # README: `python3 -m pip install -e . && python3 build.py`, with the dependencies already present.
    command = DEMO_COMMAND.replace("pip install -e .", "pip install -q --no-deps --no-build-isolation -e .")
    assert command != DEMO_COMMAND
    done = run(f". {venv}/bin/activate\n{command}", src, venv)
    assert re.search(r"built 5 articles, \d+ pages, \d+ files into site/", done.stderr), done.stderr
    assert (src / "site" / "index.html").is_file() and (src / "site" / "_pagefind" / "other" / "pagefind.js").is_file()
    package, templates = where_annalist_runs_from(home, venv)
    assert package == src / "annalist" and templates == src / "templates"
    run("python3 -m pip uninstall -q -y annalist", home, venv)


def test_plain_install_of_the_wheel_starts_an_archive_and_builds_it_and_the_demo(world):
    home, src, venv = world
    dist = home / "dist"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                           "-w", str(dist), str(src)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    wheel = next(dist.glob("annalist-*.whl"))

    # Every file of the look and every data file under annalist/ is in the wheel, inside the package.
    with zipfile.ZipFile(wheel) as z:
        shipped = set(z.namelist())
    expected = ({f"annalist/templates/{f}" for f in repo_files("templates")}
                | {f"annalist/static/{f}" for f in repo_files("static")}
                | {f"annalist/{f}" for f in repo_files("annalist")})
    assert expected - shipped == set()
    assert not [n for n in shipped if "__pycache__" in n or n.endswith(".pyc")]

    run(f"python3 -m pip install -q --no-deps --no-index {wheel}", home, venv)
    package, templates = where_annalist_runs_from(home, venv)
    assert package.is_relative_to(venv) and templates == package / "templates"
    shown = re.search(r'`(python3 -c "import annalist\.resources.+?")`', README).group(1)  # README's own
    assert Path(run(shown, home, venv).stdout.strip()) == templates and (templates / "base.html").is_file()

    # README's "Start your own archive", as written, in a folder of the user's own.
    work = home / "work"
    work.mkdir()
    done = run(f". {venv}/bin/activate\n{NEW_COMMAND}", work, venv)
    site_dir = work / "my-archive" / "site"
    assert re.search(r"built 1 article, \d+ pages, \d+ files into site/", done.stderr), done.stderr
    assert "base_url is empty" in done.stderr
    static = {p.relative_to(site_dir / "static").as_posix() for p in (site_dir / "static").rglob("*") if p.is_file()}
    assert repo_files("static") <= static
    primary = json.loads((site_dir / "_pagefind" / "bundles.json").read_text())["bundles"][0]
    assert (site_dir / "_pagefind" / primary / "pagefind.js").is_file()  # the primary bundle: the only one
    # Honest dates: no SOURCE_DATE_EPOCH and no edition_date, so this is the day of the build.
    page = next((site_dir / "articles").glob("*.html")).read_text(encoding="utf-8")
    today = date.today()
    assert f"Accessed {today:%B} {today.day}, {today.year}" in page
    bib = next((site_dir / "data" / "cite").glob("*.bib")).read_text(encoding="utf-8")
    assert f"{today.isoformat()}" in bib

    # The demo, copied away from the checkout (so nothing can come from the repository's folders).
    demo = home / "demo"
    shutil.copytree(CONTENT, demo / "content")
    own_404 = re.search(r"```html\n(.+?)```", README, flags=re.S).group(1)  # README's "Own the look"
    (demo / "templates").mkdir()
    (demo / "templates" / "404.html").write_text(own_404, encoding="utf-8")
    done = run("annalist build --no-search --base-url https://archive.example.org/palmyra/", demo, venv)
    assert re.search(r"built 5 articles, \d+ pages, \d+ files into site/; 0 errors", done.stderr), done.stderr
    assert "https://archive.example.org/palmyra/articles/" in (demo / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<h1>Not in this archive</h1>" in (demo / "site" / "404.html").read_text(encoding="utf-8")
    assert run("annalist verify site", demo, venv).returncode == 0
