"""The covalent reference stub: the seed's texts, override semantics, auth, lifecycle, bad input."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from aicontract.stubs.covalent import (
    DEFAULT_API_KEY,
    EXAMPLE_FUNCTION_ID,
    FAULTS,
    add_arguments,
    app_from_arguments,
    create_app,
    service,
)
from tests.covalent.conftest import Stub, serve

Served = Callable[..., AbstractContextManager[Stub]]
FOX = "The quick brown fox jumps over the lazy dog"


# -- the seed's example ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (None, "Hello, world! My favorite number is 42"),
        ({}, "Hello, world! My favorite number is 42"),
        ({"number": 1867}, "Hello, world! My favorite number is 1867"),
        ({"message": "Hello, Covalent!"}, "Hello, Covalent! My favorite number is 42"),
        ({"message": "Hi", "number": -3}, "Hi My favorite number is -3"),
    ],
)
def test_hello_overrides_each_default_by_name(stub: Stub, body: Any, text: str) -> None:
    r = stub.call("/hello", body)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == text


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ({}, "Hello, world!\nItems: 1 5 foo\nDone streaming\n"),
        ({"message": "Hello, Covalent!"}, "Hello, Covalent!\nItems: 1 5 foo\nDone streaming\n"),
        (
            {"message": FOX, "items": list(range(20))},
            FOX + "\nItems: 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19\nDone streaming\n",
        ),
        ({"items": []}, "Hello, world!\nItems: \nDone streaming\n"),
    ],
)
def test_stream_sends_the_seed_text_in_several_timed_chunks(stub: Stub, body: Any, text: str) -> None:
    chunks: list[tuple[float, bytes]] = []
    started = time.perf_counter()
    with stub.http.stream(
        "POST", f"/{EXAMPLE_FUNCTION_ID}/stream", json=body, headers={"x-api-key": DEFAULT_API_KEY}
    ) as r:
        assert r.status_code == 200
        for chunk in r.iter_raw():
            chunks.append((time.perf_counter() - started, chunk))
    assert b"".join(c for _, c in chunks).decode() == text
    assert len(chunks) == 3
    assert chunks[-1][0] - chunks[0][0] >= 0.03  # flushed as produced, not gathered at the end


def test_the_seed_curl_line_works_verbatim_without_content_type(stub: Stub) -> None:
    # curl -d sends application/x-www-form-urlencoded; the seed's line must work all the same.
    for ctype in (None, "application/x-www-form-urlencoded", "text/plain"):
        headers = {"x-api-key": DEFAULT_API_KEY} | ({"content-type": ctype} if ctype else {})
        r = stub.http.post("/0663accb6f7d37dbf2a4687b7/hello", content=b'{"number": 1867}', headers=headers)
        assert r.json() == "Hello, world! My favorite number is 1867"


def test_the_root_function_is_served_at_the_root_too(served: Served) -> None:
    with served() as stub:
        r = stub.http.post("/hello", json={"number": 1867}, headers={"x-api-key": DEFAULT_API_KEY})
        assert r.json() == "Hello, world! My favorite number is 1867"
        assert stub.http.post("/stream", headers={"x-api-key": DEFAULT_API_KEY}).text.endswith("Done streaming\n")
        assert stub.http.post("/hello").status_code == 401
        info = stub.http.get("/_stub/info").json()
        assert info["root_function"] == EXAMPLE_FUNCTION_ID and info["functions"] == [EXAMPLE_FUNCTION_ID]
    with served(example=False) as stub:
        assert stub.http.post("/hello", headers={"x-api-key": DEFAULT_API_KEY}).status_code == 404
    with pytest.raises(ValueError):
        create_app(root_function="nope")


def test_the_dashed_route_is_served(stub: Stub) -> None:
    r = stub.call("/custom-endpoint", {"number": 7})
    assert r.json() == {"route": "/custom-endpoint", "message": "Hello, world!", "number": 7}


# -- auth --------------------------------------------------------------------------------------


def test_missing_or_wrong_key_is_401_json(stub: Stub) -> None:
    for key in (None, "", "wrong", "covalent-stub-key2", "COVALENT-STUB-KEY", "né"):
        headers = [] if key is None else [(b"x-api-key", key.encode("latin-1"))]
        r = stub.http.post(f"/{EXAMPLE_FUNCTION_ID}/hello", headers=headers)
        assert r.status_code == 401 and r.json()["detail"], (key, r.text)


def test_configured_keys_work_on_both_planes(served: Served) -> None:
    with served(api_keys=("alpha", "beta")) as stub:
        assert stub.call("/hello", key="beta").status_code == 200
        assert stub.call("/hello", key=DEFAULT_API_KEY).status_code == 401
        assert stub.cp("GET", f"/{EXAMPLE_FUNCTION_ID}", key="alpha").status_code == 200
        assert stub.cp("GET", f"/{EXAMPLE_FUNCTION_ID}", key="gamma").status_code == 401
        keys = stub.cp("GET", f"/{EXAMPLE_FUNCTION_ID}", key="alpha").json()["inference_keys"]
        assert [k["key"] for k in keys] == ["alpha", "beta"]


def test_inference_keys_can_be_created_listed_and_revoked(stub: Stub) -> None:
    created = stub.cp("POST", f"/{EXAMPLE_FUNCTION_ID}/inference-keys")
    assert created.status_code == 201
    key = created.json()
    assert stub.call("/hello", key=key["key"]).status_code == 200
    listed = stub.cp("GET", f"/{EXAMPLE_FUNCTION_ID}/inference-keys").json()
    assert key["id"] in [k["id"] for k in listed] and all("key" not in k for k in listed)
    assert stub.cp("DELETE", f"/{EXAMPLE_FUNCTION_ID}/inference-keys/{key['id']}").status_code == 204
    assert stub.call("/hello", key=key["key"]).status_code == 401
    assert stub.cp("DELETE", f"/{EXAMPLE_FUNCTION_ID}/inference-keys/{key['id']}").status_code == 404


# -- lifecycle ---------------------------------------------------------------------------------


def test_a_deployment_is_creating_then_active_then_inactive_after_teardown(stub: Stub) -> None:
    record = stub.deploy(create_delay=0.3)
    fid = record["id"]
    assert record["status"] == "CREATING" and record["invoke_url"] == f"{stub.url}/{fid}"
    refused = stub.call("/hello", fid=fid)
    assert refused.status_code == 503 and refused.headers["retry-after"]
    deadline = time.monotonic() + 5
    while stub.record(fid)["status"] != "ACTIVE":
        assert time.monotonic() < deadline, "never became ACTIVE"
        time.sleep(0.02)
    assert stub.call("/hello", {"number": 1}, fid=fid).json() == "Hello, world! My favorite number is 1"
    torn = stub.cp("PUT", f"/{fid}/teardown")
    assert torn.status_code == 200 and torn.json()["status"] == "INACTIVE"
    assert stub.record(fid)["status"] == "INACTIVE"
    gone = stub.call("/hello", fid=fid)
    assert gone.status_code == 410 and "torn down" in gone.json()["detail"]
    # the other deployments are untouched
    assert stub.call("/hello").status_code == 200


def test_the_default_lifecycle_is_immediate_and_the_delay_configurable(served: Served) -> None:
    with served(create_delay=30) as stub:
        assert stub.record()["status"] == "CREATING"
        assert stub.call("/hello").status_code == 503
        assert stub.deploy(create_delay=0)["status"] == "ACTIVE"


def test_an_initializer_that_fails_leaves_the_deployment_in_error(served: Served) -> None:
    @service(title="Broken", function_id="broken")
    def broken() -> dict[str, Any]:
        raise RuntimeError("no GPU")

    @broken.endpoint("/x")
    def x() -> int:
        return 1

    with served(services=[broken]) as stub:
        record = stub.record("broken")
        assert record["status"] == "ERROR" and "no GPU" in record["error"]
        r = stub.call("/x", fid="broken")
        assert r.status_code == 503 and "no GPU" in r.json()["detail"]


def test_the_listing_pages_filters_and_sorts(stub: Stub) -> None:
    second = stub.deploy()
    stub.cp("PUT", f"/{second['id']}/teardown")
    everything = stub.cp("GET", params={"count": 10, "direction": "ASC"}).json()
    assert [r["id"] for r in everything["records"]] == [EXAMPLE_FUNCTION_ID, second["id"]]
    assert everything["metadata"] == {"total_count": 2, "page": 0, "count": 2}
    page = stub.cp("GET", params={"count": 1, "page": 1, "direction": "ASC"}).json()
    assert [r["id"] for r in page["records"]] == [second["id"]]
    active = stub.cp("GET", params={"status": "ACTIVE"}).json()
    assert [r["id"] for r in active["records"]] == [EXAMPLE_FUNCTION_ID]
    assert stub.cp("GET", params={"search": "nothing like it"}).json()["records"] == []
    for bad in ({"count": "0"}, {"page": "-1"}, {"direction": "UP"}, {"sort": "x"}, {"status": "DONE"}):
        assert stub.cp("GET", params=bad).status_code == 422


def test_control_plane_refuses_without_the_account_key_and_changes_nothing(stub: Stub) -> None:
    for key in (None, "wrong"):
        assert stub.cp("PUT", f"/{EXAMPLE_FUNCTION_ID}/teardown", key=key).status_code == 401
        assert stub.cp("POST", f"/{EXAMPLE_FUNCTION_ID}/inference-keys", key=key).status_code == 401
        assert stub.cp("GET", key=key).status_code == 401
    assert stub.record()["status"] == "ACTIVE" and len(stub.record()["inference_keys"]) == 1
    assert stub.cp("GET", "/nope").status_code == 404
    assert stub.cp("PUT", "/nope/teardown").status_code == 404


# -- user services -----------------------------------------------------------------------------


def test_a_user_service_declared_with_the_decorator_is_hosted(served: Served) -> None:
    @service(title="Scaler", tags=["demo"], auth=False)
    def scaler(factor: float = 2.0) -> dict[str, Any]:
        """Multiplies things."""
        return {"factor": factor, "unused": 1}

    @scaler.endpoint("/scale")
    def scale(x: float, factor: float) -> float:
        """x times the factor"""
        return x * factor

    @scaler.endpoint("/count-up", streaming=True)
    async def count_up(upto: int = 3) -> AsyncIterator[bytes]:
        for i in range(upto):
            yield f"{i};".encode()

    @scaler.endpoint("/echo", method="PUT")
    async def echo(**kwargs: Any) -> dict[str, Any]:
        return kwargs

    with served(services=[scaler], example=False) as stub:
        fid = scaler.id
        record = stub.record(fid)
        assert record["title"] == "Scaler" and record["description"] == "Multiplies things."
        assert record["auth"] is False and record["tags"] == ["demo"]
        assert record["endpoints"][0] == {
            "route": "/scale",
            "method": "POST",
            "name": "scale",
            "description": "x times the factor",
            "streaming": False,
        }
        assert stub.call("/scale", {"x": 3}, fid=fid, key=None).json() == 6.0
        assert stub.call("/scale", {"x": 3, "factor": 0.5}, fid=fid).json() == 1.5
        assert stub.call("/scale", {}, fid=fid).status_code == 422  # x has no default anywhere
        assert stub.call("/scale", {"x": "3"}, fid=fid).status_code == 422
        assert stub.call("/count-up", {"upto": 4}, fid=fid).content == b"0;1;2;3;"
        assert stub.call("/echo", {"a": [1]}, fid=fid, method="PUT").json() == {"a": [1]}
        assert stub.call("/echo", {}, fid=fid).status_code == 405
        assert stub.call("/hello", fid=EXAMPLE_FUNCTION_ID).status_code == 404  # no example


def test_a_failing_endpoint_is_a_json_500_without_traceback(served: Served) -> None:
    @service(function_id="f")
    def svc() -> dict[str, Any]:
        return {}

    @svc.endpoint("/boom")
    def boom() -> None:
        raise ValueError("bad luck")

    @svc.endpoint("/not-json")
    def not_json() -> object:
        return object()

    @svc.endpoint("/boom-stream", streaming=True)
    def boom_stream() -> Iterator[str]:
        raise ValueError("before the first chunk")
        yield "never"

    with served(services=[svc]) as stub:
        for route in ("/boom", "/not-json", "/boom-stream"):
            r = stub.call(route, fid="f")
            assert r.status_code == 500 and r.json()["detail"] and "Traceback" not in r.text


def test_declaring_bad_endpoints_is_refused() -> None:
    @service
    def svc() -> dict[str, Any]:
        return {}

    svc.endpoint("/a-b")(lambda: 1)
    for route, method in (("/a_b", "POST"), ("/a-b", "POST"), ("/x y", "POST"), ("//", "POST"), ("/x", "TRACE")):
        with pytest.raises(ValueError):
            svc.endpoint(route, method=method)(lambda: 1)
    with pytest.raises(ValueError):
        service(function_id="no spaces allowed")


# -- bad input ---------------------------------------------------------------------------------

BAD = [
    (b'{"number": ', 400),
    (b"\xff\xfe", 400),
    (b'{"number": NaN}', 400),
    (b"[" * 50_000, 400),
    (b"1" * 5000, 400),
    (b"[1, 2]", 422),
    (b'"hello"', 422),
    (b"null", 422),
    (b'{"numbr": 1}', 422),
    (b'{"number": "1867"}', 422),
    (b'{"number": 18.5}', 422),
    (b'{"number": true}', 422),
    (b'{"message": null}', 422),
    (b'{"message": ["a"]}', 422),
]


@pytest.mark.parametrize(("body", "status"), BAD)
def test_bad_input_gets_a_clear_json_4xx(stub: Stub, body: bytes, status: int) -> None:
    r = stub.call("/hello", content=body)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json" and r.json()["detail"]


@pytest.mark.parametrize(
    "body", [{"items": "abc"}, {"items": [[1]]}, {"items": [None]}, {"items": [{"a": 1}]}, {"extra": 1}]
)
def test_bad_stream_arguments_get_422_before_any_byte(stub: Stub, body: Any) -> None:
    r = stub.call("/stream", body)
    assert r.status_code == 422 and r.headers["content-type"] == "application/json"
    assert next(iter(body)) in r.json()["detail"]


def test_unknown_function_route_and_method(stub: Stub) -> None:
    assert stub.call("/hello", fid="000000000000000000000000").status_code == 404
    r = stub.call("/nope")
    assert r.status_code == 404 and "/hello" in r.json()["detail"]
    assert stub.call("/hello", method="GET").status_code == 405
    assert stub.http.get("/").status_code == 404
    assert stub.http.post("/nope", headers={"x-api-key": DEFAULT_API_KEY}).status_code == 404
    assert stub.http.post(f"/{EXAMPLE_FUNCTION_ID}", headers={"x-api-key": DEFAULT_API_KEY}).status_code == 404
    r = stub.http.post(f"/fn/api/v0/functions/{EXAMPLE_FUNCTION_ID}")
    assert r.status_code == 405 and "GET" in r.headers["allow"]


def test_an_oversized_body_is_413(stub: Stub) -> None:
    big = json.dumps({"message": "x" * (1 << 20)}).encode()
    assert stub.call("/hello", content=big).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while reading
        for _ in range(20):
            yield b" " * 100_000

    assert stub.call("/hello", content=chunks()).status_code == 413


def test_bad_options_are_refused() -> None:
    for kwargs in ({"profile": "upstream"}, {"faults": ["nope"]}, {"api_keys": ()}, {"create_delay": -1}):
        with pytest.raises(ValueError):
            create_app(**kwargs)


# -- faults and the CLI hooks ------------------------------------------------------------------


# fault -> how it shows on the wire (and must not without the switch)
SHOWS: dict[str, Callable[[Stub], bool]] = {
    "auth-ignored": lambda s: s.call("/hello", key=None).status_code == 200,
    "wrong-key-accepted": lambda s: s.call("/hello", key="x").status_code == 200,
    "bearer-auth-only": lambda s: (
        s.call("/hello").status_code == 401
        and s.call("/hello", key=None, headers={"authorization": f"Bearer {DEFAULT_API_KEY}"}).status_code == 200
    ),
    "override-ignored": lambda s: s.call("/hello", {"number": 1}).json().endswith("42"),
    "wrong-content-type": lambda s: s.call("/hello").headers["content-type"].startswith("text/plain"),
    "content-type-required": lambda s: s.call("/hello", content=b"{}").status_code == 415,
    "stream-one-chunk": lambda s: len(list(_raw_chunks(s, "/stream"))) == 1,
    "endless-stream": lambda s: _still_open_after(s, "/stream", 1.0),
    "wrong-item-join": lambda s: b"Items: 1, 5, foo" in s.call("/stream").content,
    "no-done-line": lambda s: b"Done" not in s.call("/stream").content,
    "unknown-argument-500": lambda s: s.call("/hello", {"x": 1}).status_code == 500,
    "mistyped-argument-accepted": lambda s: s.call("/hello", {"number": "x"}).status_code == 200,
    "malformed-json-500": lambda s: s.call("/hello", content=b"{").status_code == 500,
    "record-missing-field": lambda s: "invoke_url" not in s.record(),
    "invoke-url-wrong": lambda s: (
        s.http.post(s.record()["invoke_url"] + "/hello", headers={"x-api-key": DEFAULT_API_KEY}).status_code == 404
    ),
    "stuck-creating": lambda s: s.record()["status"] == "CREATING",
    "serves-while-creating": lambda s: s.call("/hello", fid=s.deploy(create_delay=30)["id"]).status_code == 200,
    "teardown-ignored": lambda s: (
        s.cp("PUT", f"/{EXAMPLE_FUNCTION_ID}/teardown").status_code == 200 and s.call("/hello").status_code == 200
    ),
    "dashed-route-missing": lambda s: s.call("/custom-endpoint").status_code == 404,
    "allow-header-wrong": lambda s: s.call("/hello", method="OPTIONS").headers.get("allow") != "POST",
    "no-body-limit": lambda s: s.call("/hello", {"number": 1, "pad": "x" * (2 << 20)}).status_code != 413,
    "text-errors": lambda s: s.call("/hello", key=None).headers["content-type"].startswith("text/plain"),
}


def test_every_fault_switch_is_exercised() -> None:
    assert set(SHOWS) == set(FAULTS)


@pytest.mark.parametrize("fault", sorted(SHOWS))
def test_a_fault_switch_changes_behaviour_and_only_with_the_switch(fault: str) -> None:
    with serve(faults=[fault]) as stub:
        assert SHOWS[fault](stub), fault
    with serve() as stub:
        assert not SHOWS[fault](stub), f"{fault} shows without the switch"


def _still_open_after(stub: Stub, route: str, seconds: float) -> bool:
    started = time.monotonic()
    with stub.http.stream("POST", f"/{EXAMPLE_FUNCTION_ID}{route}", headers={"x-api-key": DEFAULT_API_KEY}) as r:
        for _ in r.iter_raw():
            if time.monotonic() - started > seconds:
                return True
    return False


def _raw_chunks(stub: Stub, route: str) -> Iterator[bytes]:
    with stub.http.stream("POST", f"/{EXAMPLE_FUNCTION_ID}{route}", headers={"x-api-key": DEFAULT_API_KEY}) as r:
        yield from r.iter_raw()


def test_serve_arguments_build_the_app(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mysvc.py").write_text(
        "from aicontract.stubs.covalent import service\n"
        "@service(title='Mine', function_id='mine')\n"
        "def mine():\n    return {'n': 1}\n"
        "@mine.endpoint('/n')\n"
        "def n(n: int) -> int:\n    return n\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(["--api-key", "k1", "--create-delay", "0", "--service", "mysvc:mine", "--no-example"])
    assert args.root_function is None
    args.profile, args.faults = "documented", []
    app = app_from_arguments(args)
    from tests.covalent.conftest import on_socket

    with on_socket(app) as url:
        stub = Stub(url)
        assert stub.call("/n", {"n": 5}, fid="mine", key="k1").json() == 5
        assert stub.http.post(url + "/n", headers={"x-api-key": "k1"}).json() == 1  # the root function
        assert stub.call("/hello", key="k1").status_code == 404
    for bad in ("mysvc", "mysvc:nope", "nosuchmodule:x", "json:dumps"):
        args.services = [bad]
        with pytest.raises(ValueError):
            app_from_arguments(args)


def test_the_stub_imports_no_harness_or_generator_modules() -> None:
    # Start-up time itself is measured by `nox -s bench`, not asserted here.
    heavy_modules = ("yaml", "hypothesis", "schemathesis", "pandas", "jsonschema_rs")
    code = (
        "import sys; import aicontract.stubs.covalent as c; c.create_app();"
        f"print(','.join(m for m in {heavy_modules!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True).stdout
    assert out.strip() == ""
