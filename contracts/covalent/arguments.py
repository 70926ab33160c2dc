"""Request bodies: bad arguments get a 4xx JSON error, and a JSON body counts whatever its Content-Type."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..check import CORE
from ..context import Context
from ..exchange import Exchange
from ..fuzz import CHECKS, NO_5XX
from ..fuzz import REJECTION as REJECTED
from .suite import SUITE
from .target import Endpoint, call, endpoints, example_endpoint, invoke_headers, json_error, no_key, seed

JSON = "application/json"


@dataclass(frozen=True)
class Body:
    what: str  # what is wrong with it, or how it is sent
    content: bytes
    content_type: str | None = JSON
    may_ignore: bool = False  # the seed is silent on it: ignoring it (2xx) is as fair as refusing it (4xx)


MALFORMED = Body("malformed JSON", b'{"number": ')


def _bad_calls(ctx: Context) -> list[tuple[Endpoint, Body]]:
    """The example's signatures are known; of another service only a body that is not JSON is surely wrong."""
    found = endpoints(ctx)
    if found and found[0].example:
        hello, stream = example_endpoint(ctx, "/hello"), example_endpoint(ctx, "/stream")
        return [
            (hello, Body("an unknown argument", b'{"aicontract_unknown": 1}', may_ignore=True)),
            (hello, Body("a mistyped argument (number as a string)", b'{"number": "1867"}')),
            (stream, Body("a mistyped argument (items not a list)", b'{"items": 3}')),
            (hello, MALFORMED),
        ]
    return [(e, MALFORMED) for e in found if e.method == "POST"][:1]


def _send(ctx: Context, endpoint: Endpoint, body: Body) -> Exchange:
    headers = invoke_headers(ctx)
    if body.content_type is not None:
        headers["Content-Type"] = body.content_type
    return call(ctx, endpoint, content=body.content, headers=headers)


@SUITE.probe(
    {
        # The generic checks, judged here on bad arguments too: a mistyped one, malformed JSON; an unknown
        # one may be ignored or refused (the seed does not say).
        REJECTED: CHECKS[REJECTED],
        NO_5XX: CHECKS[NO_5XX],
    },
)
def bad_arguments(ctx: Context) -> None:
    why = no_key(ctx)
    bad = _bad_calls(ctx) if why is None else []
    if not bad:
        ctx.skip(why or "no data-plane POST endpoint is known: no example is served and no record lists one")
        return
    for endpoint, body in bad:
        exchange = _send(ctx, endpoint, body)
        code = exchange.status
        if code is None or code >= 500:
            ctx.fail(exchange, f"an answer below 500 for {body.what}", check=NO_5XX)
        if body.may_ignore and code is not None and 200 <= code < 300:
            continue  # ignored: fair where the seed is silent
        if code is None or not 400 <= code < 500:
            want = "a 2xx (ignored) or a 4xx error" if body.may_ignore else "a 4xx error"
            ctx.fail(
                exchange,
                f"{want} for {body.what}",
                check=REJECTED,
                ground=seed('Here the "number" parameter overrides the number=42 argument')
                + ": arguments are typed by the initializer's values (#/paths/~1hello/post/requestBody)",
            )
            continue
        problem = json_error(ctx, exchange)
        if problem is not None:
            ctx.fail(exchange, f"a JSON error body for {body.what}", problem, check=REJECTED)


@SUITE.check(
    "json-body-any-content-type",
    CORE,
    ground=seed('curl -X POST ... -H "x-api-key: $authorization_token" -d \'{"number": 1867}\'')
    + ": no Content-Type but curl -d's application/x-www-form-urlencoded",
)
def json_body_any_content_type(ctx: Context) -> None:
    """a JSON body is read as arguments whatever its Content-Type: none (the seed's curl) or curl -d's form type"""
    why = no_key(ctx)
    posted = [e for e in endpoints(ctx) if e.method == "POST" and not e.streaming] if why is None else []
    if not posted:
        ctx.skip(why or "no plain POST endpoint is known: no example is served and no record lists one")
        return
    endpoint = posted[0]
    # The seed's own request; another service gets no arguments, which it must read the same way.
    arguments: dict[str, Any] = {"number": 1867} if endpoint.example else {}
    content = json.dumps(arguments).encode()
    reference = _send(ctx, endpoint, Body("as application/json", content))
    for content_type in (None, "application/x-www-form-urlencoded"):
        what = f"Content-Type {content_type}" if content_type else "no Content-Type"
        exchange = _send(ctx, endpoint, Body(what, content, content_type))
        if endpoint.example:
            want = "Hello, world! My favorite number is 1867"
            got = exchange.json() if exchange.status == 200 else None
            ctx.expect(got == want, exchange, f"200 with {want!r}: the body read as JSON with {what}")
        else:
            same = reference.status
            ctx.expect(exchange.status == same, exchange, f"status {same}, as the same body gets as {JSON}")
