"""The pytest plugin: the same suites and engine as `aicontract check`, one pytest item per check.

    pytest --pyargs aicontract.contracts --contract-api agentuniverse --base-url http://127.0.0.1:8888

Every run setting of the CLI is here as `--contract-NAME` (same defaults), each suite's own options
as `--contract-FLAG` (e.g. `--contract-service-id`); the run goes through `runner.run`, the CLI's
scheduler, once per session, and each check's result becomes its item's outcome.
Kept free of heavy imports: pytest loads it in every session of an environment that has aicontract.
"""

from __future__ import annotations

import contextlib
import importlib
from pathlib import Path
from typing import Any

import pytest

from .ci import add_baseline_options
from .settings import RUN_SETTINGS


def _suite_options() -> list[Any]:
    """Every registered suite's options (suite definitions are light; their checks are not imported)."""
    from .suites import REGISTRY

    found: dict[str, Any] = {}
    for api in REGISTRY.names():
        with contextlib.suppress(Exception):  # a broken outside suite must not break every pytest session
            for option in REGISTRY.get(api).options:
                found.setdefault(option.dest, option)
    return list(found.values())


def _base_url_elsewhere(plugins: pytest.PytestPluginManager) -> bool:
    """pytest-base-url (brought by pytest-playwright, pytest-selenium) is installed and not blocked:
    `--base-url` is its option, whichever plugin pytest happens to load first."""
    from importlib.metadata import entry_points

    found = any(ep.name == "base_url" for ep in entry_points(group="pytest11"))
    return found and not plugins.is_blocked("base_url")


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    group = parser.getgroup("aicontract", "contract checks (aicontract)")
    group.addoption("--contract-api", help="run this API's contract suite (e.g. agentuniverse, covalent)")
    group.addoption(
        "--contract-base-url",
        help="the implementation to check (default: --base-url if given, else the embedded reference stub)",
    )
    group.addoption(
        "--contract-checks",
        action="append",
        default=[],
        metavar="MODULE",
        help="import MODULE first: it adds checks to a suite or registers a suite of its own (repeatable)",
    )
    for setting in RUN_SETTINGS:
        for flags, given in setting.arguments("contract-", short=False):
            group.addoption(*flags, **given)
    for option in _suite_options():
        flag, dest = f"--contract-{option.flag.lstrip('-')}", f"contract_option_{option.dest}"
        group.addoption(flag, dest=dest, default=option.default, help=option.help, type=option.type)
    group.addoption(
        "--contract-option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a suite's option by name, e.g. service_id=demo_service (repeatable; for suites imported late)",
    )
    group.addoption("--contract-report", type=Path, metavar="DIR", help="write JUnit XML, JSON and HTML reports here")
    add_baseline_options(group.addoption, "contract-")
    # `--base-url` is shared with pytest-base-url when it is there (its value means the same thing);
    # defining it twice would break every pytest session of the environment.
    if not _base_url_elsewhere(pluginmanager):
        with contextlib.suppress(ValueError):
            group.addoption("--base-url", help="the same as --contract-base-url")


def base_url_of(config: pytest.Config) -> str | None:
    given: str | None = config.getoption("contract_base_url") or config.getoption("base_url", default=None)
    return given or None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "contract(api, level): a check of aicontract's contract suites")
    if config.getoption("--contract-api"):
        _validate(config)  # every usage error up front, in one line, before collection


def _validate(config: pytest.Config) -> None:
    from .runner import unmatched

    unknown = unmatched(settings_of(config))
    if unknown:
        raise pytest.UsageError(f"aicontract: --contract-only/--contract-skip: {', '.join(unknown)} matches nothing")


class _Suite(pytest.Module):
    """Imports the suite module under its real name, `aicontract.contracts.test_contracts`.

    pytest's default import walks up folders with `__init__.py` and would import it as
    `contracts.test_contracts`, a second copy of the harness with its own suites.
    """

    def _getobj(self) -> Any:
        return importlib.import_module("aicontract.contracts.test_contracts")


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if module_path == Path(__file__).with_name("test_contracts.py"):
        return _Suite.from_parent(parent, path=module_path)
    return None


def settings_of(config: pytest.Config) -> Any:
    """The run's settings from the session's options, built as the CLI builds them."""
    try:
        return _settings_of(config)
    except ValueError as exc:  # a usage error, in one line, before any request
        raise pytest.UsageError(f"aicontract: {exc}") from None


def _settings_of(config: pytest.Config) -> Any:
    from .settings import build
    from .suites import REGISTRY

    for module in config.getoption("--contract-checks"):
        REGISTRY.load(module)
    api = config.getoption("--contract-api")
    suite = REGISTRY.get(api)
    values = {s.dest: config.getoption(f"contract_{s.dest}") for s in RUN_SETTINGS}
    options: dict[str, Any] = {}
    for option in suite.options:
        value = getattr(config.option, f"contract_option_{option.dest}", None)
        options[option.dest] = value
    for item in config.getoption("--contract-option"):
        name, _, value = item.partition("=")
        options[name] = value
    return build(api, values, options)


class Session:
    """One run of the suite for the whole pytest session, through the CLI's scheduler."""

    def __init__(self, config: pytest.Config) -> None:
        from .runner import run

        self.settings = settings_of(config)
        self.run = run(self.settings, base_url_of(config))  # raises Unreachable
        if self.run.interrupted:  # the run caught Ctrl-C to end its workers; the session stops too
            raise KeyboardInterrupt
        finish(config, self.run)
        self._by_name = {r.check.name: r for r in self.run.results}

    def result(self, check: str) -> Any:
        return self._by_name[check]


@pytest.fixture(scope="session")
def contract_session(request: pytest.FixtureRequest) -> Any:
    from .target import Unreachable

    try:
        return Session(request.config)
    except Unreachable as exc:
        pytest.exit(f"target unreachable: {exc}", returncode=2)


def contract_items(config: pytest.Config) -> list[Any]:
    if not config.getoption("--contract-api"):
        return []
    from .runner import plan
    from .suites import REGISTRY

    settings = settings_of(config)
    suite = REGISTRY.get(settings.api)
    names = {name for _, _, chosen in plan(settings, suite.load_contract(settings.profile)) for name in chosen}
    return [c for c in suite.checks() if c.name in names]


def finish(config: pytest.Config, result: Any) -> None:
    """The run judged with `--contract-baseline`, and its reports written to `--contract-report`."""
    from . import report
    from .ci import apply_baseline, load_baseline

    baseline = load_baseline(config.getoption("--contract-baseline"), config.getoption("--contract-strict-baseline"))
    apply_baseline(result, baseline)
    directory = config.getoption("--contract-report")
    if directory is not None:
        report.write(result, directory)


def judge(session: Any, check: Any) -> None:
    from .check import gating
    from .runner import ERROR, FAILED, SKIPPED

    result = session.result(check.name)  # every planned check has one, even when the run stopped early
    if result.status == SKIPPED:
        pytest.skip(result.reason)
    known = session.run.baseline
    stale = [e for e in known.stale(session.run) if e.check == check.name] if known is not None else []
    if stale and known.strict:
        pytest.fail(f"stale baseline entry (--contract-strict-baseline): {stale[0].label()}", pytrace=False)
    if result.status == FAILED and known is not None and known.covers(session.run, result):
        pytest.xfail(f"baselined: {known.entry_for(session.run.api, session.run.profile, result.violations[0]).reason}")
    if result.status not in {FAILED, ERROR}:
        return
    text = result.reason or "\n\n".join(v.render() for v in result.violations)
    if result.repeats:
        text += f"\n… and {result.repeats} more like these"
    if check.level not in gating(session.settings.gate):
        pytest.xfail(f"[{check.level}, not gating] {text}")
    pytest.fail(text, pytrace=False)
