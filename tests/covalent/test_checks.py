"""The covalent suite's own logic: what it reads from a target, what it judges there, and what it skips and why.

Against a mocked live deployment (respx), then against real stubs that are not the seed's example
or that hide that they are a stub.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from aicontract.contracts import contract
from aicontract.contracts.check import Probe
from aicontract.contracts.client import Client
from aicontract.contracts.context import Context
from aicontract.contracts.covalent.target import Endpoint, example_missing, listed, target
from aicontract.contracts.runner import CheckResult, RunResult, run, run_probe
from aicontract.contracts.settings import Bounds, Settings
from aicontract.contracts.suite import RunState
from aicontract.contracts.suites import REGISTRY
from aicontract.contracts.target import embedded
from aicontract.stubs.covalent import EXAMPLE_FUNCTION_ID, create_app, service
from tests.conftest import FAST

FN = "abc123"
INVOKE = f"https://fn.example.test/{FN}"
CONTROL = "https://api.example.test"
KEY = "k-123"
RECORD: dict[str, Any] = {
    "id": FN,
    "title": "Predictor",
    "description": "",
    "invoke_url": INVOKE,
    "status": "ACTIVE",
    "endpoints": [
        {"route": "/predict", "method": "POST", "streaming": False},
        {"route": "/tokens", "method": "POST", "streaming": True, "description": "token by token"},
        {"route": "/batch-predict", "method": "PUT", "streaming": False},
    ],
    "tags": [],
    "auth": True,
    "inference_keys": [{"key": KEY}],
}


def settings(**options: Any) -> Settings:
    return Settings(api="covalent", bounds=FAST, options=options)


SUITE = REGISTRY.get("covalent")


def probe_named(name: str) -> Probe:
    return next(p for p in SUITE.probes() if p.name == name)


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(INVOKE, FAST) as made:
        yield made


def context(client: Client, run: RunState | None = None, **options: Any) -> Context:
    """A context in `run` (by default a run of its own)."""
    state = run or RunState(SUITE)
    return Context(probe_named("function_record"), client, contract.load("covalent"), settings(**options), state)


def judge(client: Client, probe: str, **options: Any) -> dict[str, CheckResult]:
    found = probe_named(probe)
    return run_probe(found, client, contract.load("covalent"), settings(**options), state=RunState(SUITE))


def live_control_plane(record: dict[str, Any] | None = RECORD, status: int = 200) -> respx.Route:
    """A control plane that is not the stub: no /_stub/info, and the record of FN."""
    respx.get(CONTROL + "/_stub/info").respond(404, json={"detail": "Not Found"})
    return respx.get(f"{CONTROL}/fn/api/v0/functions/{FN}").respond(status, json=record or {"detail": "no"})


@respx.mock
def test_the_record_is_read_once_per_run_at_the_control_url_with_the_key(client: Client) -> None:
    read = live_control_plane()
    run = RunState(SUITE)
    ctx = context(client, run, api_key=KEY, function_id=FN, control_url=CONTROL)
    found = target(ctx)
    assert (found.stub, found.key, found.function_id, found.control_url) == (False, KEY, FN, CONTROL)
    assert read.calls.last.request.headers["x-api-key"] == KEY
    assert listed(ctx) == [
        Endpoint(INVOKE, "/predict"),
        Endpoint(INVOKE, "/tokens", streaming=True),
        Endpoint(INVOKE, "/batch-predict", method="PUT"),
    ]
    assert example_missing(ctx) == f"function {FN} lists no /hello: it is not the seed's example service"
    assert target(context(client, run, api_key=KEY)) is found and read.call_count == 1  # once per run


@respx.mock
def test_the_control_plane_defaults_to_the_base_urls_origin(client: Client) -> None:
    respx.get("https://fn.example.test/_stub/info").respond(404)
    read = respx.get(f"https://fn.example.test/fn/api/v0/functions/{FN}").respond(200, json=RECORD)
    assert target(context(client, api_key=KEY, function_id=FN)).record_body() == RECORD
    assert read.called


@respx.mock
def test_a_record_unlike_the_contract_is_reported_field_by_field(client: Client) -> None:
    broken = {k: v for k, v in RECORD.items() if k != "inference_keys"} | {"id": "other", "status": "RUNNING"}
    live_control_plane(broken)
    result = judge(client, "function_record", api_key=KEY, function_id=FN, control_url=CONTROL)["function-record"]
    assert result.status == "failed"
    found = {(v.expected, v.actual) for v in result.violations}
    assert any("inference_keys" in actual for _, actual in found)
    assert any("RUNNING" in actual for _, actual in found)
    assert (f"the record of {FN}", "id 'other'") in found
    violation = result.violations[0]
    assert violation.operation == "GET /fn/api/v0/functions/{function_id}"
    assert f"x-api-key: {KEY}" in violation.request and f"{CONTROL}/fn/api/v0/functions/{FN}" in violation.request


@respx.mock
def test_a_refused_record_fails_and_the_example_checks_say_why_they_skip(client: Client) -> None:
    live_control_plane(None, 401)
    options = {"api_key": KEY, "function_id": FN, "control_url": CONTROL}
    result = judge(client, "function_record", **options)["function-record"]
    assert result.status == "failed" and result.violations[0].actual.startswith("HTTP 401")
    hello = judge(client, "hello_example", **options)["hello-example"]
    assert (
        hello.status == "skipped"
        and hello.reason == f"the record of {FN} could not be read, so whether it serves /hello is unknown"
    )


@respx.mock
def test_without_a_key_a_live_target_is_judged_only_where_no_key_is_needed(client: Client) -> None:
    respx.get("https://fn.example.test/_stub/info").respond(404)
    hello = respx.post(INVOKE + "/hello").respond(401, json={"detail": "missing x-api-key"})
    accepted = judge(client, "key_accepted")["key-accepted"]
    assert accepted.status == "skipped" and "--api-key" in accepted.reason
    refused = judge(client, "key_required")
    assert refused["missing-key-refused"].status == "passed" and refused["wrong-key-refused"].status == "passed"
    assert "x-api-key" not in hello.calls[0].request.headers
    assert hello.calls[1].request.headers["x-api-key"] != KEY
    lifecycle = judge(client, "lifecycle")["lifecycle-becomes-active"]
    assert lifecycle.status == "skipped" and "not the reference stub" in lifecycle.reason


@respx.mock
def test_every_listed_endpoint_is_called_where_the_record_says(client: Client) -> None:
    live_control_plane()
    respx.post(INVOKE + "/predict").respond(422, json={"detail": "missing argument x"})  # exists, needs x
    respx.post(INVOKE + "/tokens").respond(200, stream=httpx.ByteStream(b"a b c"))
    respx.put(INVOKE + "/batch-predict").respond(404, json={"detail": "no such route"})
    options = {"api_key": KEY, "function_id": FN, "control_url": CONTROL}
    served = judge(client, "listed_endpoints_served", **options)["listed-endpoints-served"]
    assert served.status == "failed"
    assert [(v.operation, v.expected) for v in served.violations] == [
        ("PUT /{route}", f"/batch-predict served at PUT {INVOKE}/batch-predict, as the record lists it")
    ]
    dashed = judge(client, "dashed_routes_served", **options)["dashed-routes-served"]
    assert dashed.status == "failed" and dashed.violations[0].request.endswith(f"{INVOKE}/batch-predict")


@respx.mock
def test_a_function_without_auth_is_not_expected_to_refuse_keyless_calls(client: Client) -> None:
    live_control_plane(RECORD | {"auth": False})
    result = judge(client, "key_required", api_key=KEY, function_id=FN, control_url=CONTROL)
    assert result["missing-key-refused"].status == "skipped" and "auth: false" in result["missing-key-refused"].reason


# -- real stubs that are not the default target ---------------------------------------------------


def check(app: Any, **options: Any) -> RunResult:
    quick = Settings(
        api="covalent",
        max_examples=2,
        seed=1,
        bounds=Bounds(timeout=1.5, stream_seconds=1.0),
        poll_deadline=0.8,
        poll_interval=0.02,
        options=options,
    )
    return run(quick, app=app)


def outcome(result: RunResult) -> dict[str, str]:
    return {r.check.name: r.status if r.status != "skipped" else f"skipped: {r.reason}" for r in result.results}


def words() -> Any:
    @service(title="Word tools", function_id="wordtools")
    def tools(separator: str = "-") -> dict[str, Any]:
        return {"separator": separator}

    @tools.endpoint("/join-words")
    def join(words: list[str] | None = None, separator: str = "-") -> str:
        return separator.join(words or ["a", "b"])

    @tools.endpoint("/spell", streaming=True)
    def spell(word: str = "abc") -> Iterator[str]:
        yield from word

    return tools


def test_a_service_that_is_not_the_example_is_checked_through_its_record() -> None:
    result = check(create_app(services=[words()], example=False))
    seen = outcome(result)
    reason = "skipped: function wordtools lists no {route}: it is not the seed's example service"
    assert seen.pop("hello-example") == reason.format(route="/hello")
    assert seen.pop("stream-example") == reason.format(route="/stream")
    # The generic size check sends the contract's own examples: a service that is not the example has none.
    assert seen.pop("oversized-body-refused").startswith("skipped: the contract documents no JSON POST operation")
    assert set(seen.values()) == {"passed"}, seen
    assert result.exit_code == 0


class Unmarked:
    """The stub, hiding that it is one (no /_stub/ paths), as a live deployment would look."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/_stub/"):
            await send({"type": "http.response.start", "status": 404, "headers": [(b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b"Not Found"})
            return
        await self.app(scope, receive, send)


def test_a_live_target_without_a_key_skips_what_needs_one_and_says_so() -> None:
    seen = outcome(check(Unmarked(create_app())))
    needs_key = "skipped: no --api-key given: the target's key is needed to call it (pass --api-key KEY)"
    for name in ("key-accepted", "hello-example", "stream-example", "plain-answers-json"):
        assert seen[name] == needs_key, name
    assert seen["function-record"].startswith("skipped: no --function-id given")
    assert seen["lifecycle-becomes-active"].startswith("skipped: not the reference stub")
    assert seen["missing-key-refused"] == seen["wrong-key-refused"] == "passed"


def test_a_live_target_with_key_and_function_id_is_checked_on_both_planes() -> None:
    result = check(Unmarked(create_app()), api_key="covalent-stub-key", function_id=EXAMPLE_FUNCTION_ID)
    seen = outcome(result)
    assert {n for n, s in seen.items() if s != "passed"} == {
        "lifecycle-becomes-active",
        "not-active-refused",
        "teardown-stops-serving",
    }
    assert result.exit_code == 0


def test_on_a_stub_the_function_under_test_is_the_one_the_base_url_names() -> None:
    second = words()
    with embedded(create_app(services=[second])) as url:
        for base, expected in ((url, EXAMPLE_FUNCTION_ID), (f"{url}/{second.id}", second.id)):
            with Client(base, FAST) as client:
                assert target(context(client)).function_id == expected
