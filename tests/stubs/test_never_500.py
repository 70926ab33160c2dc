"""No bytes a client sends make a stub answer 500: every refusal is a JSON 4xx and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.testclient import TestClient

from aicontract.stubs import agentuniverse, covalent
from tests.stubs.nasty import NASTY, send

RUNS = ("/service_run", "/service_run_stream", "/service_run_async")
KEY = {"x-api-key": covalent.DEFAULT_API_KEY}
FID = covalent.EXAMPLE_FUNCTION_ID
COVALENT_POSTS = ("/hello", "/stream", "/custom-endpoint", f"/{FID}/hello", f"/{FID}/stream", "/_stub/deployments")
COVALENT_ROUTES = [
    *(("POST", path) for path in COVALENT_POSTS),
    ("GET", "/fn/api/v0/functions"),
    ("GET", f"/fn/api/v0/functions/{FID}"),
    ("POST", f"/fn/api/v0/functions/{FID}/inference-keys"),
    ("DELETE", f"/fn/api/v0/functions/{FID}/inference-keys/nokey"),
    ("GET", "/_stub/info"),
    ("PUT", "/hello"),
    ("POST", "/no-such-route"),
    ("POST", "/nosuchfunction/hello"),
]
AGENTUNIVERSE_ROUTES = [*(("POST", path) for path in RUNS), ("GET", "/service_run_result?request_id=x")]


def refused_in_json(status: int, body: bytes) -> dict[str, Any]:
    assert 400 <= status < 500, (status, body[:200])
    doc = json.loads(body)
    assert isinstance(doc, dict)
    return doc


@pytest.mark.parametrize("profile", ["documented", "upstream"])
@pytest.mark.parametrize("nasty", sorted(NASTY))
def test_an_agentuniverse_run_route_refuses_nasty_json_with_a_json_4xx_and_stores_nothing(
    profile: str, nasty: str
) -> None:
    app = agentuniverse.create_app(profile)
    for path in RUNS:
        r = send(app, "POST", path, NASTY[nasty], {"content-type": "application/json"})
        doc = refused_in_json(r.status_code, r.content)
        assert doc["success"] is False and doc["message"]
    assert len(app.state.runtime.store) == 0


@pytest.mark.parametrize("nasty", sorted(NASTY))
def test_a_covalent_endpoint_refuses_nasty_json_with_a_json_4xx_and_deploys_nothing(nasty: str) -> None:
    app = covalent.create_app()
    before = set(app.state.runtime.registry.deployments)
    for path in COVALENT_POSTS:
        r = send(app, "POST", path, NASTY[nasty], KEY)
        assert refused_in_json(r.status_code, r.content)["detail"]
    assert set(app.state.runtime.registry.deployments) == before


# -- property-based: anything at all, at every route -------------------------------------------

FRAGMENTS = [
    b'"\\ud800"',
    b'"\\udc00\\ud800"',
    b"1e999999",
    b"-1e400",
    b"9" * 5000,
    b"NaN",
    b"Infinity",
    b"[" * 2000,
    b"[" * 65 + b"]" * 65,
    b'{"":' * 80 + b"0" + b"}" * 80,
    b"\xff",
    b"\xed\xa0\x80",
    b"\x00",
    b"null",
    b'"x"',
    b"{}",
    b"[]",
]
TEMPLATES = [
    b'{"service_id": "demo_service", "params": {"input": %s}}',
    b'{"service_id": %s, "params": {"input": "x"}}',
    b'{"service_id": "demo_service", "params": %s, "saved": %s}',
    b'{"message": %s, "number": %s}',
    b'{"items": [%s, %s]}',
    b'{"service": %s, "arguments": {"message": %s}}',
    b"%s",
]


@st.composite
def nasty_json(draw: st.DrawFn) -> bytes:
    template = draw(st.sampled_from(TEMPLATES))
    parts = draw(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=12)), min_size=2, max_size=2))
    return template.replace(b"%s", parts[0], 1).replace(b"%s", parts[1])


BODIES = st.one_of(st.binary(max_size=256), nasty_json())
CONTENT_TYPES = st.sampled_from(
    [None, "application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16"]
)
QUICK = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def client_for(app: Any) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://stub") as client:
        yield client


@pytest.fixture(scope="module", params=["documented", "upstream"])
def agentuniverse_client(request: pytest.FixtureRequest) -> Iterator[TestClient]:
    yield from client_for(agentuniverse.create_app(request.param))


@pytest.fixture(scope="module")
def covalent_client() -> Iterator[TestClient]:
    yield from client_for(covalent.create_app())


def post(client: TestClient, route: tuple[str, str], body: bytes, ctype: str | None, **headers: str) -> Any:
    if ctype is not None:
        headers["content-type"] = ctype
    return client.request(route[0], route[1], content=body, headers=headers)


@QUICK
@given(route=st.sampled_from(AGENTUNIVERSE_ROUTES), body=BODIES, ctype=CONTENT_TYPES)
def test_agentuniverse_answers_any_bytes_without_a_5xx_and_errors_in_json(
    agentuniverse_client: TestClient, route: tuple[str, str], body: bytes, ctype: str | None
) -> None:
    r = post(agentuniverse_client, route, body, ctype)
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert json.loads(r.content)["success"] is False


@QUICK
@given(route=st.sampled_from(COVALENT_ROUTES), body=BODIES, ctype=CONTENT_TYPES)
def test_covalent_answers_any_bytes_without_a_5xx_and_errors_in_json(
    covalent_client: TestClient, route: tuple[str, str], body: bytes, ctype: str | None
) -> None:
    r = post(covalent_client, route, body, ctype, **KEY)
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert isinstance(json.loads(r.content)["detail"], str)
