"""A broken expectation, with everything needed to understand and reproduce it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from .exchange import Exchange
from .visible import visible

_VALUES = re.compile(r"\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|\d+")


@dataclass(frozen=True)
class Violation:
    check: str
    level: str
    operation: str
    request: str  # a curl line
    expected: str
    actual: str
    response: str = ""  # what came back, in short
    ground: str = ""  # the statement of the contract (or fact of the real system) it rests on

    @classmethod
    def of(
        cls, check: str, level: str, exchange: Exchange, expected: str, actual: str | None, ground: str = ""
    ) -> Violation:
        outcome = exchange.outcome()
        curl = exchange.sent.curl()
        return cls(check, level, exchange.operation, curl, expected, actual or outcome, outcome, ground)

    def key(self) -> tuple[str, str, str, str]:
        """What makes two findings the same finding (the request may differ)."""
        # Values (ids, generated strings, numbers) differ from case to case; the finding does not.
        return (self.check, self.operation, self.expected, _VALUES.sub("…", self.actual)[:120])

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> str:
        """The finding as text to show: every field on its own line, with what a server sent
        (control bytes, ESC, newlines) escaped, so that it can neither drive a terminal nor
        break the lines of a report."""
        fields = [("expected", self.expected), ("got", self.actual)]
        if self.response and self.response != self.actual:
            fields.append(("response", self.response))
        fields.append(("request", self.request))
        if self.ground:
            fields.append(("ground", self.ground))
        head = visible(f"[{self.level}] {self.check} — {self.operation}")
        return "\n".join([head, *(f"  {label + ':':<10}{visible(text)}" for label, text in fields)])
