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
    assert blocks[0].startswith("python3 -m venv .venv && . .venv/bin/activate && ")  # set up in a venv
    assert blocks[0].endswith("python3 build.py")
    assert blocks[1].startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert blocks[1].endswith("python3 -m pytest -q")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in ci


# Every command README gives in a shell block, and the test that runs it as written.
README_COMMANDS = {
    "python3 -m venv .venv && . .venv/bin/activate && python3 -m pip install -e . && python3 build.py":
        "test_package.py::test_editable_install_runs_readme_demo_command_from_the_checkout",
    "python3 -m venv .venv && . .venv/bin/activate && bash .ci/setup && python3 -m pytest -q":
        "test_docs.py::test_readme_opens_with_the_two_commands",  # CI runs it
    "annalist new my-archive && cd my-archive && annalist build":
        "test_package.py::test_plain_install_of_the_wheel_starts_an_archive_and_builds_it_and_the_demo",
}


def _readme_commands():
    for block in re.findall(r"```sh\n(.+?)\n```", README, flags=re.S):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            if command:
                yield command


def test_every_readme_command_is_run_by_a_test():
    import importlib

    for command in _readme_commands():
        if command.startswith("python3 bench/"):
            continue  # benchmarks: see the next test
        assert command in README_COMMANDS, f"README command {command!r} is run by no test (add one)"
        module, name = README_COMMANDS[command].split("::")
        assert callable(getattr(importlib.import_module(module.removesuffix(".py")), name, None)), README_COMMANDS[command]


def test_every_readme_benchmark_command_parses():
    """Benchmarks take minutes and print timings, so tests do not run them; their command lines
    (script and options as README gives them) must still be valid."""
    import subprocess
    import sys

    for command in _readme_commands():
        if not command.startswith("python3 bench/"):
            continue
        script, *args = command.split()[1:]
        done = subprocess.run([sys.executable, str(ROOT / script), "--help"], capture_output=True, text=True,
                              timeout=60, cwd=ROOT)
        assert done.returncode == 0, f"{command}: {done.stderr}"
        for option in (a for a in args if a.startswith("--")):
            assert option in done.stdout, f"{command}: {script} has no {option}"
