"""A check added to the built-in agentUniverse suite from outside (`--checks tests.agentuniverse.extra_checks`)."""

from __future__ import annotations

from aicontract.contracts.agentuniverse import SUITE
from aicontract.contracts.check import EXTENDED
from aicontract.contracts.context import Context


@SUITE.check("shouted-input-echoed", EXTENDED, ground="my service's own semantics: it echoes what it is given")
def shouted_input_echoed(ctx: Context) -> None:
    """demo_service echoes a shouted input unchanged"""
    exchange = ctx.call("POST /service_run", json={"service_id": "demo_service", "params": {"input": "HELLO!"}})
    body = exchange.json() if exchange.status == 200 else None
    result = body.get("result") if isinstance(body, dict) else None
    ctx.expect(isinstance(result, str) and "HELLO!" in result, exchange, "a result that contains 'HELLO!'")
