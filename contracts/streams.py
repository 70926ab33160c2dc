"""Streams end: every stream the contract marks, and every one a suite opens, ends within the bounds.

A generic check: this probe opens the streaming operations the contract documents (with their
example bodies); a suite's own probes judge the same check on the streams only they know how to
open (a function's listed streaming endpoints), under the same name.
"""

from __future__ import annotations

from .check import CORE, declare
from .context import Context
from .fuzz import examples, sent, streams

TERMINATES = "stream-terminates"
DECLARED = (
    CORE,
    "every stream ends within the stream bounds (time and bytes)",
    "a client reads a stream to its end: one that never ends holds the client (and its connection) forever",
)


def streams_end(ctx: Context) -> None:
    opened = 0
    for op in ctx.contract.operations():
        if not streams(op) or "{" in op.path or not ctx.suite.hooks.selects(ctx, op):
            continue
        request = sent(ctx, op, (examples(op) or [None])[0])
        if request is None:
            continue
        opened += 1
        ctx.stream_ended(ctx.record(ctx.client.send_stream(op.name, request)))
    if not opened:
        ctx.skip("the contract marks no stream this run can open")


PROBE = declare(streams_end, {TERMINATES: DECLARED})
