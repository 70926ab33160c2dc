"""The engine the CLI and the pytest plugin share: run an API's probes against a target."""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Collection, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import apis, fuzz, spec
from .check import Check, Probe, gating, probes
from .client import Client
from .context import Context
from .settings import Settings
from .target import embedded, probe_reachable
from .violation import Violation

PASSED, FAILED, SKIPPED, ERROR = "passed", "failed", "skipped", "error"
MAX_DISTINCT = 10  # distinct findings kept per check; the rest are counted


@dataclass
class CheckResult:
    check: Check
    status: str = PASSED
    violations: list[Violation] = field(default_factory=list)
    repeats: int = 0  # findings like one already kept
    cases: int = 0
    seconds: float = 0.0
    reason: str = ""

    def add(self, found: list[Violation]) -> None:
        keys = {v.key() for v in self.violations}
        for violation in found:
            if violation.key() in keys or len(self.violations) >= MAX_DISTINCT:
                self.repeats += 1
                continue
            keys.add(violation.key())
            self.violations.append(violation)
        if self.violations:
            self.status = FAILED


@dataclass
class RunResult:
    api: str
    profile: str
    target: str
    gate: str
    results: list[CheckResult]
    seconds: float = 0.0
    cases: int = 0  # requests sent, all probes together

    def gated_failures(self) -> list[CheckResult]:
        levels = gating(self.gate)
        return [r for r in self.results if r.status in {FAILED, ERROR} and r.check.level in levels]

    @property
    def exit_code(self) -> int:
        return 1 if self.gated_failures() else 0


@contextmanager
def target_url(settings: Settings, base_url: str | None, app: Any = None) -> Iterator[str]:
    """The URL to check: `base_url`, or the embedded stub (`app`, or the API's own in this profile)."""
    if base_url:
        probe_reachable(base_url, settings.bounds.timeout)
        yield base_url
        return
    if app is None:
        app = stub_app(settings)
    with embedded(app) as url:
        yield url


def stub_app(settings: Settings, faults: Collection[str] = ()) -> Any:
    make = getattr(apis.suite(settings.api), "embedded_app", None)
    if make is not None:
        return make(settings, faults)
    return apis.stub(settings.api).create_app(settings.profile, faults)


def selected(settings: Settings) -> list[Probe]:
    apis.suite(settings.api)
    return [p for p in probes(settings.api) if p.applies_to(settings.profile)]


def run_probe(
    found: Probe, client: Client, contract: spec.Spec, settings: Settings, part: str | None = None
) -> dict[str, CheckResult]:
    ctx = Context(found, client, contract, settings, part=part)
    started = time.perf_counter()
    error = ""
    try:
        found.func(ctx)
    except Exception as exc:  # a probe that trips over an answer it did not foresee
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
        error = f"{type(exc).__name__}: {exc} (at {where})"
    elapsed = time.perf_counter() - started
    results: dict[str, CheckResult] = {}
    for judged in found.checks:
        result = CheckResult(judged, cases=ctx.cases, seconds=elapsed)
        result.add([v for v in ctx.violations if v.check == judged.name])
        if error:
            result.status, result.reason = ERROR, error
        elif ctx.skipped and not result.violations:
            result.status, result.reason = SKIPPED, ctx.skipped
        results[judged.name] = result
    return results


def merge(into: dict[str, CheckResult], more: dict[str, CheckResult]) -> None:
    for name, result in more.items():
        if name not in into:
            into[name] = result
            continue
        kept = into[name]
        kept.cases += result.cases
        kept.seconds += result.seconds
        kept.add(result.violations)
        kept.repeats += result.repeats
        if result.status == ERROR or (result.status == FAILED and kept.status != ERROR):
            kept.status, kept.reason = result.status, result.reason or kept.reason
        elif kept.status == SKIPPED and result.status == PASSED:
            kept.status, kept.reason = PASSED, ""


def units(chosen: list[Probe], contract: spec.Spec) -> list[tuple[Probe, str | None]]:
    """The independent pieces of work: each probe, or each part of a probe that has parts."""
    return [(p, part) for p in chosen for part in (p.parts(contract) if p.parts else [None])]


_CLIENTS: dict[str, Client] = {}  # a worker process's client per target, kept for keep-alive


def _run_unit(settings: Settings, url: str, name: str, part: str | None) -> dict[str, CheckResult]:
    """Run one unit in a worker process (forked: the probe registry is already there)."""
    found = next(p for p in selected(settings) if p.name == name)
    client = _CLIENTS.get(url)
    if client is None:
        client = _CLIENTS[url] = Client(url, settings.bounds)
    return run_probe(found, client, spec.load(settings.api, settings.profile), settings, part)


def _ready() -> None:
    return None


@contextmanager
def _pool(workers: int, contract: spec.Spec) -> Iterator[Any]:
    """Worker processes, forked before the embedded stub's server thread exists, and after the
    generators are imported and built, so that each worker starts warm."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    fuzz.warm(contract)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        pool.submit(_ready).result()  # a fork context starts every worker on the first submit
        yield pool
    finally:
        pool.shutdown(cancel_futures=True)


def run(settings: Settings, base_url: str | None = None, app: Any = None) -> RunResult:
    """Run every probe of `settings.api` that applies to the profile. Raises `Unreachable`."""
    started = time.perf_counter()
    contract = spec.load(settings.api, settings.profile)
    work = units(selected(settings), contract)
    results: dict[str, CheckResult] = {}
    cases = 0
    # Stateful probes run one after another, on their own: their verdicts must not depend on how
    # a server copes with concurrent load. Only the generated cases (probe parts) run side by side.
    alone = [(p, part) for p, part in work if part is None]
    side_by_side = [(p, part) for p, part in work if part is not None]
    with _pool(settings.workers, contract) as pool, target_url(settings, base_url, app) as url:
        with Client(url, settings.bounds) as client:
            done = [run_probe(p, client, contract, settings, part) for p, part in alone]
            if pool is None:
                done += [run_probe(p, client, contract, settings, part) for p, part in side_by_side]
        if pool is not None:
            futures = [pool.submit(_run_unit, settings, url, p.name, part) for p, part in side_by_side]
            done += [f.result() for f in futures]
    for judged in done:
        cases += next(iter(judged.values())).cases
        merge(results, judged)
    label = base_url or "embedded reference stub"
    elapsed = time.perf_counter() - started
    return RunResult(settings.api, settings.profile, label, settings.gate, list(results.values()), elapsed, cases)
