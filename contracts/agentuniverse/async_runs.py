"""Asynchronous runs: `POST /service_run_async`, then polling `GET /service_run_result`."""

from __future__ import annotations

from ..check import CORE, EXTENDED
from ..context import Context
from ..exchange import Exchange
from ..polling import Polled, moves_backwards, poll
from .shapes import (
    ASYNC,
    RESULT,
    RUN,
    STATE_ORDER,
    TERMINAL,
    expected_result,
    field,
    is_demo,
    ok_envelope,
    real,
    run_body,
    seed,
    task_outcome,
    task_state,
)
from .suite import SUITE

AT_ONCE, TERMINATES, FORWARD, SAME = (
    "async-answers-at-once",
    "async-reaches-terminal-state",
    "async-states-move-forward",
    "async-result-matches-sync",
)


def poll_task(ctx: Context, rid: str) -> Polled:
    """Poll run `rid` until it ends (or the deadline), then a few more times to see that it stays ended."""

    def fetch() -> Exchange:
        return ctx.call(RESULT, params={"request_id": rid})

    def state_of(exchange: Exchange) -> str | None:
        return task_state(exchange) if field(exchange, "success") is True else None

    return poll(
        fetch,
        state_of,
        TERMINAL,
        deadline=ctx.settings.poll_deadline,
        interval=ctx.settings.poll_interval,
        extra=3,  # a terminal state must hold on later reads
    )


@SUITE.probe(
    {
        AT_ONCE: (
            CORE,
            "/service_run_async answers within the latency bound, before the run could have ended",
            seed("The interface will return immediately"),
        ),
        TERMINATES: (
            CORE,
            "polling /service_run_result reaches a terminal state within the polling deadline",
            seed("you need to use the request_id to query the /service_run_result interface")
            + " (#/components/schemas/TaskState)",
        ),
        FORWARD: (
            CORE,
            "task states only move forward (init, running, then a terminal state that holds)",
            seed("class TaskStateEnum ... INIT, RUNNING, FINISHED, FAIL, CANCELED"),
        ),
        SAME: (
            EXTENDED,
            "the async result equals the sync result for the same input",
            real("an async task's result equals /service_run's for the same input"),
        ),
    },
)
def async_lifecycle(ctx: Context) -> None:
    submitted = ctx.call(ASYNC, json=run_body(ctx))
    bound = ctx.settings.latency_bound
    ctx.expect(
        submitted.received is not None and submitted.elapsed <= bound,
        submitted,
        f"an answer within {bound:g} s",
        f"answered after {submitted.elapsed:.2f} s",
        check=AT_ONCE,
    )
    if not ok_envelope(ctx, submitted, "the run was accepted", check=TERMINATES):
        return
    rid = str(field(submitted, "request_id"))
    polled = poll_task(ctx, rid)
    last = polled.last or submitted
    if not polled.finished:
        seen = " → ".join(polled.states) or "no task record"
        ctx.fail(
            last, f"a terminal state within {ctx.settings.poll_deadline:g} s", f"states seen: {seen}", check=TERMINATES
        )
    backwards = moves_backwards(polled.states, STATE_ORDER)
    if backwards is not None or _leaves_terminal(polled.states):
        step = backwards or ("finished", "a different state")
        ctx.fail(
            last,
            "states that only move forward",
            f"{step[0]} → {step[1]} (seen: {' → '.join(polled.states)})",
            check=FORWARD,
        )
    if polled.finished and is_demo(ctx):
        sync = ctx.call(RUN, json=run_body(ctx))
        want = (
            field(sync, "result")
            if field(sync, "success") is True
            else expected_result(ctx, str(run_body(ctx)["params"]["input"]))
        )
        got = task_outcome(ctx, last)
        ctx.expect(got == want, last, f"the sync result {want!r:.80}", f"async result {got!r:.80}", check=SAME)


def _leaves_terminal(states: list[str]) -> bool:
    ends = [i for i, s in enumerate(states) if s in TERMINAL]
    return bool(ends) and any(s != states[ends[0]] for s in states[ends[0] :])
