"""The seed's example service with real behaviour (`calculate`, `process`), answering CommonOutput.

calculate: `number` OPERATION `second_number`, exact over the whole uint64 range. Operations, any
case, spaces trimmed: add, plus, sum, `+`; sub, subtract, minus, `-`; mul, multiply, times, `*`, `x`;
div, divide, `/` (integer division, the quotient rounded down). A result is `status: ok` with the
decimal result. An unknown operation, a division by zero and a result that does not fit uint64 are
`status: error` with the reason in `result` (a 2xx: the daemon passes the reply on, and the caller
reads its status), never a wrong number.

process: `result` is `input_data` reversed, character by character (so "abc" gives "cba").
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

UINT64_MAX = 2**64 - 1
OPERATIONS = {
    **dict.fromkeys(("add", "plus", "sum", "+"), "add"),
    **dict.fromkeys(("sub", "subtract", "minus", "-"), "sub"),
    **dict.fromkeys(("mul", "multiply", "times", "*", "x"), "mul"),
    **dict.fromkeys(("div", "divide", "/"), "div"),
}
SYMBOL = {"add": "+", "sub": "-", "mul": "*", "div": "/"}
OK, ERROR = "ok", "error"


def output(status: str, result: str) -> dict[str, Any]:
    return {"status": status, "result": result}


def _uint(value: Any) -> int:
    # The input was read by protobuf: a uint64 field is an int already.
    return int(value or 0)


def calculate(fields: dict[str, Any], faults: Collection[str] = ()) -> dict[str, Any]:
    a, b = _uint(fields.get("number")), _uint(fields.get("second_number"))
    given = str(fields.get("operation") or "")
    op = OPERATIONS.get(given.strip().lower())
    if op is None:
        if "error-as-number" in faults:
            return output(OK, "0")
        return output(ERROR, f"unknown operation {given!r}: use add, sub, mul, div or + - * /")
    if op == "div" and b == 0:
        if "error-as-number" in faults:
            return output(OK, "0")
        return output(ERROR, f"division by zero: {a} / 0")
    if "float-arithmetic" in faults:
        x, y = float(a), float(b)
        value = int({"add": x + y, "sub": x - y, "mul": x * y, "div": x // y if y else 0.0}[op])
    else:
        value = {"add": a + b, "sub": a - b, "mul": a * b, "div": a // b if b else 0}[op]
    if not 0 <= value <= UINT64_MAX:
        if "overflow-wraps" in faults:
            return output(OK, str(value % 2**64))
        return output(ERROR, f"overflow: {a} {SYMBOL[op]} {b} = {value} does not fit in uint64")
    return output(OK, str(value))


def process(fields: dict[str, Any]) -> dict[str, Any]:
    return output(OK, str(fields.get("input_data") or "")[::-1])


def is_example(rpc: str, input_fields: Collection[str]) -> bool:
    """An rpc of the seed's shape, answered with the example's semantics."""
    if rpc == "calculate":
        return {"number", "operation", "second_number"} <= set(input_fields)
    return rpc == "process" and "input_data" in input_fields
