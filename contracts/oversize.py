"""Oversized bodies are refused: a server reads a bounded body, and says so with a 4xx (413).

The request is the contract's own example padded with JSON whitespace: the same request, only
larger, so a server without a limit runs it and one with a limit refuses it.
"""

from __future__ import annotations

import json

from .check import ROBUSTNESS, declare
from .context import Context
from .fuzz import examples, send, sent, streams

CHECK = "oversized-body-refused"
OVERSIZED = 2 << 20  # bytes; a server should refuse a body this large rather than run it


def oversized_body_refused(ctx: Context) -> None:
    posted = [
        op
        for op in ctx.contract.operations()
        if op.method == "POST" and op.body_schema() is not None and "{" not in op.path
    ]
    chosen = [op for op in posted if ctx.suite.hooks.selects(ctx, op)]
    op = next((op for op in chosen if examples(op) and not streams(op)), chosen[0] if chosen else None)
    if op is None:
        ctx.skip("the contract documents no JSON POST operation this run can exercise")
        return
    body = json.dumps((examples(op) or [{}])[0]).encode()
    request = sent(ctx, op, None)
    if request is None:
        return
    size = ctx.suite.hooks.oversized or OVERSIZED
    request.body = body + b" " * (size - len(body))
    request.headers["Content-Type"] = "application/json"
    exchange = send(ctx, op, request)
    code = exchange.status
    got = f"status {code}" if code is not None else None
    ok = code is not None and 400 <= code < 500
    ctx.expect(ok, exchange, f"a 4xx refusal (413) of a {size >> 20} MiB body", got)


PROBE = declare(
    oversized_body_refused,
    {
        CHECK: (
            ROBUSTNESS,
            "a 2 MiB request body is refused with a 4xx (413), promptly, not run",
            "the harness's standard: a server caps the bodies it reads (RFC 9110 §15.5.14 413 Content Too Large)",
        )
    },
)
