"""The suites the harness knows: the built-in ones, those installed (entry points), those imported.

Adding a built-in API is one line in `BUILTIN`. From outside, a package declares an entry point in
the group `aicontract.suites` (its name the API, its object a `Suite`, or a module that adds checks
to the built-in suite of that name), or a run imports a module (`--checks MODULE`) that does either.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from types import ModuleType

from .suite import Suite

# API -> the module that defines its `SUITE` (light: its checks are imported when a run needs them).
BUILTIN = {
    "agentuniverse": "aicontract.contracts.agentuniverse.suite",
    "covalent": "aicontract.contracts.covalent.suite",
    "pygrid": "aicontract.contracts.pygrid.suite",
    "snet": "aicontract.contracts.snet.suite",
}
GROUP = "aicontract.suites"


class Registry:
    """The suites of this process, each loaded once, with whatever outside modules add to them."""

    def __init__(self) -> None:
        self._suites: dict[str, Suite] = {}
        self._installed_loaded: set[str] = set()

    def names(self) -> list[str]:
        installed = [ep.name for ep in entry_points(group=GROUP)]
        return list(dict.fromkeys([*BUILTIN, *self._suites, *installed]))

    def get(self, api: str) -> Suite:
        found = self._suites.get(api)
        if found is None and api in BUILTIN:
            found = self._suites[api] = _suite_of(importlib.import_module(BUILTIN[api]), BUILTIN[api])
        if api not in self._installed_loaded:
            self._installed_loaded.add(api)
            for ep in entry_points(group=GROUP, name=api):
                loaded = ep.load()
                if isinstance(loaded, Suite) and loaded.api not in self._suites:
                    found = self.register(loaded)
        found = self._suites.get(api)
        if found is None:
            raise ValueError(f"unknown API {api!r}; choose from {', '.join(self.names())}")
        return found

    def register(self, suite: Suite) -> Suite:
        """Make `suite` known under its API name (a second, different suite of that name is an error)."""
        known = self._suites.get(suite.api)
        if known is not None and known is not suite:
            raise ValueError(f"a suite for {suite.api!r} is registered already")
        self._suites[suite.api] = suite
        return suite

    def load(self, module: str) -> ModuleType:
        """Import `module` (`--checks MODULE`): it adds checks to a suite, or defines `SUITE`, registered here."""
        try:
            imported = importlib.import_module(module)
        except ImportError as exc:
            raise ValueError(f"cannot import checks module {module!r}: {exc}") from None
        found = getattr(imported, "SUITE", None)
        if isinstance(found, Suite) and found.api not in BUILTIN:
            self.register(found)
        return imported


def _suite_of(module: ModuleType, name: str) -> Suite:
    found = getattr(module, "SUITE", None)
    if not isinstance(found, Suite):
        raise ValueError(f"{name} defines no SUITE")
    return found


REGISTRY = Registry()
