#!/usr/bin/env python3
"""Build content/ into site/: `python build.py` is `annalist build` with its defaults."""

import sys

from annalist.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
