"""Property-based cases for the form bodies the contract documents (multipart/form-data on the
documented upload; urlencoded and multipart forms on the real node's model routes), sent as real
forms: the schema-driven engine sends every generated body as JSON text.

A form carries only text: a generated non-string value travels as its JSON text, and a negative
case that is valid once it is text is judged as a valid one.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from ..conformance import problems
from ..context import Context
from ..contract import Operation, validate
from ..fuzz import CHECKS, CONFORMANCE, ERROR_DOCUMENTED, NO_5XX, REJECTION
from .node import multipart
from .suite import SUITE

FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _form_operations(ctx: Context) -> list[tuple[Operation, str]]:
    found = []
    for op in ctx.contract.operations():
        content = (op.raw.get("requestBody") or {}).get("content", {})
        found += [(op, media) for media in FORMS if media in content]
    return found


def _strategy(ctx: Context, op: Operation, media: str, negative: bool) -> Any:
    import schemathesis
    from schemathesis.generation import GenerationMode

    key = (id(ctx.contract), op.name, media, negative)
    if key not in _STRATEGIES:
        schema = _SCHEMAS.get(id(ctx.contract))
        if schema is None:
            schema = _SCHEMAS[id(ctx.contract)] = schemathesis.openapi.from_dict(ctx.contract.document)
        mode = GenerationMode.NEGATIVE if negative else GenerationMode.POSITIVE
        _STRATEGIES[key] = schema[op.path][op.method].as_strategy(generation_mode=mode, media_type=media)
    return _STRATEGIES[key]


_SCHEMAS: dict[int, Any] = {}
_STRATEGIES: dict[tuple[int, str, str, bool], Any] = {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _send(ctx: Context, op: Operation, media: str, case: Any, negative: bool) -> None:
    body = case.body
    if not isinstance(body, dict):
        return  # not expressible as a form
    fields = {str(k): _text(v) for k, v in body.items()}
    if "model" in fields and "model_id" in fields:
        fields["model_id"] = f"aicontract-fuzz-{fields['model_id']}"  # generated uploads say where they came from
    path = op.path
    for name, value in (case.path_parameters or {}).items():
        path = path.replace("{" + name + "}", quote(_text(value), safe=""))
    try:
        if media == "multipart/form-data":
            content, ctype = multipart(fields)
        else:
            content, ctype = urlencode(fields).encode(), media
    except UnicodeEncodeError:
        return
    schema = ((op.raw.get("requestBody") or {}).get("content", {}).get(media) or {}).get("schema") or {}
    invalid = negative and bool(validate(schema, fields))
    exchange = ctx.call(op.name, path=path, content=content, headers={"Content-Type": ctype})
    received = exchange.received
    if received is None or received.status >= 500:
        ctx.fail(exchange, "an answer below 500 within the bounds", check=NO_5XX)
    if received is None:
        return
    if invalid:
        if received.status < 400 or op.response(received.status) is None:
            ctx.fail(
                exchange,
                "a documented error status (4xx) for an invalid form",
                f"status {received.status}",
                check=REJECTION,
            )
            return
        for expected, actual in problems(op, exchange):
            ctx.fail(exchange, expected, actual, check=REJECTION)
        return
    # A documented error answer is judged against its own response, as the core's generated cases are.
    judged = ERROR_DOCUMENTED if received.status >= 400 and op.response(received.status) is not None else CONFORMANCE
    for expected, actual in problems(op, exchange):
        ctx.fail(exchange, expected, actual, check=judged)


def _cases(ctx: Context, op: Operation, media: str, negative: bool) -> None:
    from hypothesis import HealthCheck, Phase, given, settings

    @settings(
        max_examples=ctx.settings.max_examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )
    @given(case=_strategy(ctx, op, media, negative))
    def one(case: Any) -> None:
        _send(ctx, op, media, case, negative)

    one()


@SUITE.probe({name: CHECKS[name] for name in (CONFORMANCE, REJECTION, NO_5XX, ERROR_DOCUMENTED)})
def form_bodies(ctx: Context) -> None:
    for op, media in _form_operations(ctx):
        for negative in (False, True):
            _cases(ctx, op, media, negative)
