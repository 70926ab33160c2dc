"""What a probe works with: the target's client, the contract, the settings, the run's state, and its findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Unpack

from .check import Check, Probe
from .exchange import Exchange, Received
from .settings import Settings
from .violation import Violation

if TYPE_CHECKING:
    from .client import Client, Request
    from .contract import Contract
    from .suite import RunState, Suite


@dataclass
class Context:
    probe: Probe
    client: Client
    contract: Contract
    settings: Settings
    run: RunState | None = None  # what this run's probes share (None: nothing shared)
    violations: list[Violation] = field(default_factory=list)
    requests: int = 0  # requests sent
    skipped: str | None = None  # why the probe could not judge its checks here
    part: str | None = None  # which of the probe's parts to run, for a probe that has parts
    operations: set[str] = field(default_factory=set)  # the operations it sent requests to (judged)
    # The evidence: verdicts given per check (`expect`, `fail`, `passed`), and answers received in
    # full. A check with neither judged nothing and is reported skipped, never passed.
    judged: dict[str, int] = field(default_factory=dict)
    answered: int = 0

    @property
    def profile(self) -> str:
        return self.settings.profile

    @property
    def suite(self) -> Suite:
        if self.run is None:
            raise ValueError(f"{self.probe.name} runs outside a suite's run")
        return self.run.suite

    @property
    def state(self) -> Any:
        """The suite's per-run state, made by its `state` factory on first use."""
        if self.run is None:
            raise ValueError(f"{self.probe.name} runs outside a suite's run")
        return self.run.get(self)

    def call(self, operation: str, **request: Unpack[Request]) -> Exchange:
        return self.record(self.client.call(operation, **request))

    def stream(self, operation: str, *, seconds: float | None = None, **request: Unpack[Request]) -> Exchange:
        return self.record(self.client.stream(operation, seconds=seconds, **request))

    def record(self, exchange: Exchange) -> Exchange:
        """Count a request this probe sent (through `call`, `stream`, or the client directly)."""
        self.requests += 1
        self.operations.add(exchange.operation)
        if exchange.received is not None and exchange.received.complete:
            self.answered += 1
        return exchange

    def _check(self, name: str | None) -> Check:
        if name is None:
            if len(self.probe.checks) != 1:
                raise ValueError(f"{self.probe.name} judges several checks: name the one that failed")
            return self.probe.checks[0]
        for judged in self.probe.checks:
            if judged.name == name:
                return judged
        raise ValueError(f"{self.probe.name} does not judge a check named {name!r}")

    def fail(
        self,
        exchange: Exchange,
        expected: str,
        actual: str | None = None,
        *,
        check: str | None = None,
        ground: str | None = None,
    ) -> None:
        """Record that `exchange` broke an expectation; `ground` overrides the check's own."""
        if check in self.probe.declined:
            return  # a generic check this suite did not take
        judged = self._check(check)
        self.judged[judged.name] = self.judged.get(judged.name, 0) + 1
        found = Violation.of(judged.name, judged.level, exchange, expected, actual, ground or judged.ground)
        self.violations.append(found)

    def expect(
        self,
        ok: bool,
        exchange: Exchange,
        expected: str,
        actual: str | None = None,
        *,
        check: str | None = None,
        ground: str | None = None,
    ) -> bool:
        if not ok:
            self.fail(exchange, expected, actual, check=check, ground=ground)
        elif check not in self.probe.declined:
            self.passed(check)
        return ok

    def passed(self, check: str | None = None) -> None:
        """Record that `check` was judged and held (for a check that judges without `expect`)."""
        name = self._check(check).name
        self.judged[name] = self.judged.get(name, 0) + 1

    def stream_ended(self, exchange: Exchange, *, check: str | None = None) -> Received | None:
        """What a stream brought back; records against `check` a stream that never came or never ended."""
        received = exchange.received
        if received is None:
            self.fail(exchange, "a streamed answer", check=check)
        elif not received.complete:
            self.fail(exchange, "the stream to end within the bounds", exchange.error, check=check)
        elif check not in self.probe.declined:
            self.passed(check)
        return received

    def skip(self, reason: str) -> None:
        self.skipped = reason
