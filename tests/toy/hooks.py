"""A suite whose contract is made from the run's settings and whose options are checked before any request."""

from __future__ import annotations

from pathlib import Path

from aicontract.contracts.contract import Contract, load
from aicontract.contracts.settings import Settings
from aicontract.contracts.suite import Option, Suite

TOY = str(Path(__file__).with_name("toy.yaml"))


def _contract(settings: Settings) -> Contract:
    print(f"contract made for name={settings.option('name', 'Ada')}", flush=True)
    return load(TOY, settings.profile)


def _validate(settings: Settings) -> None:
    if settings.option("name") == "bad":
        raise ValueError("--name bad: not a name")


SUITE = Suite(
    "toyhooks",
    stub="tests.toy.stub",
    options=(Option("--name", "name", "the name to greet"), Option("--tag", "tags", "a tag", repeatable=True)),
    generic=("response-conformance",),
    contract=_contract,
    validate=_validate,
)
