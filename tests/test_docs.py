"""Docs are tested: every CLI option and every settings key appears in README."""

import argparse
import dataclasses
import re

from annalist import cli
from annalist.config import Settings

from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _options(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield f"annalist {name}"
                yield from _options(sub)
        else:
            yield from (o for o in action.option_strings if o.startswith("--") and o != "--help")


def test_every_cli_option_is_documented():
    for option in _options(cli.parser()):
        assert option in README, f"{option} is not documented in README.md"


def test_every_setting_is_documented():
    for f in dataclasses.fields(Settings):
        assert re.search(rf"`{f.name}`", README), f"setting {f.name} is not documented in README.md"


def test_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```sh\n(.+?)\n```", README, flags=re.S)
    assert "python3 -m venv .venv" in blocks[0]  # set up first, in a virtual environment
    assert "build.py" in blocks[1]
    assert "pytest" in blocks[2]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[2].strip() in ci
