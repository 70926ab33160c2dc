"""The snet reference stub: the example's semantics, credentials, generic outputs, bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from aicontract.contracts.snetd.answer import parse
from aicontract.contracts.snetd.protos import compile_protos
from aicontract.contracts.target import embedded
from aicontract.stubs.snet import FAULTS, SEED_CREDENTIALS, create_app
from tests.snet.protos import HERE, RICH

KEY = {"X-Api-Key": str(SEED_CREDENTIALS[1]["value"])}
PARAM = {"example_body_param": 12345}


@pytest.fixture(scope="module")
def stub() -> Iterator[httpx.Client]:
    with embedded(create_app()) as url, httpx.Client(base_url=url, timeout=5, trust_env=False) as client:
        yield client


def rpc(client: httpx.Client, name: str, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    raw = json.dumps(body).encode() if not isinstance(body, bytes) else body
    return client.post(
        f"/{name}", content=raw, headers={"Content-Type": "application/json", **(KEY if headers is None else headers)}
    )


@pytest.mark.parametrize(
    ("number", "operation", "second", "result"),
    [
        ("7", "add", "3", "10"),
        ("18446744073709551614", "+", "1", "18446744073709551615"),
        ("9223372036854775808", "plus", "9223372036854775807", "18446744073709551615"),
        ("10", "SUB", "4", "6"),
        ("4294967296", "*", "4294967295", "18446744069414584320"),
        ("18446744073709551615", "div", "2", "9223372036854775807"),
        ("7", " / ", "2", "3"),
    ],
)
def test_calculate_is_exact_over_uint64(
    stub: httpx.Client, number: str, operation: str, second: str, result: str
) -> None:
    answer = rpc(stub, "calculate", {**PARAM, "number": number, "operation": operation, "second_number": second})
    assert answer.status_code == 200 and answer.json() == {"status": "ok", "result": result}


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"number": "18446744073709551615", "operation": "add", "second_number": "1"}, "overflow"),
        ({"number": "1", "operation": "sub", "second_number": "2"}, "overflow"),
        ({"number": "1", "operation": "div"}, "division by zero"),  # second_number 0: left out
        ({"number": "1", "operation": "pow", "second_number": "2"}, "unknown operation"),
        ({}, "unknown operation"),
    ],
)
def test_errors_are_reported_as_errors_never_as_numbers(stub: httpx.Client, body: dict[str, str], said: str) -> None:
    answer = rpc(stub, "calculate", {**PARAM, **body})
    assert answer.status_code == 200 and answer.json()["status"] == "error" and said in answer.json()["result"]


def test_process_reverses_its_input(stub: httpx.Client) -> None:
    assert rpc(stub, "process", {**PARAM, "input_data": "a<b>é"}).json() == {"status": "ok", "result": "é>b<a"}
    assert rpc(stub, "process", PARAM).json() == {"status": "ok", "result": ""}


def test_the_configured_credentials_are_required(stub: httpx.Client) -> None:
    body = {**PARAM, "input_data": "x"}
    assert rpc(stub, "process", body, headers={}).status_code == 401
    assert rpc(stub, "process", body, headers={"X-Api-Key": "wrong"}).status_code == 401
    assert rpc(stub, "process", {"input_data": "x"}).status_code == 401
    assert rpc(stub, "process", body, headers={"x-api-key": KEY["X-Api-Key"]}).status_code == 200


def test_bad_input_gets_a_json_4xx(stub: httpx.Client) -> None:
    for raw in [b"", b"nope", b"[1]", b'{"number": true}', b'{"number": "-1"}', b'{"input_data": 5}']:
        answer = rpc(stub, "calculate" if b"number" in raw else "process", raw)
        assert 400 <= answer.status_code < 500 and "error" in answer.json(), raw
    assert rpc(stub, "process", b"x" * (2 << 20)).status_code == 413
    assert stub.get("/calculate").status_code == 405
    assert stub.post("/Calculate").status_code == 404


def test_any_proto_gets_deterministic_valid_outputs() -> None:
    catalog = compile_protos([RICH], [HERE])
    with embedded(create_app(protos=[RICH], includes=[HERE], credentials=())) as url:
        for method in catalog.served():
            first = httpx.post(f"{url}/{method.name}", content=b"{}", trust_env=False)
            again = httpx.post(f"{url}/{method.name}", content=b'{"unknown": 1}', trust_env=False)
            assert first.status_code == 200 and first.content == again.content
            parse(first.content, method.output)


def test_every_fault_is_declared_with_the_check_that_catches_it() -> None:
    assert len(FAULTS) >= 12
    for name, fault in FAULTS.items():
        assert fault.name == name and fault.description and fault.caught_by


def test_the_stub_imports_none_of_the_harness_s_heavy_modules() -> None:
    import subprocess
    import sys

    heavy = ("yaml", "hypothesis", "schemathesis", "jsonschema_rs", "httpx")
    code = (
        "import sys; import aicontract.stubs.snet as s; s.create_app();"
        f"print(','.join(m for m in {heavy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.strip() == ""
