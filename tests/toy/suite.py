"""A suite for an API of one's own, registered from outside: `aicontract check toy --checks tests.toy.suite`."""

from __future__ import annotations

from pathlib import Path

from aicontract.contracts.check import CORE, Requirement
from aicontract.contracts.context import Context
from aicontract.contracts.suite import Option, Suite

SUITE = Suite(
    "toy",
    stub="tests.toy.stub",
    contract=str(Path(__file__).with_name("toy.yaml")),
    options=(Option("--name", "name", "the name to greet (default: Ada)"),),
    generic=("response-conformance", "method-not-allowed", "oversized-body-refused"),
)

SHORT_NAME = Requirement(
    "a name of at most 40 characters",
    lambda ctx: None if len(str(ctx.settings.option("name", "Ada"))) <= 40 else "--name is longer than 40 characters",
)


@SUITE.check("greeting-names-the-caller", CORE, requires=(SHORT_NAME,), ground="toy.yaml: /greet says hello")
def greeting_names_the_caller(ctx: Context) -> None:
    """POST /greet answers `Hello, NAME!`"""
    name = str(ctx.settings.option("name", "Ada"))
    exchange = ctx.call("POST /greet", json={"name": name})
    want = f"Hello, {name}!"
    got = exchange.json().get("greeting") if exchange.status == 200 and isinstance(exchange.json(), dict) else None
    ctx.expect(got == want, exchange, f"200 with greeting {want!r}", f"greeting {got!r}")
