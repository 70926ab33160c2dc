"""`--semantics example`: the reference semantics of the seed's example service (see stubs/snet/example.py):
calculate is exact over uint64, and an error is reported as an error (a refusal, or a CommonOutput whose
status is not ok), never as a number."""

from __future__ import annotations

import json

from ..check import CORE
from ..context import Context
from ..snetd.protos import Method, message_class
from .daemon import Call, call
from .suite import EXAMPLE_GROUND, EXAMPLE_SEMANTICS, SUITE

U64 = 2**64 - 1
ARITHMETIC = [
    (7, "add", 3, 10),
    (2**63, "add", 2**63 - 1, U64),
    (U64, "sub", U64 - 5, 5),
    (2**32, "mul", 2**32 - 1, 2**64 - 2**32),
    (U64, "div", 3, U64 // 3),
    (9_007_199_254_740_993, "+", 0, 9_007_199_254_740_993),
    (12, "-", 5, 7),
    (3, "*", 3, 9),
    (10, "/", 4, 2),
]
ERRORS = [
    (U64, "add", 1, "a sum beyond uint64"),
    (1, "sub", 2, "a negative difference"),
    (2**32, "mul", 2**32, "a product beyond uint64"),
    (1, "div", 0, "a division by zero"),
    (1, "pow", 2, "an unknown operation"),
]


def _calculate(ctx: Context) -> Method:
    method: Method | None = ctx.state.catalog.method("calculate")
    assert method is not None  # EXAMPLE_SEMANTICS has made sure
    return method


def _run(ctx: Context, method: Method, a: int, op: str, b: int) -> tuple[Call, object]:
    message = message_class(method.input)(number=a, operation=op, second_number=b)
    done = call(ctx, method, message)
    return done, done.exchange.json() if done.verdict.ok else None


@SUITE.check("example-arithmetic", CORE, ground=EXAMPLE_GROUND, requires=(EXAMPLE_SEMANTICS,))
def example_arithmetic(ctx: Context) -> None:
    """calculate adds, subtracts, multiplies and divides exactly over the whole uint64 range"""
    method = _calculate(ctx)
    for a, op, b, result in ARITHMETIC:
        done, body = _run(ctx, method, a, op, b)
        if done.timed_out:
            continue
        got = body if isinstance(body, dict) else None
        ctx.expect(
            got is not None and got.get("status") == "ok" and str(got.get("result")) == str(result),
            done.exchange,
            f'{{"status": "ok", "result": "{result}"}} for {a} {op} {b}',
            done.seen() if got is None else f"the caller would get {json.dumps(got)[:200]}",
        )


@SUITE.check("example-errors-reported", CORE, ground=EXAMPLE_GROUND, requires=(EXAMPLE_SEMANTICS,))
def example_errors(ctx: Context) -> None:
    """an overflow, a division by zero or an unknown operation is an error (refused, or status not ok), not a number"""
    method = _calculate(ctx)
    for a, op, b, what in ERRORS:
        done, body = _run(ctx, method, a, op, b)
        if done.timed_out or not done.verdict.ok:
            continue  # refused: the caller gets an error status
        status = body.get("status") if isinstance(body, dict) else None
        ctx.expect(
            status not in ("ok", None, ""),
            done.exchange,
            f"an error for {what} ({a} {op} {b}): a refusal, or a status other than ok",
            f"the caller would get a reply {json.dumps(body)[:200]}",
        )
