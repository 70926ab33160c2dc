"""How failures are answered: unknown services, unknown request ids, and what `saved` stores."""

from __future__ import annotations

from ..check import CORE, EXTENDED
from ..context import Context
from ..exchange import Exchange
from .async_runs import poll_task
from .shapes import (
    ASYNC,
    RESULT,
    RUN,
    STREAM,
    UNKNOWN_SERVICE,
    field,
    run_body,
    task_outcome,
    task_state,
)
from .stream import events
from .suite import SUITE


def _failure(exchange: Exchange, status: int | None) -> bool:
    """A JSON envelope with success false and a message, with `status` (any 4xx when None)."""
    received = exchange.received
    if received is None:
        return False
    ok_status = received.status == status if status is not None else 400 <= received.status < 500
    message = field(exchange, "message")
    return ok_status and field(exchange, "success") is False and isinstance(message, str) and bool(message)


@SUITE.check("unknown-service", CORE)
def unknown_service(ctx: Context) -> None:
    """an unknown service_id fails on every run route, as the profile says"""
    upstream = ctx.profile == "upstream"
    body = {**run_body(ctx), "service_id": UNKNOWN_SERVICE}
    message = f"Service {UNKNOWN_SERVICE} not found."
    exchange = ctx.call(RUN, json=body)
    if upstream:
        ok = _failure(exchange, 404) and field(exchange, "message") == message
        ctx.expect(ok, exchange, f"404 success false, message {message!r}")
    else:
        ctx.expect(_failure(exchange, None), exchange, "a 4xx envelope with success false and a message")
    streamed = ctx.stream(STREAM, json=body)
    received = streamed.received
    in_stream = (
        [p for p in events(streamed) if isinstance(p, dict) and "error" in p]
        if received and received.status == 200
        else []
    )
    if upstream:
        ok = bool(in_stream) and in_stream[-1]["error"] == {"error_msg": message}
        ctx.expect(ok, streamed, f"200 stream whose error event says {message!r}")
    else:
        ctx.expect(
            _failure(streamed, None) or bool(in_stream), streamed, "a 4xx envelope or a stream ending in an error event"
        )
    accepted = ctx.call(ASYNC, json=body)
    if _failure(accepted, None) and not upstream:
        return
    if field(accepted, "success") is not True:
        expected = "200 success true, then the task fails" if upstream else "a 4xx envelope, or 200 then the task fails"
        ctx.fail(accepted, expected)
        return
    polled = poll_task(ctx, str(field(accepted, "request_id")))
    last = polled.last or accepted
    state = task_state(last)
    ctx.expect(state == "fail", last, "the task ends in state fail", f"state {state!r}")
    if upstream:
        outcome = task_outcome(ctx, last)
        ctx.expect(outcome == {"error_msg": message}, last, f"error_msg {message!r}", f"result {outcome!r}")


@SUITE.check("missing-service-id", CORE)
def missing_service_id(ctx: Context) -> None:
    """a run without service_id fails, as the profile says"""
    exchange = ctx.call(RUN, json={"params": {"input": "Hello!"}})
    if ctx.profile == "upstream":
        message = "Service <class 'inspect._empty'> not found."
        ok = _failure(exchange, 404) and field(exchange, "message") == message
        ctx.expect(ok, exchange, f"404 success false, message {message!r}")
    else:
        ctx.expect(_failure(exchange, None), exchange, "a 4xx envelope with success false and a message")


@SUITE.check("unknown-request-id", CORE)
def unknown_request_id(ctx: Context) -> None:
    """an unknown request_id is answered with success false, as the profile says"""
    rid = "0" * 32
    exchange = ctx.call(RESULT, params={"request_id": rid})
    if ctx.profile == "upstream":
        message = f"request {rid} not found"
        ok = _failure(exchange, 200) and field(exchange, "message") == message
        ctx.expect(ok, exchange, f"200 success false, message {message!r}")
    else:
        ctx.expect(_failure(exchange, 404), exchange, "404 with success false and a message")


@SUITE.check("saved-flag", EXTENDED, profiles=("upstream",))
def saved_flag(ctx: Context) -> None:
    """only runs the `saved` flag keeps are found: sync and stream default false, async true"""
    cases = [
        (RUN, {}, False),
        (RUN, {"saved": True}, True),
        (STREAM, {}, False),
        (ASYNC, {"saved": False}, False),
        (ASYNC, {}, True),
    ]
    for operation, extra, kept in cases:
        body = {**run_body(ctx), **extra}
        sent = ctx.stream(operation, json=body) if operation == STREAM else ctx.call(operation, json=body)
        received = sent.received
        rid = received.headers.get("x-request-id") if received and operation == STREAM else field(sent, "request_id")
        if not rid:
            ctx.fail(sent, "a run with a request_id")
            continue
        looked = ctx.call(RESULT, params={"request_id": rid})
        found = field(looked, "success") is True
        what = "found" if kept else "not found"
        ctx.expect(
            found == kept,
            looked,
            f"{operation} with {extra or 'no saved field'}: {what}",
            f"success {field(looked, 'success')!r}",
        )
