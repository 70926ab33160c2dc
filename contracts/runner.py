"""The engine the CLI and the pytest plugin share: run an API's probes against a target."""

from __future__ import annotations

import multiprocessing
import signal
import time
import traceback
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
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
# Why a check has no verdict when the run stopped early: a skip with its reason, never a pass.
NOT_FINISHED = "not finished: --max-time reached"
INTERRUPTED = "not finished: interrupted"
EXITFIRST = "not run: -x stopped the run at the first gating failure"


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
    stopped: str = ""  # why the run stopped before every check was finished (NOT_FINISHED, ...)

    @property
    def interrupted(self) -> bool:
        return self.stopped == INTERRUPTED

    def unfinished(self) -> list[CheckResult]:
        return [r for r in self.results if r.status == SKIPPED and r.reason in {NOT_FINISHED, INTERRUPTED, EXITFIRST}]

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
        probe_reachable(base_url, settings.bounds.timeout, settings.transport)
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


# One piece of work: a probe, the part of it to run (None: all of it), and the checks wanted of it.
Unit = tuple[Probe, str | None, frozenset[str]]


def _matches(pattern: str, check: Check, part: str | None) -> bool:
    return any(fnmatchcase(name, pattern) for name in (check.name, check.level, part or ""))


def wanted(settings: Settings, check: Check, part: str | None) -> bool:
    """`--only` / `--skip`: a check is run when a pattern of `only` (if any) and none of `skip`
    matches its name, its level, or the operation of the part it runs in."""
    if settings.only and not any(_matches(p, check, part) for p in settings.only):
        return False
    return not any(_matches(p, check, part) for p in settings.skip)


def plan(settings: Settings, contract: Contract) -> list[Unit]:
    """The units this run does, with the checks `--only` / `--skip` leave them."""
    found = []
    for probe, part in units(selected(settings), contract):
        names = frozenset(c.name for c in probe.checks if wanted(settings, c, part))
        if names:
            found.append((probe, part, names))
    return found


def parts_per_check(settings: Settings) -> dict[str, int]:
    """How many units each check of this run waits for (a generated check: one per operation)."""
    found: dict[str, int] = {}
    for _, _, names in plan(settings, REGISTRY.get(settings.api).load_contract(settings.profile)):
        for name in names:
            found[name] = found.get(name, 0) + 1
    return found


def unmatched(settings: Settings) -> list[str]:
    """The `--only` / `--skip` patterns that match no check, level or operation of this run."""
    contract = REGISTRY.get(settings.api).load_contract(settings.profile)
    every = [(c, part) for p, part in units(selected(settings), contract) for c in p.checks]
    patterns = (*settings.only, *settings.skip)
    return [p for p in patterns if not any(_matches(p, c, part) for c, part in every)]


def run_probe(
    found: Probe,
    client: Client,
    contract: Contract,
    settings: Settings,
    part: str | None = None,
    state: RunState | None = None,
    checks: Collection[str] | None = None,
) -> dict[str, CheckResult]:
    """Run one probe (or one part of it) and judge its checks (those named in `checks`, if given);
    `state` is what the run's probes share."""
    judging = [c for c in found.checks if checks is None or c.name in checks]
    if client.expired:
        return unfinished(judging, NOT_FINISHED)
    ctx = Context(found, client, contract, settings, state, part=part)
    started = time.perf_counter()
    cut_before = client.cut
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
    cut = client.cut > cut_before  # the run's deadline cut this probe short: its findings may be its own
    results: dict[str, CheckResult] = {}
    for judged in judging:
        result = CheckResult(judged, requests=ctx.requests, seconds=elapsed, operations=set(ctx.operations))
        if cut:
            result.status, result.reason = SKIPPED, NOT_FINISHED
            results[judged.name] = result
            continue
        result.add([v for v in ctx.violations if v.check == judged.name])
        if error:
            result.status, result.reason = ERROR, error
        elif ctx.skipped and not result.violations:
            result.status, result.reason = SKIPPED, ctx.skipped
        elif not result.violations and not ctx.judged.get(judged.name) and not ctx.answered:
            result.status, result.reason = SKIPPED, _nothing_judged(ctx)
        results[judged.name] = result
    return results


def _nothing_judged(ctx: Context) -> str:
    if not ctx.requests:
        return "judged nothing: the probe sent no request and gave no verdict"
    return f"judged nothing: none of its {ctx.requests} request(s) got a complete answer"


def unfinished(checks: Collection[Check], reason: str) -> dict[str, CheckResult]:
    return {c.name: CheckResult(c, status=SKIPPED, reason=reason) for c in checks}


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
        elif kept.status == SKIPPED and result.status == PASSED and not kept.reason.startswith("not "):
            kept.status, kept.reason = PASSED, ""
        elif kept.status == PASSED and result.status == SKIPPED and result.reason.startswith("not "):
            kept.status, kept.reason = SKIPPED, result.reason  # a part left unfinished: no pass


def units(chosen: list[Probe], contract: Contract) -> list[tuple[Probe, str | None]]:
    """The independent pieces of work: each probe, or each part of a probe that has parts."""
    return [(p, part) for p in chosen for part in (p.parts(contract) if p.parts else [None])]


# A worker process's client and run state per target: kept for keep-alive, and so that the
# suite's state is made once per worker (each process has its own copy of a run).
_WORKER: dict[str, tuple[Client, RunState]] = {}


def _run_unit(
    settings: Settings, url: str, name: str, part: str | None, checks: frozenset[str], deadline: float | None
) -> dict[str, CheckResult]:
    """Run one unit in a worker process (forked: the suites and their probes are already there).
    `deadline` is a `time.monotonic()` moment: one clock for every process of the machine."""
    suite = REGISTRY.get(settings.api)
    found = next(p for p in selected(settings) if p.name == name)
    if url not in _WORKER:
        client = Client(url, settings.bounds, transport=settings.transport, deadline=deadline)
        _WORKER[url] = (client, RunState(suite))
    client, state = _WORKER[url]
    return run_probe(found, client, suite.load_contract(settings.profile), settings, part, state, checks)


def _ready() -> None:
    return None


def _worker_start() -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it (and ends the workers).
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _pool(workers: int, contract: Contract) -> Iterator[Any]:
    """Worker processes, forked before the embedded stub's server thread exists, and after the
    generators are imported and built, so that each worker starts warm."""
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    fuzz.warm(contract)
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_worker_start)
    try:
        pool.submit(_ready).result()  # a fork context starts every worker on the first submit
        yield pool
    except BaseException:
        # Interrupted, or the run is over early: do not wait for the probes under way.
        for process in list((pool._processes or {}).values()):
            process.terminate()
        raise
    finally:
        pool.shutdown(cancel_futures=True)


QUIET_WORKERS = 10.0  # seconds without a unit finished on the workers before that wait is announced


def _as_completed(
    futures: Collection[Future[dict[str, CheckResult]]], waiting: Waiting | None, settings: Settings
) -> Iterator[Future[dict[str, CheckResult]]]:
    """The futures as they finish; `waiting` hears of every QUIET_WORKERS seconds in which none did."""
    pending = set(futures)
    while pending:
        done, pending = wait(pending, timeout=QUIET_WORKERS, return_when=FIRST_COMPLETED)
        if not done and waiting is not None:
            waiting(f"the generated cases of {len(pending)} operation(s) on the workers", settings.bounds.timeout)
        yield from done


# Called with each unit's results as it finishes (a probe, or one part of it), e.g. to show progress.
Finished = Callable[[dict[str, CheckResult]], None]
# Called (from another thread) when an exchange has waited a while: its operation and its bound in seconds.
Waiting = Callable[[str, float], None]


def run(
    settings: Settings,
    base_url: str | None = None,
    app: Any = None,
    *,
    finished: Finished | None = None,
    waiting: Waiting | None = None,
    started: Callable[[], None] | None = None,
) -> RunResult:
    """Run every probe of `settings.api` that applies to the profile. Raises `Unreachable`.

    The one scheduler of both front doors (CLI and pytest plugin). Stateful probes run one after
    another, on their own: their verdicts must not depend on how a server copes with concurrent
    load. Only the generated cases (probe parts) run side by side, on the worker processes.
    A run stopped early (`--max-time`, `-x`, Ctrl-C) reports what it has; every check it did not
    finish is skipped with the reason, and `stopped` says why. `started` is called once the target
    answered its first contact, `finished` after each unit, `waiting` when an answer is slow.
    """
    from .progress import watching

    began = time.perf_counter()
    deadline = None if settings.bounds.max_time is None else time.monotonic() + settings.bounds.max_time
    suite: Suite = REGISTRY.get(settings.api)
    contract = suite.load_contract(settings.profile)
    work = plan(settings, contract)
    alone = [(i, u) for i, u in enumerate(work) if u[1] is None]
    side_by_side = [(i, u) for i, u in enumerate(work) if u[1] is not None]
    done: dict[int, dict[str, CheckResult]] = {}  # by the unit's place in `work`
    stopped = ""

    def record(index: int, unit: dict[str, CheckResult]) -> bool:
        """Keep a unit's results; True when `-x` stops the run here."""
        done[index] = unit
        if finished is not None:
            finished(unit)
        levels = gating(settings.gate)
        failed = any(r.status in {FAILED, ERROR} and r.check.level in levels for r in unit.values())
        return settings.exitfirst and failed

    state = RunState(suite)
    try:
        with _pool(settings.workers, contract) as pool, target_url(settings, base_url, app) as url:
            here = alone + (side_by_side if pool is None else [])
            if started is not None:
                started()
            client = Client(url, settings.bounds, transport=settings.transport, deadline=deadline)
            with client, watching(client, waiting) if waiting is not None else nullcontext():
                for index, (p, part, names) in here:
                    if record(index, run_probe(p, client, contract, settings, part, state, names)):
                        stopped = EXITFIRST
                        break
            if pool is not None and not stopped:
                futures: dict[Future[dict[str, CheckResult]], int] = {
                    pool.submit(_run_unit, settings, url, p.name, part, names, deadline): index
                    for index, (p, part, names) in side_by_side
                }
                for future in _as_completed(futures, waiting, settings):
                    if record(futures[future], future.result()):
                        stopped = EXITFIRST
                        for pending in futures:
                            pending.cancel()
                        break
    except KeyboardInterrupt:
        stopped = INTERRUPTED
    if not stopped and deadline is not None and time.monotonic() >= deadline:
        stopped = NOT_FINISHED
    results: dict[str, CheckResult] = {}
    requests = 0
    for index in sorted(done):  # merged in the plan's order: the same report every time
        judged = done[index]
        requests += next(iter(judged.values())).requests
        merge(results, judged)
    for index, (p, _, names) in enumerate(work):
        if index not in done:
            merge(results, unfinished([c for c in p.checks if c.name in names], stopped or NOT_FINISHED))
    if any(r.reason == NOT_FINISHED for r in results.values()) and not stopped:
        stopped = NOT_FINISHED
    # One order whatever the workers' timing: the suite's own order of checks.
    order = {c.name: i for i, c in enumerate(suite.checks())}
    ordered = sorted(results.values(), key=lambda r: order.get(r.check.name, len(order)))
    label = base_url or "embedded reference stub"
    elapsed = time.perf_counter() - began
    return RunResult(
        settings.api, settings.profile, label, settings.gate, ordered, elapsed, requests, settings.seed, stopped=stopped
    )
