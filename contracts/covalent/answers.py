"""What endpoints answer: plain ones JSON, streaming ones raw bytes in chunks, ending within the bounds."""

from __future__ import annotations

from ..check import CORE
from ..context import Context
from ..ground import joined
from ..streams import DECLARED
from ..streams import TERMINATES as ENDS
from .suite import SUITE
from .target import call, endpoints, json_answer, no_key, sdk, seed

CHUNKED = "stream-chunked"


@SUITE.check(
    "plain-answers-json",
    CORE,
    ground=sdk(
        "a plain endpoint's answer is decoded as JSON; the seed's answer is the JSON string "
        '"Hello, world! My favorite number is 1867"'
    ),
)
def plain_answers_json(ctx: Context) -> None:
    """plain endpoints answer application/json (the SDK decodes every plain answer as JSON)"""
    why = no_key(ctx)
    plain = [e for e in endpoints(ctx) if not e.streaming] if why is None else []
    judged = 0
    for endpoint in plain:
        exchange = call(ctx, endpoint)
        code = exchange.status
        if code is None or not 200 <= code < 300:
            # An endpoint of the seed's example takes a call without arguments; others may not.
            if endpoint.example:
                ctx.fail(exchange, "200 for a call without arguments")
            continue
        judged += 1
        problem = json_answer(exchange)
        if problem is not None:
            ctx.fail(exchange, "a 2xx answer with Content-Type application/json and a JSON body", problem)
    if not judged and not ctx.violations:
        ctx.skip(why or "no plain endpoint answered a call without arguments with 2xx")


@SUITE.probe(
    {
        CHUNKED: (
            CORE,
            "streaming endpoints answer raw bytes as a chunked stream; the example's /stream in more than one chunk",
            joined(
                seed("Live-streaming responses additionally requires setting the --no-buffer/-N flag in curl"),
                seed("Because the stream returns bytes, the output chunks are decoded"),
            ),
        ),
        ENDS: DECLARED,
    },
)
def streams(ctx: Context) -> None:
    why = no_key(ctx)
    streaming = [e for e in endpoints(ctx) if e.streaming] if why is None else []
    judged = 0
    for endpoint in streaming:
        exchange = call(ctx, endpoint)
        received = ctx.stream_ended(exchange, check=ENDS)
        if received is None:
            continue
        if not 200 <= received.status < 300:
            if endpoint.example:
                ctx.fail(exchange, "200 for a call without arguments", check=CHUNKED)
            continue
        judged += 1
        # Chunked transfer: bytes flushed as produced, not a body buffered and sent with its length.
        framing = received.headers.get("transfer-encoding", "")
        if "chunked" not in framing.lower() or not received.body:
            actual = f"Transfer-Encoding {framing or '(none)'}, {len(received.body)} bytes"
            ctx.fail(exchange, "a non-empty body sent with Transfer-Encoding: chunked", actual, check=CHUNKED)
        elif endpoint.example and received.complete and len(received.chunks) < 2:
            ctx.fail(exchange, "its lines in more than one chunk", f"{len(received.chunks)} chunk", check=CHUNKED)
    if not judged and not ctx.violations:
        ctx.skip(why or "no streaming endpoint answered a call without arguments with 2xx")
