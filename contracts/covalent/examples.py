"""The seed's example service: `/hello` and `/stream` answer exactly the seed's texts, arguments overriding defaults."""

from __future__ import annotations

from typing import Any

from ..check import EXTENDED
from ..context import Context
from .suite import SUITE
from .target import call, example_endpoint, example_missing, no_key, seed

FOX = "The quick brown fox jumps over the lazy dog"

# (arguments, answer): the seed's examples, plus both overrides at once.
HELLO_CASES: list[tuple[dict[str, Any], str]] = [
    ({}, "Hello, world! My favorite number is 42"),
    ({"number": 1867}, "Hello, world! My favorite number is 1867"),
    ({"message": "Hello, Covalent!"}, "Hello, Covalent! My favorite number is 42"),
    ({"message": "Hello, Covalent!", "number": 1867}, "Hello, Covalent! My favorite number is 1867"),
]
STREAM_CASES: list[tuple[dict[str, Any], str]] = [
    ({}, "Hello, world!\nItems: 1 5 foo\nDone streaming\n"),
    ({"message": "Hello, Covalent!"}, "Hello, Covalent!\nItems: 1 5 foo\nDone streaming\n"),
    (
        {"message": FOX, "items": list(range(20))},
        f"{FOX}\nItems: {' '.join(str(i) for i in range(20))}\nDone streaming\n",
    ),
]


def _cannot_judge(ctx: Context, route: str) -> bool:
    why = no_key(ctx) or example_missing(ctx, route)
    if why is not None:
        ctx.skip(why)
    return why is not None


@SUITE.check(
    "hello-example",
    EXTENDED,
    ground=seed("print(example_client.hello(number=1867)) ... Hello, world! My favorite number is 1867"),
)
def hello_example(ctx: Context) -> None:
    """/hello answers the seed's texts: defaults, number alone, message alone, both overridden"""
    if _cannot_judge(ctx, "/hello"):
        return
    endpoint = example_endpoint(ctx, "/hello")
    for arguments, text in HELLO_CASES:
        exchange = call(ctx, endpoint, arguments)
        got = exchange.json() if exchange.status == 200 else None
        ctx.expect(got == text, exchange, f"200 with the JSON string {text!r}")


@SUITE.check(
    "stream-example",
    EXTENDED,
    ground=seed("Argument overrides work the same way for streaming and non-streaming endpoints")
    + " (the fox example's output)",
)
def stream_example(ctx: Context) -> None:
    """/stream streams the seed's texts: defaults, message alone, message with items=list(range(20))"""
    if _cannot_judge(ctx, "/stream"):
        return
    endpoint = example_endpoint(ctx, "/stream")
    for arguments, text in STREAM_CASES:
        exchange = call(ctx, endpoint, arguments)
        received = exchange.received
        ok = received is not None and received.status == 200 and received.complete
        got = received.body.decode("utf-8", "replace") if received is not None else ""
        ctx.expect(ok and got == text, exchange, f"200 streaming exactly {text!r}", None if not ok else repr(got))
