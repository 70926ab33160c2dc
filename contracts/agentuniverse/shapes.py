"""What the agentUniverse checks share: the demo service's answers and the two profiles' shapes."""

from __future__ import annotations

import json
from typing import Any

from ..context import Context
from ..contract import validate
from ..exchange import Exchange
from ..ground import Sources

RUN, STREAM, ASYNC, RESULT = (
    "POST /service_run",
    "POST /service_run_stream",
    "POST /service_run_async",
    "GET /service_run_result",
)
STATE_ORDER = {"init": 0, "running": 1, "finished": 2, "fail": 2, "canceled": 2}
TERMINAL = frozenset({"finished", "fail", "canceled"})
UNKNOWN_SERVICE = "aicontract_no_such_service"


def service_id(ctx: Context) -> str:
    return str(ctx.settings.option("service_id", "demo_service"))


def user_input(ctx: Context) -> str:
    return str(ctx.settings.option("input", "Hello!"))


def run_body(ctx: Context, text: str | None = None, **extra: object) -> dict[str, Any]:
    return {"service_id": service_id(ctx), "params": {"input": user_input(ctx) if text is None else text}, **extra}


def expected_result(ctx: Context, text: str) -> str:
    """demo_service's `result` for `text` in this profile."""
    answer = f"Your input is {text}."
    if ctx.profile == "upstream":
        return json.dumps({"output": answer}, ensure_ascii=False)
    return answer


def is_demo(ctx: Context) -> bool:
    return service_id(ctx) == "demo_service"


# Where the checks' expectations come from: the seed (documented), the measured server (upstream).
SOURCES = Sources("seed 001 (agentUniverse Web API)", "spec/agentuniverse-web-api.md")
seed, real = SOURCES.seed, SOURCES.real


def field(exchange: Exchange, name: str) -> Any:
    body = exchange.json()
    return body.get(name) if isinstance(body, dict) else None


def ok_envelope(ctx: Context, exchange: Exchange, what: str, *, check: str | None = None) -> bool:
    """A 200 answer with `success: true`; records a violation (against `check`, or the probe's one) if not."""
    if exchange.status != 200 or field(exchange, "success") is not True:
        ctx.fail(exchange, f"200 with success true ({what})", check=check)
        return False
    return True


def well_formed_id(ctx: Context, value: Any) -> bool:
    """A request_id as the profile's RequestId says: any non-empty string documented, 32 hex digits upstream."""
    return isinstance(value, str) and not validate(ctx.contract.schema("RequestId"), value)


def id_form(ctx: Context) -> str:
    return "32 lowercase hex digits" if ctx.profile == "upstream" else "a non-empty string"


def task_record(exchange: Exchange) -> dict[str, Any] | None:
    record = field(exchange, "result")
    return record if isinstance(record, dict) else None


def task_state(exchange: Exchange) -> str | None:
    record = task_record(exchange)
    state = record.get("state") if record else None
    return state if isinstance(state, str) else None


def task_outcome(ctx: Context, exchange: Exchange) -> Any:
    """The service result inside a task record (one level deeper upstream)."""
    record = task_record(exchange) or {}
    outcome = record.get("result")
    if ctx.profile == "upstream":
        return outcome.get("result") if isinstance(outcome, dict) else None
    return outcome


def stores_sync_runs(ctx: Context) -> dict[str, Any]:
    """Extra body fields that make a sync or streamed run retrievable in this profile."""
    return {"saved": True} if ctx.profile == "upstream" else {}
