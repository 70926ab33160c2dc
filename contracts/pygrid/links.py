"""Stateful sequences from the contract's OpenAPI links (schemathesis's state machine): a served
model's id flows into /is_model_copy_allowed, /get_model and the delete route, and every answer along
the way must be as documented. Requests go through the harness's bounded client (forms sent as
forms); uploads are steered to a codec, flags and model every reading takes (upstream: the recorded
syft model, which the real node can deserialize), so that sequences reach the stored model. Models
the sequences store are deleted at the end. The precise lifecycle is the explicit scenario's
(lifecycle.py): generated sequences judge answers, not order-dependent semantics."""

from __future__ import annotations

import itertools
import json
import secrets
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from ..check import CORE, Requirement
from ..conformance import problems
from ..context import Context
from ..exchange import Exchange
from .lifecycle import payload
from .node import LATIN, delete, multipart
from .suite import SUITE

LINKS = "linked-sequences"
STEPS = 6  # calls per generated sequence
SERVE = ("/serve-model", "/serve-model/")
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _has_links(ctx: Context) -> bool:
    return any(
        "links" in (response or {})
        for op in ctx.contract.operations()
        for response in (op.raw.get("responses") or {}).values()
    )


def _no_links(ctx: Context) -> str | None:
    if _has_links(ctx):
        return None
    return f"the {ctx.profile} contract declares no links: its lifecycle is judged by the explicit scenario"


LINKS_DECLARED = Requirement("a contract that declares links", _no_links)


@SUITE.probe(
    {
        LINKS: (
            CORE,
            "sequences that follow the contract's links (serve → copy check, download, delete) get documented answers",
            "the contract's links: /serve-model's model_id names the model for the copy check, download and delete",
        )
    },
    requires=(LINKS_DECLARED,),
)
def linked_sequences(ctx: Context) -> None:
    import httpx
    import schemathesis
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis.stateful import run_state_machine_as_test
    from schemathesis.core.transport import Response

    served: set[str] = set()
    run, count = secrets.token_hex(3), itertools.count()
    model, _ = payload(ctx)  # the real node deserializes every upload: the recorded syft model there
    base: Any = schemathesis.openapi.from_dict(ctx.contract.document).as_state_machine()

    class Bounded(base):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            if case.method.upper() == "POST" and case.path in SERVE and isinstance(case.body, dict):
                # A fresh id per serve: a generated id met twice would be a 409, and the sequence then
                # depends on what earlier sequences left (hypothesis needs the same answers to replay).
                model_id = f"aicontract-linked-{run}-{next(count)}-{case.body.get('model_id', '')}"[:200]
                text = {"True": "True", "False": "False"}
                case.body = {
                    "encoding": LATIN,
                    "model_id": model_id,
                    "allow_download": text.get(str(case.body.get("allow_download")), "True"),
                    "allow_remote_inference": text.get(str(case.body.get("allow_remote_inference")), "False"),
                    "model": model.decode("latin-1"),
                }

        def call(self, case: Any, **kwargs: Any) -> Any:
            exchange = _send(ctx, case)
            self._exchange = exchange
            received = exchange.received
            if received is None:
                ctx.fail(exchange, "an answer within the bounds", check=LINKS)
                status, headers, body = 504, {}, b""
            else:
                status, headers, body = received.status, received.headers, received.body
                if case.path in SERVE and status == 200 and isinstance(case.body, dict):
                    served.add(str(case.body.get("model_id")))
            request = httpx.Request(exchange.sent.method, exchange.sent.url)
            answer = httpx.Response(status, headers=headers, content=body, request=request)
            answer.elapsed = timedelta(seconds=exchange.elapsed)
            return Response.from_httpx(answer, verify=False)

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            exchange: Exchange = self._exchange
            if exchange.received is None:
                return
            op = ctx.contract.operation(f"{case.method.upper()} {case.path}")
            for expected, actual in problems(op, exchange):
                ctx.fail(exchange, expected, actual, check=LINKS)

    chosen = settings(
        max_examples=max(1, ctx.settings.max_examples // 5),
        stateful_step_count=STEPS,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    try:
        run_state_machine_as_test(Bounded, settings=chosen)
    finally:
        for model_id in served:
            delete(ctx, model_id)


def _send(ctx: Context, case: Any) -> Exchange:
    operation = f"{case.method.upper()} {case.path}"
    params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in (case.query or {}).items()}
    sent = ctx.client.prepare(operation, path=case.formatted_path, params=params)
    body = case.body
    if type(body).__name__ != "NotSet" and body is not None:
        if isinstance(body, bytes):  # schemathesis serialized it already
            sent.body = body
            sent.headers["Content-Type"] = case.media_type or "application/octet-stream"
        elif case.media_type in FORMS and isinstance(body, dict):
            fields = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}
            if case.media_type == "multipart/form-data":
                sent.body, sent.headers["Content-Type"] = multipart(fields)
            else:
                sent.body, sent.headers["Content-Type"] = urlencode(fields).encode(), case.media_type
        else:
            sent.body = json.dumps(body).encode()
            sent.headers["Content-Type"] = "application/json"
    return ctx.record(ctx.client.send(operation, sent))
