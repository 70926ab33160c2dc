"""Recording what the daemon would make of a call: a finding says what its caller would have seen."""

from __future__ import annotations

from ..context import Context
from .daemon import Call


def reply_expected(ctx: Context, done: Call, expected: str, *, check: str | None = None) -> bool:
    """Record a finding unless the daemon turns the answer into a reply. A call that ran into the
    time bound is not judged here (`answers-in-time` reports it): False, nothing recorded."""
    if done.timed_out:
        return False
    return ctx.expect(done.verdict.ok, done.exchange, expected, done.seen(), check=check)


def refusal_expected(ctx: Context, done: Call, expected: str, *, check: str | None = None) -> bool:
    """Record a finding if the service accepted the request: a 2xx, whatever a daemon would make of
    it (this is about callers who reach the service without the daemon)."""
    if done.timed_out:
        return False
    status = done.exchange.status
    refused = status is not None and not 200 <= status < 300
    return ctx.expect(refused, done.exchange, expected, done.seen(), check=check)
