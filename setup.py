"""Packaging: everything else is in pyproject.toml; this file says only what pyproject cannot.

The repository keeps the site's look at the top level (templates/, static/), where a designer finds
it; the wheel ships both inside the package, as annalist/templates and annalist/static, beside every
data file under annalist/ (calibration, models, the `annalist new` skeleton). The rule is general
(every file in those folders), so a file added later ships without a change here; the test
tests/test_package.py::test_wheel_ships_every_file checks it. Editable installs read the checkout
(annalist/resources.py finds the look in either layout).
"""

from setuptools import find_namespace_packages, setup

LOOK = {"annalist.templates": "templates", "annalist.static": "static"}

setup(
    packages=find_namespace_packages(include=["annalist", "annalist.*"], exclude=["*__pycache__*"]) + list(LOOK),
    package_dir=LOOK,
    package_data={"": ["**/*"]},
    exclude_package_data={"": ["**/__pycache__/*", "**/*.py[co]"]},
)
