"""Property-based checks of every documented operation, generated from the OpenAPI document.

schemathesis turns each operation into Hypothesis strategies of valid (positive) and invalid
(negative) requests; the harness sends them with its own bounded client and judges the answers
against the contract, so that every finding carries a curl line and the expectation it broke.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from .check import CORE, ROBUSTNESS, declare
from .conformance import ground, media_type, problems
from .context import Context
from .contract import Contract, Operation, validate
from .exchange import Exchange, Sent
from .shrink import Target, minimise

CONFORMANCE = "response-conformance"
REJECTION = "invalid-input-rejected"
NO_5XX = "no-server-errors"
ERROR_DOCUMENTED = "error-answer-documented"

CHECKS = {
    CONFORMANCE: (
        CORE,
        "every answer to a valid request is a documented status, media type and schema",
        "the contract's responses for the operation: its statuses, media types and schemas",
    ),
    REJECTION: (
        CORE,
        "an invalid request gets an error status its contract documents, never a success (unless deferred)",
        "the contract's request schema and its documented error statuses",
    ),
    NO_5XX: (
        ROBUSTNESS,
        "no request, valid or invalid, gets a 5xx or goes unanswered",
        "a server answers every request, and a 5xx says the server failed (RFC 9110 §15.6)",
    ),
    ERROR_DOCUMENTED: (
        CORE,
        "an error answer is the documented error: its status's media type and schema",
        "the contract's response for that error status: its media type and schema",
    ),
}


def schema_driven(ctx: Context) -> None:
    hooks = ctx.suite.hooks
    operations = [ctx.contract.operation(ctx.part)] if ctx.part else ctx.contract.operations()
    for op in operations:
        if hooks.selects(ctx, op):
            run_operation(ctx, op)


PROBE = declare(schema_driven, CHECKS, parts=lambda contract: [op.name for op in contract.operations()])


def run_operation(ctx: Context, op: Operation) -> None:
    for example in examples(op):
        _judge(ctx, op, sent(ctx, op, example), negative=False)
    for body in hostile_bodies(op):
        _unbroken(ctx, op, body)
    from hypothesis.errors import Unsatisfiable

    positive, negative_mode = _modes()
    for mode in (positive, negative_mode):
        negative = mode is negative_mode
        strategy, before = _strategy(ctx.contract, op, mode), len(ctx.violations)
        try:
            _generated(ctx, op, strategy, negative)()
        except Unsatisfiable:
            if not negative:
                raise
            # An operation that takes no input has no invalid input to send.
        # A finding from a generated case is shown as the smallest request that fails the same way.
        shrunk = ctx.violations[before:]
        again = functools.partial(_rerun, ctx, op, strategy, negative)
        minimise(ctx, shrunk, again, ctx.settings.shrink_seconds)


def _rerun(ctx: Context, op: Operation, strategy: Any, negative: bool, target: Target) -> None:
    _generated(ctx, op, strategy, negative, target)()


def _generated(
    ctx: Context, op: Operation, strategy: Any, negative: bool, shrinking: Target | None = None
) -> Callable[[], None]:
    """A Hypothesis test that sends `max_examples` cases drawn from `strategy` and judges each.

    Findings are recorded, not raised, so one run reports every distinct violation. With
    `shrinking`, the same test (same cases, same seed) shrinks the first case failing like it.
    """
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed

    @settings(
        max_examples=ctx.settings.max_examples,
        database=None,
        deadline=None,
        phases=[Phase.generate] if shrinking is None else [Phase.generate, Phase.shrink],
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        derandomize=ctx.settings.seed is None,
    )
    @given(case=strategy)
    def one_case(case: Any) -> None:
        body = case.body if _is_set(case.body) else None
        steer = ctx.suite.hooks.steer
        if not negative and steer is not None and body is not None:
            steered = steer(ctx, body)
            body = body if steered is None else steered
        params = case.path_parameters or {}
        made = sent(ctx, op, body, case.query, params, case.headers or {}, case.media_type)
        if made is None:
            return
        judged = negative and _really_invalid(op, made)
        if shrinking is None:
            _judge(ctx, op, made, negative=judged)
        else:
            shrinking.attempt(ctx, lambda: _judge(ctx, op, made, negative=judged))

    test: Callable[[], None] = one_case if ctx.settings.seed is None else fixed_seed(ctx.settings.seed)(one_case)
    return test


def warm(contract: Contract) -> None:
    """Import the generators and build the contract's strategies once, e.g. before forking workers."""
    for op in contract.operations():
        for mode in _modes():
            _strategy(contract, op, mode)


def _modes() -> tuple[Any, Any]:
    from schemathesis.generation import GenerationMode

    return GenerationMode.POSITIVE, GenerationMode.NEGATIVE


def _strategy(contract: Contract, op: Operation, mode: Any) -> Any:
    # Kept with the contract they are generated from.
    key = ("strategy", op.name, mode.value)
    if key not in contract.built:
        schema = _schemathesis_schema_for(contract)
        contract.built[key] = schema[op.path][op.method].as_strategy(generation_mode=mode)
    return contract.built[key]


def _schemathesis_schema_for(contract: Contract) -> Any:
    import schemathesis

    if "schemathesis" not in contract.built:
        contract.built["schemathesis"] = schemathesis.openapi.from_dict(contract.document)
    return contract.built["schemathesis"]


def _is_set(value: Any) -> bool:
    return type(value).__name__ != "NotSet"


def examples(op: Operation) -> list[Any]:
    """The request bodies the contract gives as examples for `op`."""
    content = (op.raw.get("requestBody") or {}).get("content", {}).get("application/json", {})
    found = [e["value"] for e in (content.get("examples") or {}).values() if "value" in e]
    if "example" in content:
        found.append(content["example"])
    return found


def sent(
    ctx: Context,
    op: Operation,
    body: Any,
    query: dict[str, Any] | None = None,
    path_params: dict[str, Any] | None = None,
    headers: dict[str, Any] | None = None,
    media: str | None = "application/json",
) -> Sent | None:
    """The request for `op` with these parts, as the suite's hooks address it (None: not sendable)."""
    hooks = ctx.suite.hooks
    path = op.path
    path_params, headers = path_params or {}, headers or {}
    for name, value in path_params.items():
        path = path.replace("{" + name + "}", quote(_text(value), safe=""))
    params = {k: _text(v) for k, v in (query or {}).items()}
    base = hooks.base_url(ctx, op) if hooks.base_url else None
    sent = ctx.client.prepare(op.name, path=path, params=params, base_url=base)
    if hooks.headers is not None:
        sent.headers.update(hooks.headers(ctx, op))
    sent.headers.update({k: _text(v) for k, v in headers.items() if isinstance(k, str)})
    if body is not None:
        sent.body = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent.headers["Content-Type"] = media or "application/json"
    try:
        for name, value in sent.headers.items():
            name.encode("ascii")
            value.encode("latin-1")
    except UnicodeEncodeError:
        return None  # not expressible in HTTP/1.1 headers; no server could receive it
    return sent


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _really_invalid(op: Operation, sent: Sent) -> bool:
    """A negative case can still be valid once serialised (every query value becomes a string)."""
    for param in op.raw.get("parameters", []):
        if param.get("in") == "query" and param.get("required") and f"{param['name']}=" not in sent.url:
            return True
    schema = op.body_schema()
    if schema is None:
        return False
    ctype = media_type(sent.headers.get("Content-Type", ""))
    if sent.body is None:
        return bool((op.raw.get("requestBody") or {}).get("required"))
    if ctype != "application/json":
        return True
    try:
        return bool(validate(schema, json.loads(sent.body)))
    except ValueError:
        return True


def streams(op: Operation) -> bool:
    """Read with the stream bounds: SSE answers, or what the contract marks `x-streaming`."""
    ok = op.response(200) or {}
    return bool(op.raw.get("x-streaming")) or "text/event-stream" in (ok.get("content") or {})


# Inputs that break naive servers, which Hypothesis rarely draws: a lone surrogate in a string
# (valid JSON, but no UTF-8 text), nesting deeper than a recursive parser goes, numbers beyond a
# float and longer than Python's int-from-text limit (4300 digits).
DEEP = 5000
_HUGE_INT, _HUGE_FLOAT = "1" + "0" * 5000, "1e999"
_STRING_LEAVES = 6  # variants with a surrogate, one per string value, at most


def hostile_bodies(op: Operation) -> list[bytes]:
    """JSON bodies for `op` (one that takes JSON) built from its example to trip a careless parser."""
    if op.body_schema() is None or "{" in op.path:
        return []
    example = (examples(op) or [{}])[0]
    found = [b"[" * DEEP + b"]" * DEEP, b'{"a":' * DEEP + b"{}" + b"}" * DEEP]
    for path in _string_leaves(example)[:_STRING_LEAVES]:
        found.append(json.dumps(_replaced(example, path, lambda text: text + "\ud800")).encode())
    if isinstance(example, dict):
        for number in (_HUGE_INT, _HUGE_FLOAT):
            found.append(json.dumps({**example, "n": 0}).replace('"n": 0', f'"n": {number}').encode())
    return found


def _string_leaves(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(doc, str):
        return [path]
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    return [leaf for key, value in items for leaf in _string_leaves(value, (*path, key))]


def _replaced(doc: Any, path: tuple[Any, ...], change: Callable[[str], str]) -> Any:
    if not path:
        return change(doc)
    copy = dict(doc) if isinstance(doc, dict) else list(doc)
    copy[path[0]] = _replaced(doc[path[0]], path[1:], change)
    return copy


def _unbroken(ctx: Context, op: Operation, body: bytes) -> None:
    """A hostile body is judged by `no-server-errors` alone: any answer below 500 is careful."""
    request = sent(ctx, op, None)
    if request is None:
        return
    request.body = body
    request.headers["Content-Type"] = "application/json"
    exchange = send(ctx, op, request)
    received = exchange.received
    if received is None or received.status >= 500:
        ctx.fail(exchange, "an answer below 500 within the bounds", check=NO_5XX)


def send(ctx: Context, op: Operation, request: Sent) -> Exchange:
    """Send `request` for `op` with the bounds its answer needs (a stream's or a plain body's), counted."""
    return ctx.record(ctx.client.send_stream(op.name, request) if streams(op) else ctx.client.send(op.name, request))


def _judge(ctx: Context, op: Operation, sent: Sent | None, *, negative: bool) -> None:
    if sent is None:
        return
    exchange = send(ctx, op, sent)
    received = exchange.received
    if received is None or received.status >= 500:
        ctx.fail(exchange, "an answer below 500 within the bounds", check=NO_5XX)
    if received is None:
        return
    # A 5xx the profile documents for invalid input (agentUniverse's 500) is its answer;
    # `no-server-errors` (robustness) still reports it.
    rejected = received.status >= 400 and op.response(received.status) is not None
    if negative and not op.raw.get("x-invalid-input-deferred") and not rejected:
        ctx.fail(
            exchange,
            "a documented error status (4xx) for an invalid request",
            f"status {received.status}",
            check=REJECTION,
            ground=f"the case breaks {op.name}'s request schema; its error answers: {ground(ctx.contract, op, 400)}",
        )
        return
    # A documented error answer is judged against its own response (the error schema), never the success one.
    judged = ERROR_DOCUMENTED if received.status >= 400 and op.response(received.status) is not None else CONFORMANCE
    cited = ground(ctx.contract, op, received.status)  # the response the answer was judged against
    for expected, actual in problems(op, exchange):
        ctx.fail(exchange, expected, actual, check=judged, ground=cited)
