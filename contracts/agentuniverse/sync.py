"""Synchronous runs: `POST /service_run`."""

from __future__ import annotations

from ..check import CORE, EXTENDED
from ..context import Context
from ..ground import joined
from .shapes import (
    RESULT,
    RUN,
    expected_result,
    field,
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


@SUITE.check(
    "sync-run-succeeds",
    CORE,
    ground=seed(
        "success: ... true or false. message: ... null when the operation is successful. request_id: "
        "a randomly generated string"
    )
    + " (#/components/schemas/RunSucceeded)",
)
def sync_run_succeeds(ctx: Context) -> None:
    """the documented example run answers 200 with success true, message null and a request_id"""
    exchange = ctx.call(RUN, json=run_body(ctx))
    if not ok_envelope(ctx, exchange, "the run succeeded"):
        return
    ctx.expect(
        field(exchange, "message") is None,
        exchange,
        "message null on success",
        f"message {field(exchange, 'message')!r}",
    )
    rid = field(exchange, "request_id")
    ctx.expect(well_formed_id(ctx, rid), exchange, f"request_id {id_form(ctx)}", f"request_id {rid!r}")


@SUITE.check(
    "echo-result",
    EXTENDED,
    requires=(DEMO_SERVICE,),
    ground=joined(
        seed('The demo_agent ... returns a string in the format:: "Your input is {input}."'),
        "upstream: " + real('result is the JSON string {"output": "Your input is {input}."}'),
    ),
)
def echo_result(ctx: Context) -> None:
    """demo_service answers `Your input is {input}.` for every input, in the profile's result shape"""
    for text in ("Hello!", "", "你好 é", 'quote " and \\ backslash', "x" * 300):
        exchange = ctx.call(RUN, json=run_body(ctx, text))
        if not ok_envelope(ctx, exchange, f"input {text[:20]!r}"):
            continue
        want = expected_result(ctx, text)
        got = field(exchange, "result")
        ctx.expect(got == want, exchange, f"result {want[:80]!r}", f"result {got!r:.120}")


@SUITE.check(
    "request-id-unique",
    CORE,
    ground=seed("request_id: A randomly generated string serving as a unique identifier for the request"),
)
def request_id_unique(ctx: Context) -> None:
    """every call gets a fresh, well-formed request_id"""
    seen: dict[str, str] = {}
    for operation in (RUN, RUN, RUN, "POST /service_run_async", "POST /service_run_async"):
        exchange = ctx.call(operation, json=run_body(ctx))
        rid = field(exchange, "request_id")
        if not ok_envelope(ctx, exchange, "a run to read its request_id"):
            continue
        if not ctx.expect(well_formed_id(ctx, rid), exchange, f"request_id {id_form(ctx)}", f"request_id {rid!r}"):
            continue
        if rid in seen:
            ctx.fail(exchange, "a request_id no earlier call got", f"request_id {rid} again (first from {seen[rid]})")
        seen[str(rid)] = operation


@SUITE.check(
    "sync-run-retrievable",
    EXTENDED,
    ground=joined(
        seed("It can be utilized in the /service_run_result interface to retrieve the result"),
        "upstream: " + real("a sync run is stored when sent with saved: true"),
    ),
)
def sync_run_retrievable(ctx: Context) -> None:
    """a stored sync run is found by its request_id, finished, with the same result"""
    exchange = ctx.call(RUN, json=run_body(ctx, **stores_sync_runs(ctx)))
    if not ok_envelope(ctx, exchange, "the run succeeded"):
        return
    rid = field(exchange, "request_id")
    looked = ctx.call(RESULT, params={"request_id": rid})
    if not ok_envelope(ctx, looked, f"run {rid} found"):
        return
    state = task_state(looked)
    ctx.expect(state == "finished", looked, "state finished", f"state {state!r}")
    outcome, result = task_outcome(ctx, looked), field(exchange, "result")
    ctx.expect(outcome == result, looked, f"the sync result {result!r:.80}", f"result {outcome!r:.80}")
