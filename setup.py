"""Which packages the distribution installs, found rather than listed: a new API's folders need no edit here.

The folders stay at the top of the repository and install under `aicontract` (see pyproject's package-dir).
"""

from setuptools import find_packages, setup

FOUND = find_packages(include=["contracts", "contracts.*", "stubs", "stubs.*"])
setup(packages=[f"aicontract.{name}" for name in FOUND] + ["aicontract.openapi"])
