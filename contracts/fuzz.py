"""Property-based checks of every documented operation, generated from the OpenAPI document.

schemathesis turns each operation into Hypothesis strategies of valid (positive) and invalid
(negative) requests; the harness sends them with its own bounded client and judges the answers
against the contract, so that every finding carries a curl line and the expectation it broke.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .check import CORE, ROBUSTNESS, probe
from .conformance import ground, media_type, problems
from .context import Context
from .exchange import Sent
from .spec import Operation, Spec, validate

CONFORMANCE = "response-conformance"
REJECTION = "invalid-input-rejected"
NO_5XX = "no-server-errors"

CHECKS = {
    CONFORMANCE: (
        CORE,
        "every answer to a valid request is a documented status, media type and schema",
        "the operation's documented responses (each finding cites the response it was judged against)",
    ),
    REJECTION: (
        CORE,
        "an invalid request gets an error status its contract documents, never a success (unless deferred)",
        "the request schema the case breaks, and the operation's documented error responses (e.g. 4XX)",
    ),
    NO_5XX: (
        ROBUSTNESS,
        "no generated request, valid or invalid, gets a 5xx or goes unanswered",
        "RFC 9110 §15.6: a 5xx says the server failed; bad input is the client's error (4xx)",
    ),
}

# Adjusts a generated valid request body so that a share of cases reach the happy path
# (e.g. names a service that exists); returns None to leave the body as generated.
Steer = Callable[[Context, Any], Any]


@dataclass(frozen=True)
class Hooks:
    """What an API's suite tells the generic engine about its target."""

    steer: Steer | None = None
    # Headers a generated request for an operation carries (e.g. an API key), unless the case sets them.
    headers: Callable[[Context, Operation], Mapping[str, str]] | None = None
    # Which operations this run can exercise (e.g. control-plane ones only with a function id).
    select: Callable[[Context, Operation], bool] | None = None
    # Where an operation is served, when not at the target's base URL (path-level `servers`).
    base_url: Callable[[Context, Operation], str | None] | None = None


def register(api: str, hooks: Hooks | None = None) -> None:
    """Add the schema-driven probe to `api`'s suite."""
    chosen = hooks or Hooks()

    @probe(api, CHECKS, parts=lambda contract: [op.name for op in contract.operations()])
    def schema_driven(ctx: Context) -> None:
        operations = [ctx.spec.operation(ctx.part)] if ctx.part else ctx.spec.operations()
        for op in operations:
            if chosen.select is None or chosen.select(ctx, op):
                run_operation(ctx, op, chosen)


def run_operation(ctx: Context, op: Operation, hooks: Hooks) -> None:
    schema = _schemathesis_schema_for(ctx.spec)
    for example in _examples(op):
        _judge(ctx, op, _sent(ctx, op, hooks, example, None, {}, {}, "application/json"), negative=False)
    from hypothesis.errors import Unsatisfiable

    positive, negative_mode = _modes()
    for mode in (positive, negative_mode):
        negative = mode is negative_mode
        try:
            _generated(ctx, op, _strategy(schema, op, mode), hooks, negative)()
        except Unsatisfiable:
            if not negative:
                raise
            # An operation that takes no input has no invalid input to send.


def _generated(ctx: Context, op: Operation, strategy: Any, hooks: Hooks, negative: bool) -> Callable[[], None]:
    """A Hypothesis test that sends `max_examples` cases drawn from `strategy` and judges each.

    Findings are recorded, not raised, so one run reports every distinct violation (no shrinking).
    """
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as fixed_seed

    @settings(
        max_examples=ctx.settings.max_examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=ctx.settings.seed is None,
    )
    @given(case=strategy)
    def one_case(case: Any) -> None:
        body = case.body if _is_set(case.body) else None
        if not negative and hooks.steer is not None and body is not None:
            steered = hooks.steer(ctx, body)
            body = body if steered is None else steered
        params = case.path_parameters or {}
        sent = _sent(ctx, op, hooks, body, case.query, params, case.headers or {}, case.media_type)
        if sent is not None:
            _judge(ctx, op, sent, negative=negative and _really_invalid(op, sent))

    test: Callable[[], None] = one_case if ctx.settings.seed is None else fixed_seed(ctx.settings.seed)(one_case)
    return test


_SCHEMAS: dict[int, Any] = {}


def warm(contract: Spec) -> None:
    """Import the generators and build the contract's strategies once, e.g. before forking workers."""
    schema = _schemathesis_schema_for(contract)
    for op in contract.operations():
        for mode in _modes():
            _strategy(schema, op, mode)


_STRATEGIES: dict[tuple[int, str, str], Any] = {}


def _modes() -> tuple[Any, Any]:
    from schemathesis.generation import GenerationMode

    return GenerationMode.POSITIVE, GenerationMode.NEGATIVE


def _strategy(schema: Any, op: Operation, mode: Any) -> Any:
    key = (id(schema), op.name, mode.value)
    if key not in _STRATEGIES:
        _STRATEGIES[key] = schema[op.path][op.method].as_strategy(generation_mode=mode)
    return _STRATEGIES[key]


def _schemathesis_schema_for(contract: Spec) -> Any:
    import schemathesis

    key = id(contract)
    if key not in _SCHEMAS:
        _SCHEMAS[key] = schemathesis.openapi.from_dict(contract.document)
    return _SCHEMAS[key]


def _is_set(value: Any) -> bool:
    return type(value).__name__ != "NotSet"


def _examples(op: Operation) -> list[Any]:
    content = (op.raw.get("requestBody") or {}).get("content", {}).get("application/json", {})
    found = [e["value"] for e in (content.get("examples") or {}).values() if "value" in e]
    if "example" in content:
        found.append(content["example"])
    return found


def _sent(
    ctx: Context,
    op: Operation,
    hooks: Hooks,
    body: Any,
    query: dict[str, Any] | None,
    path_params: dict[str, Any],
    headers: dict[str, Any],
    media: str | None,
) -> Sent | None:
    path = op.path
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


def _streams(op: Operation) -> bool:
    """Read with the stream bounds: SSE answers, or what the contract marks `x-streaming`."""
    ok = op.response(200) or {}
    return bool(op.raw.get("x-streaming")) or "text/event-stream" in (ok.get("content") or {})


def _judge(ctx: Context, op: Operation, sent: Sent | None, *, negative: bool) -> None:
    if sent is None:
        return
    ctx.cases += 1
    exchange = ctx.client.send_stream(op.name, sent) if _streams(op) else ctx.client.send(op.name, sent)
    received = exchange.received
    if received is None or received.status >= 500:
        ctx.fail(exchange, "an answer below 500 within the bounds", check=NO_5XX)
    if received is None:
        return
    cited = ground(ctx.spec, op, received.status)
    if negative and not op.raw.get("x-invalid-input-deferred"):
        # A 5xx the profile documents for invalid input (agentUniverse's 500) is its answer;
        # `no-server-errors` (robustness) still reports it.
        if received.status < 400 or op.response(received.status) is None:
            ctx.fail(
                exchange,
                "a documented error status (4xx) for an invalid request",
                f"status {received.status}",
                check=REJECTION,
                ground=f"the case breaks {op.name}'s request schema; its error answers: {ground(ctx.spec, op, 400)}",
            )
            return
        for expected, actual in problems(op, exchange):
            ctx.fail(exchange, expected, actual, check=REJECTION, ground=cited)
        return
    for expected, actual in problems(op, exchange):
        ctx.fail(exchange, expected, actual, check=CONFORMANCE, ground=cited)
