"""The stub and `openapi/covalent.yaml` agree: every documented operation is served, every answer the
stub gives is a documented status, media type and schema, and the documented examples hold."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from starlette.routing import Route

from aicontract.contracts import contract
from aicontract.contracts.conformance import documented_media
from aicontract.stubs.covalent import EXAMPLE_FUNCTION_ID, create_app
from tests.covalent.conftest import Stub

CONTRACT = contract.load("covalent")
# Not in the contract: the stub's own paths, catch-alls, and the data plane (served per function).
STUB_ONLY = {"/_stub/info", "/_stub/deployments", "/fn/{rest:path}", "/_stub/{rest:path}"}
DATA_PLANE = {"/{route}", "/{function_id}/{route:path}"}


def conforms(op: contract.Operation, r: httpx.Response) -> list[str]:
    """Every way `r` departs from what `op` documents."""
    documented = op.response(r.status_code)
    if documented is None:
        return [f"status {r.status_code} is not documented for {op.name} ({sorted(op.statuses())})"]
    content = documented.get("content") or {}
    if not content:
        return []  # a body the contract does not describe is not judged (e.g. a framework's own 404 page)
    media = r.headers.get("content-type", "").split(";")[0].strip()
    key = documented_media(content, media)
    if key is None:
        return [f"{op.name} {r.status_code}: Content-Type {media!r} is not one of {sorted(content)}"]
    schema = content[key].get("schema")
    if media != "application/json" or schema is None:
        return []
    return [f"{op.name} {r.status_code}: {e}" for e in contract.validate(schema, r.json())]


def path_of(op: contract.Operation, key_id: str = "key-0") -> str:
    """Where the stub serves `op` for the example deployment."""
    if op.path.startswith("/fn/"):
        return op.path.replace("{function_id}", EXAMPLE_FUNCTION_ID).replace("{key_id}", key_id)
    return f"/{EXAMPLE_FUNCTION_ID}" + op.path.replace("{route}", "custom-endpoint")


def test_the_contract_has_both_planes() -> None:
    names = {op.name for op in CONTRACT.operations()}
    assert {"POST /hello", "POST /stream", "POST /{route}", "GET /fn/api/v0/functions/{function_id}"} <= names
    assert CONTRACT.operation("POST /stream").raw["x-streaming"] is True
    record = CONTRACT.schema("FunctionRecord")
    assert set(record["required"]) == {
        "id",
        "title",
        "invoke_url",
        "endpoints",
        "status",
        "tags",
        "auth",
        "description",
        "inference_keys",
    }


@pytest.mark.parametrize("op", CONTRACT.operations(), ids=lambda op: op.name)
def test_every_documented_operation_is_served_as_documented(stub: Stub, op: contract.Operation) -> None:
    key_id = "key-0"
    if op.method == "DELETE":
        key_id = stub.cp("POST", f"/{EXAMPLE_FUNCTION_ID}/inference-keys").json()["id"]
    r = stub.http.request(op.method, path_of(op, key_id), headers={"x-api-key": "covalent-stub-key"}, json={})
    assert 200 <= r.status_code < 300, r.text
    assert conforms(op, r) == []


# (operation, how to provoke the error, expected status)
ERRORS: list[tuple[str, dict[str, Any], int]] = [
    ("POST /hello", {"content": b"{"}, 400),
    ("POST /hello", {"key": None}, 401),
    ("POST /hello", {"key": "wrong"}, 401),
    ("POST /hello", {"fid": "nope"}, 404),
    ("POST /hello", {"method": "GET"}, 405),
    ("POST /hello", {"content": b" " * (1 << 20) + b"{}"}, 413),
    ("POST /hello", {"json": {"number": "x"}}, 422),
    ("POST /hello", {"json": {"nope": 1}}, 422),
    ("POST /stream", {"json": {"items": 3}}, 422),
    ("POST /stream", {"content": b"\xff"}, 400),
    ("POST /{route}", {"route": "nope"}, 404),
    ("GET /fn/api/v0/functions", {"key": None}, 401),
    ("GET /fn/api/v0/functions", {"params": {"count": "0"}}, 422),
    ("GET /fn/api/v0/functions/{function_id}", {"fid": "nope"}, 404),
    ("GET /fn/api/v0/functions/{function_id}", {"key": "wrong"}, 401),
    ("PUT /fn/api/v0/functions/{function_id}/teardown", {"fid": "nope"}, 404),
    ("GET /fn/api/v0/functions/{function_id}/inference-keys", {"fid": "nope"}, 404),
    ("POST /fn/api/v0/functions/{function_id}/inference-keys", {"key": None}, 401),
    ("DELETE /fn/api/v0/functions/{function_id}/inference-keys/{key_id}", {"key_id": "nope"}, 404),
]


@pytest.mark.parametrize(("name", "how", "status"), ERRORS, ids=lambda v: v if isinstance(v, str) else None)
def test_errors_are_documented_json(stub: Stub, name: str, how: dict[str, Any], status: int) -> None:
    op = CONTRACT.operation(name)
    fid = how.get("fid", EXAMPLE_FUNCTION_ID)
    path = path_of(op, how.get("key_id", "key-0")).replace(EXAMPLE_FUNCTION_ID, fid)
    if "route" in how:
        path = path.replace("custom-endpoint", how["route"])
    key = how.get("key", "covalent-stub-key")
    headers = {"x-api-key": key} if key else {}
    kwargs = {k: how[k] for k in ("content", "json", "params") if k in how}
    r = stub.http.request(how.get("method", op.method), path, headers=headers, **kwargs)
    assert r.status_code == status, r.text
    assert conforms(op, r) == []


def test_lifecycle_answers_are_documented(stub: Stub) -> None:
    hello = CONTRACT.operation("POST /hello")
    record = stub.deploy(create_delay=30)
    assert (
        conforms(CONTRACT.operation("GET /fn/api/v0/functions/{function_id}"), stub.cp("GET", f"/{record['id']}")) == []
    )
    creating = stub.call("/hello", fid=record["id"])
    assert creating.status_code == 503 and conforms(hello, creating) == []
    torn = stub.cp("PUT", f"/{record['id']}/teardown")
    assert conforms(CONTRACT.operation("PUT /fn/api/v0/functions/{function_id}/teardown"), torn) == []
    gone = stub.call("/hello", fid=record["id"])
    assert gone.status_code == 410 and conforms(hello, gone) == []
    refused = stub.cp("POST", f"/{record['id']}/inference-keys")
    assert refused.status_code == 409
    assert conforms(CONTRACT.operation("POST /fn/api/v0/functions/{function_id}/inference-keys"), refused) == []


@pytest.mark.parametrize("name", ["POST /hello", "POST /stream"])
def test_the_documented_examples_hold(stub: Stub, name: str) -> None:
    op = CONTRACT.operation(name)
    requests = op.raw["requestBody"]["content"]["application/json"]["examples"]
    ok = op.raw["responses"]["200"]["content"]
    answers = next(iter(ok.values()))["examples"]
    pairs = {"defaults": {}} | {k: v["value"] for k, v in requests.items()}
    checked = 0
    for example, body in pairs.items():
        if example not in answers:
            continue
        r = stub.call(op.path, content=json.dumps(body).encode())
        got = r.json() if op.path == "/hello" else r.text
        assert got == answers[example]["value"], example
        checked += 1
    assert checked == 2


def test_every_served_path_is_documented() -> None:
    documented = {(op.method, op.path) for op in CONTRACT.operations()}
    served = set()
    for route in create_app().routes:
        assert isinstance(route, Route)
        if route.path in STUB_ONLY | DATA_PLANE:
            continue
        served |= {(m, route.path) for m in route.methods or () if m != "HEAD"}
    control = {d for d in documented if d[1].startswith("/fn/")}
    assert served == control
    # the data plane's catch-all serves every documented data-plane path under /{function_id}
    assert {d for d in documented if not d[1].startswith("/fn/")} == {
        ("POST", "/hello"),
        ("POST", "/stream"),
        ("POST", "/{route}"),
    }
