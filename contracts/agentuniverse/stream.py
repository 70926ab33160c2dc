"""Streamed runs: `POST /service_run_stream` (Server-Sent Events)."""

from __future__ import annotations

import json
from typing import Any

from ..check import CORE, EXTENDED
from ..conformance import media_type
from ..context import Context
from ..contract import validate
from ..exchange import Exchange
from ..sse import parse
from ..streams import DECLARED
from ..streams import TERMINATES as ENDS
from .shapes import (
    RESULT,
    STREAM,
    expected_result,
    id_form,
    ok_envelope,
    real,
    run_body,
    seed,
    stores_sync_runs,
    task_outcome,
    task_state,
    well_formed_id,
)
from .suite import DEMO_SERVICE, SUITE

FORMAT = "stream-format"


def events(exchange: Exchange) -> list[Any]:
    """The JSON payloads of the stream's events; a payload that does not parse is kept as text."""
    assert exchange.received is not None
    found: list[Any] = []
    for event in parse(exchange.received.body):
        try:
            found.append(json.loads(event.data))
        except ValueError:
            found.append(event.data)
    return found


@SUITE.probe(
    {
        FORMAT: (
            CORE,
            "200 text/event-stream, valid X-Request-ID, documented JSON events, one final result/error event last",
            seed(
                'Response(task.stream_run(), mimetype="text/event-stream") ... the request_id will be included '
                "in the response header as X-Request-ID"
            )
            + " (#/components/schemas/StreamEvent)",
        ),
        ENDS: DECLARED,
    },
)
def stream_format(ctx: Context) -> None:
    exchange = ctx.stream(STREAM, json=run_body(ctx))
    received = ctx.stream_ended(exchange, check=ENDS)
    if received is None:
        return
    if received.status != 200:
        ctx.fail(exchange, "status 200", f"status {received.status}", check=FORMAT)
        return
    ctype = media_type(received.content_type)
    ctx.expect(
        ctype == "text/event-stream",
        exchange,
        "Content-Type text/event-stream",
        f"Content-Type {received.content_type or '(none)'}",
        check=FORMAT,
    )
    rid = received.headers.get("x-request-id")
    ctx.expect(
        well_formed_id(ctx, rid), exchange, f"X-Request-ID {id_form(ctx)}", f"X-Request-ID {rid!r}", check=FORMAT
    )
    schema = ctx.contract.schema("StreamEvent")
    payloads = events(exchange)
    for payload in payloads:
        errors = validate(schema, payload) if not isinstance(payload, str) else [f"not JSON: {payload[:80]!r}"]
        if errors:
            ctx.fail(exchange, "every event's data a documented StreamEvent JSON object", errors[0], check=FORMAT)
            break
    finals = [i for i, p in enumerate(payloads) if isinstance(p, dict) and ({"result", "error"} & set(p))]
    if received.complete and (len(finals) != 1 or finals[0] != len(payloads) - 1):
        kinds = [next(iter(p)) if isinstance(p, dict) and p else "?" for p in payloads]
        ctx.fail(
            exchange, "exactly one final result or error event, as the last event", f"events {kinds}", check=FORMAT
        )


@SUITE.check(
    "stream-result",
    EXTENDED,
    requires=(DEMO_SERVICE,),
    ground=seed("This POST interface is similar to /service_run ... the return result of the Agent will be streamed"),
)
def stream_result(ctx: Context) -> None:
    """demo_service's stream ends with the same result a sync run gives"""
    exchange = ctx.stream(STREAM, json=run_body(ctx))
    if exchange.received is None or exchange.received.status != 200:
        ctx.fail(exchange, "a 200 stream")
        return
    finals = [p for p in events(exchange) if isinstance(p, dict) and "result" in p]
    want = expected_result(ctx, str(run_body(ctx)["params"]["input"]))
    got = finals[-1]["result"] if finals else None
    ctx.expect(
        got == want,
        exchange,
        f"a final result event {want!r}",
        f"final result {got!r}" if finals else "no result event",
    )


@SUITE.check(
    "stream-request-id-identifies-run",
    EXTENDED,
    ground=real("the X-Request-ID of a stream is the id stored in the task db (queryable when saved: true)"),
)
def stream_request_id_identifies_run(ctx: Context) -> None:
    """the stream's X-Request-ID finds the streamed run at /service_run_result, finished, same result"""
    exchange = ctx.stream(STREAM, json=run_body(ctx, **stores_sync_runs(ctx)))
    received = exchange.received
    if received is None or received.status != 200:
        ctx.fail(exchange, "a 200 stream")
        return
    rid = received.headers.get("x-request-id")
    if not well_formed_id(ctx, rid):
        ctx.fail(exchange, "a well-formed X-Request-ID", f"X-Request-ID {rid!r}")
        return
    looked = ctx.call(RESULT, params={"request_id": rid})
    if not ok_envelope(ctx, looked, f"the streamed run {rid} stored under its X-Request-ID"):
        return
    state = task_state(looked)
    ctx.expect(state == "finished", looked, "state finished", f"state {state!r}")
    finals = [p["result"] for p in events(exchange) if isinstance(p, dict) and "result" in p]
    if finals:
        outcome = task_outcome(ctx, looked)
        ctx.expect(outcome == finals[-1], looked, f"the streamed result {finals[-1]!r:.80}", f"result {outcome!r:.80}")
