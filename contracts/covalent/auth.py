"""The data plane's API key: `x-api-key` is required, checked, and the right one is accepted."""

from __future__ import annotations

from ..check import CORE
from ..context import Context
from .suite import API_KEY, SUITE
from .target import (
    WRONG_KEY,
    Endpoint,
    call,
    endpoints,
    example_missing,
    json_error,
    requires_key,
    seed,
)

MISSING, WRONG = "missing-key-refused", "wrong-key-refused"


def _probed(ctx: Context) -> Endpoint | None:
    """The endpoint auth is tried on: a plain one if there is one (its answer is read whole)."""
    found = endpoints(ctx)
    if not found:
        ctx.skip(example_missing(ctx) or "no data-plane endpoint is known: no example is served, no record lists one")
        return None
    return next((e for e in found if not e.streaming), found[0])


REFUSALS = (401, 403)  # no status is documented: either says "no access" carefully
KEY_GROUND = (
    seed('authorization_token="<paste-real-authorization-token-here>" ... -H "x-api-key: $authorization_token"')
    + ": the service takes calls with its token (the refusal's status is not documented: 401 or 403)"
)


@SUITE.probe(
    {
        MISSING: (CORE, "a data-plane call without x-api-key is refused (401 or 403) with a JSON error", KEY_GROUND),
        WRONG: (
            CORE,
            "a data-plane call with a wrong x-api-key is refused with 401 or 403 and a JSON error",
            KEY_GROUND,
        ),
    },
)
def key_required(ctx: Context) -> None:
    endpoint = _probed(ctx)
    if endpoint is None:
        return
    if not requires_key(ctx):
        ctx.skip("the function's record says auth: false: its data plane takes calls without a key")
        return
    for name, headers, what in ((MISSING, {}, "no x-api-key"), (WRONG, {"x-api-key": WRONG_KEY}, "a wrong x-api-key")):
        exchange = call(ctx, endpoint, headers=headers)
        if exchange.status not in REFUSALS:
            ctx.fail(exchange, f"401 or 403 for a call with {what}", check=name)
            continue
        problem = json_error(ctx, exchange)
        if problem is not None:
            ctx.fail(exchange, f"a JSON error body with the {exchange.status} for {what}", problem, check=name)


@SUITE.check(
    "key-accepted",
    CORE,
    requires=(API_KEY,),
    ground=seed('-H "x-api-key: $authorization_token"') + ": the key travels in x-api-key",
)
def key_accepted(ctx: Context) -> None:
    """a data-plane call with the right x-api-key is accepted (neither 401 nor 403)"""
    endpoint = _probed(ctx)
    if endpoint is None:
        return
    exchange = call(ctx, endpoint)
    code = exchange.status
    given = "" if ctx.settings.option("api_key") else " (no --api-key given: the reference stub's default key)"
    ctx.expect(
        code is not None and code not in (401, 403),
        exchange,
        f"the call accepted with the key in x-api-key{given}: an answer other than 401 or 403",
    )
