"""A deployment's lifecycle, on the reference stub: CREATING, then ACTIVE, then INACTIVE after teardown.

Only a stub offers a deployment the harness may create and tear down (`POST /_stub/deployments`);
a live target's deployments are not the harness's to tear down, so there these checks skip.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ..check import EXTENDED
from ..context import Context
from ..exchange import Exchange
from ..polling import poll
from .suite import REFERENCE_STUB, SUITE
from .target import (
    ACTIVE,
    FUNCTIONS,
    RECORD,
    STUB_DEPLOY,
    TEARDOWN,
    Endpoint,
    call,
    json_error,
    key_headers,
    send,
    served,
    target,
)

BECOMES_ACTIVE, REFUSED_UNTIL_ACTIVE, TEARDOWN_STOPS = (
    "lifecycle-becomes-active",
    "not-active-refused",
    "teardown-stops-serving",
)
NOT_YET = frozenset({"NEW_OBJECT", "CREATING"})
SETTLED = frozenset({ACTIVE, "INACTIVE", "ERROR"})
MAX_CREATE_DELAY = 1.0


def _field(exchange: Exchange, name: str) -> Any:
    body = exchange.json()
    return body.get(name) if isinstance(body, dict) else None


def _record(ctx: Context, function_id: str) -> Exchange:
    control = target(ctx).control_url
    path = f"{FUNCTIONS}/{quote(function_id, safe='')}"
    return send(ctx, RECORD, path=path, base_url=control, headers=key_headers(ctx))


def _first_plain(record: dict[str, Any]) -> Endpoint | None:
    for entry in record.get("endpoints") or []:
        if isinstance(entry, dict) and entry.get("streaming") is False and entry.get("method", "POST") == "POST":
            return Endpoint(str(record["invoke_url"]), str(entry.get("route")))
    return None


def _refused(ctx: Context, exchange: Exchange) -> str | None:
    """What is wrong with an answer that should refuse the call; None when it does, with a JSON error."""
    code = exchange.status
    if code is None or code < 400:
        return f"status {code}" if code is not None else f"no response: {exchange.error}"
    return json_error(ctx, exchange)


@SUITE.probe(
    {
        BECOMES_ACTIVE: (
            EXTENDED,
            "a new deployment goes CREATING → ACTIVE within the polling deadline, then serves",
            'seed 002: "the service is most likely still in a CREATING state ... wait for the ACTIVE state"',
        ),
        REFUSED_UNTIL_ACTIVE: (
            EXTENDED,
            "the data plane refuses calls while the deployment is not ACTIVE",
            'seed 002: "Once a function service is deployed and in an active state, it exposes the user-defined API"',
        ),
        TEARDOWN_STOPS: (
            EXTENDED,
            "teardown makes the deployment INACTIVE, and its data plane then refuses calls",
            "the real system does this: client.teardown() is PUT /fn/api/v0/functions/{id}/teardown "
            "(covalent-cloud SDK 1.4.4, spec/covalent-function-service.md)",
        ),
    },
    requires=(REFERENCE_STUB,),
)
def lifecycle(ctx: Context) -> None:
    found = target(ctx)
    if found.key is None:
        ctx.skip(found.keyless)
        return
    # Long enough to be seen CREATING, short enough for the polling deadline.
    delay = min(MAX_CREATE_DELAY, max(0.2, ctx.settings.poll_deadline / 10))
    created = send(
        ctx,
        STUB_DEPLOY,
        path="/_stub/deployments",
        base_url=found.control_url,
        headers=key_headers(ctx),
        json={"create_delay": delay},
    )
    record = created.json()
    fid = _field(created, "id")
    if created.status != 201 or not isinstance(record, dict) or not isinstance(fid, str):
        ctx.fail(created, "201 with the new deployment's record", check=BECOMES_ACTIVE)
        ctx.skip("no deployment was created")
        return
    if not isinstance(record.get("invoke_url"), str):
        ctx.fail(created, "the new deployment's record with its invoke_url", check=BECOMES_ACTIVE)
        ctx.skip("the new deployment gives no invoke_url to call")
        _teardown(ctx, fid, None)
        return
    endpoint = _first_plain(record)
    if endpoint is None:
        ctx.skip("the deployed service has no plain POST endpoint to call")
        _teardown(ctx, fid, None)
        return
    ctx.expect(
        record.get("status") in NOT_YET,
        created,
        f"status NEW_OBJECT or CREATING right after a deployment with a {delay:g} s create delay",
        f"status {record.get('status')!r}",
        check=BECOMES_ACTIVE,
    )
    early = call(ctx, endpoint)
    # Judged only if the deployment was still not ACTIVE after the call: status only moves forward,
    # so it was not ACTIVE during the call either (a slow network may miss the window; then it passes).
    if _field(_record(ctx, fid), "status") in NOT_YET:
        problem = _refused(ctx, early)
        if problem is not None:
            ctx.fail(early, "a refusal (4xx/5xx JSON error) while CREATING", problem, check=REFUSED_UNTIL_ACTIVE)
    polled = poll(
        lambda: _record(ctx, fid),
        lambda e: _field(e, "status") if e.status == 200 else None,
        SETTLED,
        deadline=ctx.settings.poll_deadline,
        interval=ctx.settings.poll_interval,
    )
    last = polled.last or created
    if polled.states[-1:] != [ACTIVE]:
        seen = " → ".join(polled.states) or "no record"
        ctx.fail(
            last, f"status ACTIVE within {ctx.settings.poll_deadline:g} s", f"states seen: {seen}", check=BECOMES_ACTIVE
        )
    else:
        answered = call(ctx, endpoint)
        ctx.expect(served(answered), answered, "an ACTIVE deployment serves the call", check=BECOMES_ACTIVE)
    _teardown(ctx, fid, endpoint)


def _teardown(ctx: Context, fid: str, endpoint: Endpoint | None) -> None:
    control = target(ctx).control_url
    path = f"{FUNCTIONS}/{quote(fid, safe='')}/teardown"
    torn = send(ctx, TEARDOWN, path=path, base_url=control, headers=key_headers(ctx))
    if torn.status != 200:
        ctx.fail(torn, "200: torn down", check=TEARDOWN_STOPS)
        return
    after = _record(ctx, fid)
    state = _field(after, "status")
    ctx.expect(state == "INACTIVE", after, "status INACTIVE after teardown", f"status {state!r}", check=TEARDOWN_STOPS)
    if endpoint is None:
        return
    refused = call(ctx, endpoint)
    problem = _refused(ctx, refused)
    if problem is not None:
        ctx.fail(refused, "a refusal (4xx/5xx JSON error) after teardown", problem, check=TEARDOWN_STOPS)
