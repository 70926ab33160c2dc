"""A broken expectation, with everything needed to understand and reproduce it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from .exchange import Exchange

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
    ground: str = ""  # the statement of the contract the expectation rests on

    @classmethod
    def of(
        cls, check: str, level: str, exchange: Exchange, expected: str, actual: str | None, ground: str = ""
    ) -> Violation:
        outcome = exchange.outcome()
        sent = exchange.sent.curl()
        return cls(check, level, exchange.operation, sent, expected, actual or outcome, outcome, ground)

    def key(self) -> tuple[str, str, str, str]:
        """What makes two findings the same finding (the request may differ)."""
        # Values (ids, generated strings, numbers) differ from case to case; the finding does not.
        return (self.check, self.operation, self.expected, _VALUES.sub("…", self.actual)[:120])

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def render(self) -> str:
        lines = [
            f"[{self.level}] {self.check} — {self.operation}",
            f"  expected: {self.expected}",
            f"  got:      {self.actual}",
        ]
        if self.response and self.response != self.actual:
            lines.append(f"  response: {self.response}")
        if self.ground:
            lines.append(f"  ground:   {self.ground}")
        lines.append(f"  request:  {self.request}")
        return "\n".join(lines)
