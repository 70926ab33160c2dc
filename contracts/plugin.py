"""The pytest plugin: the same suites as `aicontract check`, one pytest item per check.

    pytest --pyargs aicontract.contracts --contract-api agentuniverse --base-url http://127.0.0.1:8888

Kept free of heavy imports: pytest loads it in every session of an environment that has aicontract.
"""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path
from typing import Any

import pytest

from .check import EXTENDED, LEVELS


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("aicontract", "contract checks (aicontract)")
    group.addoption("--contract-api", help="run this API's contract suite (agentuniverse, covalent)")
    group.addoption("--contract-profile", default="documented", help="documented (default) or upstream")
    group.addoption("--contract-level", default=EXTENDED, choices=LEVELS, help="levels up to this one fail the session")
    group.addoption("--contract-max-examples", type=int, default=50, help="generated cases per operation and mode")
    group.addoption(
        "--contract-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an API-specific option, e.g. service_id=demo_service (repeatable)",
    )
    # pytest-base-url may define it already; its value means the same thing.
    with contextlib.suppress(ValueError):
        group.addoption("--base-url", help="the implementation to check (default: the embedded reference stub)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "contract(api, level): a check of aicontract's contract suites")


class _Suite(pytest.Module):
    """Imports the suite module under its real name, `aicontract.contracts.test_contracts`.

    pytest's default import walks up folders with `__init__.py` and would import it as
    `contracts.test_contracts`, a second copy of the harness with its own check registry.
    """

    def _getobj(self) -> Any:
        return importlib.import_module("aicontract.contracts.test_contracts")


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if module_path == Path(__file__).with_name("test_contracts.py"):
        return _Suite.from_parent(parent, path=module_path)
    return None


class Session:
    """One target and client for the whole pytest session; each probe runs once."""

    def __init__(self, config: pytest.Config) -> None:
        from contextlib import ExitStack

        from . import spec
        from .client import Client
        from .runner import target_url
        from .settings import Settings

        api = config.getoption("--contract-api")
        options = dict(item.split("=", 1) for item in config.getoption("--contract-option"))
        self.settings = Settings(
            api=api,
            profile=config.getoption("--contract-profile"),
            gate=config.getoption("--contract-level"),
            max_examples=config.getoption("--contract-max-examples"),
            options=options,
        )
        self.contract = spec.load(api, self.settings.profile)
        self._stack = ExitStack()
        url = self._stack.enter_context(target_url(self.settings, config.getoption("--base-url")))
        self.client = self._stack.enter_context(Client(url, self.settings.bounds))
        self._done: dict[str, Any] = {}

    def result(self, probe: Any, check: str) -> Any:
        from .runner import run_probe

        if probe.name not in self._done:
            self._done[probe.name] = run_probe(probe, self.client, self.contract, self.settings)
        return self._done[probe.name][check]

    def close(self) -> None:
        self._stack.close()


@pytest.fixture(scope="session")
def contract_session(request: pytest.FixtureRequest) -> Any:
    from .target import Unreachable

    try:
        session = Session(request.config)
    except Unreachable as exc:
        pytest.exit(f"target unreachable: {exc}", returncode=2)
    yield session
    session.close()


def contract_items(config: pytest.Config) -> list[tuple[Any, Any]]:
    api = config.getoption("--contract-api")
    if not api:
        return []
    from .runner import selected
    from .settings import Settings

    chosen = selected(Settings(api=api, profile=config.getoption("--contract-profile")))
    return [(p, c) for p in chosen for c in p.checks]


def judge(session: Any, probe: Any, check: Any) -> None:
    from .check import gating
    from .runner import ERROR, FAILED, SKIPPED

    result = session.result(probe, check.name)
    if result.status == SKIPPED:
        pytest.skip(result.reason)
    if result.status not in {FAILED, ERROR}:
        return
    text = result.reason or "\n\n".join(v.render() for v in result.violations)
    if result.repeats:
        text += f"\n… and {result.repeats} more like these"
    if check.level not in gating(session.settings.gate):
        pytest.xfail(f"[{check.level}, not gating] {text}")
    pytest.fail(text, pytrace=False)
