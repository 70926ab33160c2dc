"""The function under test (--function-id): its control-plane record, and every endpoint it lists."""

from __future__ import annotations

from ..check import CORE, EXTENDED
from ..context import Context
from ..contract import validate
from ..ground import joined
from .suite import FUNCTION_ID, SUITE
from .target import ACTIVE, Endpoint, call, json_answer, listed, no_key, sdk, seed, served, target


def _no_function(ctx: Context) -> str | None:
    """Why the record cannot be read here; None when it can."""
    if target(ctx).function_id is None:
        return "no --function-id given: the control-plane checks read that function's record"
    return no_key(ctx)


@SUITE.check(
    "function-record",
    CORE,
    requires=(FUNCTION_ID,),
    ground=joined(
        seed('example_client = cc.get_deployment("663accb6f7d37dbf2a4687b7")'),
        sdk("get_deployment reads GET /fn/api/v0/functions/{id}") + " (#/components/schemas/FunctionRecord)",
    ),
)
def function_record(ctx: Context) -> None:
    """the record of the function under test (GET /fn/api/v0/functions/{id}) validates against FunctionRecord"""
    why = _no_function(ctx)
    found = target(ctx)
    if why is not None or found.record is None:
        ctx.skip(why or "the record was not read")
        return
    exchange = found.record
    record = found.record_body()
    if record is None:
        ctx.fail(exchange, f"200 with the JSON record of {found.function_id}")
        return
    for error in validate(ctx.contract.schema("FunctionRecord"), record)[:3]:
        ctx.fail(exchange, "a record matching the contract's FunctionRecord", error)
    ctx.expect(
        record.get("id") == found.function_id,
        exchange,
        f"the record of {found.function_id}",
        f"id {record.get('id')!r}",
    )


def _listed_or_skip(ctx: Context) -> list[Endpoint]:
    why = _no_function(ctx)
    found = target(ctx)
    record = found.record_body() if why is None else None
    if why is None and record is None:
        why = "the record could not be read (see function-record)"
    elif record is not None and record.get("status") != ACTIVE:
        why = f"function {found.function_id} is {record.get('status')}: only an ACTIVE one serves calls"
    elif record is not None and not isinstance(record.get("invoke_url"), str):
        why = "the record gives no invoke_url (see function-record)"
    if why is not None:
        ctx.skip(why)
        return []
    return listed(ctx)


def _judge(ctx: Context, endpoint: Endpoint) -> None:
    """An endpoint is served where the record says: called without arguments it may refuse them (4xx),
    but it exists (not 404/405/410) and does not fail (no 5xx); a 2xx answer is JSON or a byte stream."""
    exchange = call(ctx, endpoint)
    how = f"{endpoint.method} {endpoint.url}{endpoint.route}"
    if not served(exchange):
        ctx.fail(exchange, f"{endpoint.route} served at {how}, as the record lists it")
        return
    code = exchange.status
    assert exchange.received is not None and code is not None
    if not 200 <= code < 300:
        return
    if endpoint.streaming:
        ctx.expect(bool(exchange.received.body), exchange, f"streaming {endpoint.route}: a stream of bytes")
        return
    problem = json_answer(exchange)
    if problem is not None:
        ctx.fail(exchange, f"plain {endpoint.route}: a JSON answer", problem)


@SUITE.check(
    "listed-endpoints-served",
    CORE,
    ground=seed(
        'every client features "endpoint methods" with names that correspond to the route names of attached endpoints'
    ),
)
def listed_endpoints_served(ctx: Context) -> None:
    """every endpoint the record lists answers at its invoke_url with its method (plain: JSON; streaming: bytes)"""
    found = _listed_or_skip(ctx)
    if not found and not ctx.skipped:
        ctx.skip("the record lists no endpoints")
    for endpoint in found:
        _judge(ctx, endpoint)


@SUITE.check(
    "dashed-routes-served",
    EXTENDED,
    ground=seed("the route /custom-endpoint would correspond to the method client.custom_endpoint()"),
)
def dashed_routes_served(ctx: Context) -> None:
    """routes with a dash are served as listed (the SDK calls /custom-endpoint as client.custom_endpoint())"""
    dashed = [e for e in _listed_or_skip(ctx) if "-" in e.route]
    if not dashed and not ctx.skipped:
        ctx.skip("the record lists no route with a dash")
    for endpoint in dashed:
        _judge(ctx, endpoint)
