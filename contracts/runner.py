"""The engine the CLI and the pytest plugin share: run an API's probes against a target."""

from __future__ import annotations

import multiprocessing
import time
import traceback
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import fuzz
from .check import Check, Probe, gating
from .client import Client
from .context import Context
from .contract import Contract
from .settings import Settings
from .suite import RunState, Suite
from .suites import REGISTRY
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
    requests: int = 0
    seconds: float = 0.0
    reason: str = ""
    operations: set[str] = field(default_factory=set)  # the operations it judged (see Context.operations)

    def add(self, found: list[Violation]) -> None:
        keys = {v.key() for v in self.violations}
        self.operations.update(v.operation for v in found)
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
    requests: int = 0  # requests sent, all probes together
    seed: int | None = None  # the run's --seed (None: derandomized, the same cases every run)
    baseline: Any = None  # a `baseline.Baseline`: known violations that do not gate

    def gated_failures(self) -> list[CheckResult]:
        levels = gating(self.gate)
        known = self.baseline.covers if self.baseline is not None else lambda run, result: False
        failing = [r for r in self.results if r.status in {FAILED, ERROR} and r.check.level in levels]
        return [r for r in failing if r.status == ERROR or not known(self, r)]

    @property
    def exit_code(self) -> int:
        stale = self.baseline is not None and self.baseline.strict and self.baseline.stale(self)
        return 1 if self.gated_failures() or stale else 0


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
    """The API's embedded reference stub in the settings' profile, with `faults` switched on."""
    return REGISTRY.get(settings.api).app(settings, faults)


def selected(settings: Settings) -> list[Probe]:
    return [p for p in REGISTRY.get(settings.api).probes() if p.applies_to(settings.profile)]


def run_probe(
    found: Probe,
    client: Client,
    contract: Contract,
    settings: Settings,
    part: str | None = None,
    state: RunState | None = None,
) -> dict[str, CheckResult]:
    """Run one probe (or one part of it) and judge its checks; `state` is what the run's probes share."""
    ctx = Context(found, client, contract, settings, state, part=part)
    started = time.perf_counter()
    error = ""
    try:
        # Its requirements first: a check that cannot be judged here says why, having sent nothing of its own.
        missing = next((why for req in found.requires if (why := req.missing(ctx)) is not None), None)
        if missing is not None:
            ctx.skip(missing)
        else:
            found.func(ctx)
    except Exception as exc:  # a probe that trips over an answer it did not foresee
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
        error = f"{type(exc).__name__}: {exc} (at {where})"
    elapsed = time.perf_counter() - started
    results: dict[str, CheckResult] = {}
    for judged in found.checks:
        result = CheckResult(judged, requests=ctx.requests, seconds=elapsed, operations=set(ctx.operations))
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
        kept.requests += result.requests
        kept.operations |= result.operations
        kept.seconds += result.seconds
        kept.add(result.violations)
        kept.repeats += result.repeats
        if result.status == ERROR or (result.status == FAILED and kept.status != ERROR):
            kept.status, kept.reason = result.status, result.reason or kept.reason
        elif kept.status == SKIPPED and result.status == PASSED:
            kept.status, kept.reason = PASSED, ""


def units(chosen: list[Probe], contract: Contract) -> list[tuple[Probe, str | None]]:
    """The independent pieces of work: each probe, or each part of a probe that has parts."""
    return [(p, part) for p in chosen for part in (p.parts(contract) if p.parts else [None])]


# A worker process's client and run state per target: kept for keep-alive, and so that the
# suite's state is made once per worker (each process has its own copy of a run).
_WORKER: dict[str, tuple[Client, RunState]] = {}


def _run_unit(settings: Settings, url: str, name: str, part: str | None) -> dict[str, CheckResult]:
    """Run one unit in a worker process (forked: the suites and their probes are already there)."""
    suite = REGISTRY.get(settings.api)
    found = next(p for p in selected(settings) if p.name == name)
    if url not in _WORKER:
        _WORKER[url] = (Client(url, settings.bounds), RunState(suite))
    client, state = _WORKER[url]
    return run_probe(found, client, suite.load_contract(settings.profile), settings, part, state)


def _ready() -> None:
    return None


@contextmanager
def _pool(workers: int, contract: Contract) -> Iterator[Any]:
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


# Called with each unit's results as it finishes (a probe, or one part of it), e.g. to show progress.
Finished = Callable[[dict[str, CheckResult]], None]


def run(
    settings: Settings, base_url: str | None = None, app: Any = None, *, finished: Finished | None = None
) -> RunResult:
    """Run every probe of `settings.api` that applies to the profile. Raises `Unreachable`.

    The one scheduler of both front doors (CLI and pytest plugin). Stateful probes run one after
    another, on their own: their verdicts must not depend on how a server copes with concurrent
    load. Only the generated cases (probe parts) run side by side, on the worker processes.
    """
    started = time.perf_counter()
    suite: Suite = REGISTRY.get(settings.api)
    contract = suite.load_contract(settings.profile)
    work = units(selected(settings), contract)
    alone = [(p, part) for p, part in work if part is None]
    side_by_side = [(p, part) for p, part in work if part is not None]
    done: list[dict[str, CheckResult]] = []

    def record(unit: dict[str, CheckResult]) -> None:
        done.append(unit)
        if finished is not None:
            finished(unit)

    state = RunState(suite)
    with _pool(settings.workers, contract) as pool, target_url(settings, base_url, app) as url:
        with Client(url, settings.bounds) as client:
            for p, part in alone:
                record(run_probe(p, client, contract, settings, part, state))
            if pool is None:
                for p, part in side_by_side:
                    record(run_probe(p, client, contract, settings, part, state))
        if pool is not None:
            futures = [pool.submit(_run_unit, settings, url, p.name, part) for p, part in side_by_side]
            for future in as_completed(futures):
                if finished is not None:
                    finished(future.result())
            done += [f.result() for f in futures]  # merged in submission order: the same report every time
    results: dict[str, CheckResult] = {}
    requests = 0
    for judged in done:
        requests += next(iter(judged.values())).requests
        merge(results, judged)
    # One order whatever the workers' timing: the suite's own order of checks.
    order = {c.name: i for i, c in enumerate(suite.checks())}
    ordered = sorted(results.values(), key=lambda r: order.get(r.check.name, len(order)))
    label = base_url or "embedded reference stub"
    elapsed = time.perf_counter() - started
    return RunResult(settings.api, settings.profile, label, settings.gate, ordered, elapsed, requests, settings.seed)
