"""Minimal reproductions: a generated case that broke a check, shrunk to the smallest request that
breaks it the same way (same check, operation and expectation).

The generated test is run again with Hypothesis's shrink phase, the same strategy and seed, so it
meets the same failing case first and then shrinks it; each attempt that still fails the same way
is recorded, and the smallest request recorded wins. Bounded in wall-clock time: once the budget
(`Settings.shrink_seconds`, per operation) is spent, no attempt sends anything more.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .exchange import Sent
from .violation import Violation

if TYPE_CHECKING:
    from .context import Context

MAX_SHRUNK = 3  # distinct findings shrunk per operation and generation mode


def size(sent: Sent | None) -> int:
    """How large a request is, to compare two: its URL, headers and body, in bytes."""
    if sent is None:
        return 1 << 62
    headers = sum(len(k) + len(v) for k, v in sent.headers.items())
    return len(sent.url.encode("utf-8", "surrogatepass")) + headers + len(sent.body or b"")


def same_way(a: Violation, b: Violation) -> bool:
    return (a.check, a.operation, a.expected) == (b.check, b.operation, b.expected)


class _StillFails(Exception):
    """Tells Hypothesis that an attempt fails like the finding being shrunk."""


@dataclass
class Target:
    """The finding being shrunk, and the smallest attempt that failed like it so far."""

    first: Violation
    deadline: float
    best: Violation | None = None
    attempts: int = field(default=0)

    def attempt(self, ctx: Context, judge: Callable[[], None]) -> None:
        """Judge one case on the side (its findings kept apart); raise when it fails like `first`."""
        if time.monotonic() >= self.deadline or ctx.client.expired:
            return  # the budget is spent: send nothing more
        self.attempts += 1
        kept, ctx.violations = ctx.violations, []
        try:
            judge()
            found = next((v for v in ctx.violations if same_way(v, self.first)), None)
        finally:
            ctx.violations = kept
        if found is None:
            return
        if self.best is None or size(found.sent) < size(self.best.sent):
            self.best = found
        raise _StillFails


def minimise(ctx: Context, found: list[Violation], rerun: Callable[[Target], None], seconds: float) -> None:
    """Replace each of the first distinct findings in `found` (from generated cases) in
    `ctx.violations` by the smallest request that fails the same way, within `seconds` in all."""
    if seconds <= 0 or not found:
        return
    deadline = time.monotonic() + seconds
    firsts: list[Violation] = []
    for v in found:
        if v.sent is not None and not any(same_way(v, f) for f in firsts):
            firsts.append(v)
    for first in firsts[:MAX_SHRUNK]:
        if time.monotonic() >= deadline:
            return
        target = Target(first, deadline)
        # It ends by raising: _StillFails, or Hypothesis saying its last replay passed (the budget ran out).
        with contextlib.suppress(Exception):
            rerun(target)
        best = target.best
        if best is not None and size(best.sent) < size(first.sent):
            at = next(i for i, v in enumerate(ctx.violations) if v is first)
            ctx.violations[at] = best.shrunk_from(first)
