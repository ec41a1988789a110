"""Where the package's own files are, and how an archive overrides them.

The look (templates/, static/) lives at the top of the repository and inside the installed package
(annalist/templates, annalist/static: see setup.py); this module finds whichever layout is present.
An archive overrides any of it with files of the same name in `templates/` and `static/` beside its
content folder (as MkDocs' custom_dir and Hugo's layouts do); what it does not override comes from
the package.
"""

from __future__ import annotations

import shutil
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SKELETON_DIR = PACKAGE_DIR / "skeleton"  # what `annalist new` writes


def _packaged(name: str) -> Path:
    installed = PACKAGE_DIR / name  # a wheel install
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name  # the checkout


TEMPLATES_DIR = _packaged("templates")
STATIC_DIR = _packaged("static")


def project_dir(content_dir: Path) -> Path:
    """The archive's folder: the one that holds its content folder, and its own templates/ and static/."""
    return content_dir.resolve().parent


def template_dirs(content_dir: Path) -> list[Path]:
    """Template search path: the archive's own templates first, then the package's."""
    own = project_dir(content_dir) / "templates"
    return [own, TEMPLATES_DIR] if own.is_dir() and own.resolve() != TEMPLATES_DIR else [TEMPLATES_DIR]


def copy_static(content_dir: Path, out: Path) -> None:
    """The package's static files into out/static, then the archive's own over them."""
    shutil.copytree(STATIC_DIR, out / "static", dirs_exist_ok=True)
    own = project_dir(content_dir) / "static"
    if own.is_dir() and own.resolve() != STATIC_DIR:
        shutil.copytree(own, out / "static", dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
