# ruff: noqa: E501
# (byte-exact wire samples read best on one line)
"""The reference stub: the seed's behaviour, both profiles' wire formats, and safe handling of bad input."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

from aicontract.contracts import contract
from aicontract.stubs.agentuniverse import create_app

HELLO = {"service_id": "demo_service", "params": {"input": "Hello!"}}


def call(profile: str, *requests: tuple[str, str, dict[str, Any]], **options: Any) -> list[httpx.Response]:
    async def go() -> list[httpx.Response]:
        app = create_app(profile, **options)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://stub") as client:
            out = []
            for method, path, kwargs in requests:
                out.append(await client.request(method, path, **kwargs))
                await asyncio.sleep(0.01)  # let background runs advance
            return out

    return asyncio.run(go())


def test_documented_sync_run_answers_the_seed_example() -> None:
    (r,) = call("documented", ("POST", "/service_run", {"json": HELLO}))
    body = r.json()
    assert r.status_code == 200 and body["success"] is True and body["message"] is None
    assert body["result"] == "Your input is Hello!."
    assert len(body["request_id"]) == 32


def test_upstream_wire_format_is_byte_exact_but_for_the_id() -> None:
    (r,) = call("upstream", ("POST", "/service_run", {"json": HELLO}))
    rid = r.json()["request_id"]
    expected = f'{{"message":null,"request_id":"{rid}","result":"{{\\"output\\": \\"Your input is Hello!.\\"}}","success":true}}\n'
    assert r.content.decode() == expected
    assert r.headers["content-type"] == "application/json" and r.headers["connection"] == "close"


def test_upstream_stream_frames_have_no_space_and_a_stray_one_at_the_end() -> None:
    (r,) = call("upstream", ("POST", "/service_run_stream", {"json": HELLO}))
    assert r.content == b'data:{"result": "{\\"output\\": \\"Your input is Hello!.\\"}"}\n\n '
    assert len(r.headers["x-request-id"]) == 32


def test_async_run_is_found_finished_with_the_sync_result_in_each_profile_shape() -> None:
    for profile, _outcome in (
        ("documented", "Your input is Hello!."),
        ("upstream", {"result": '{"output": "Your input is Hello!."}'}),
    ):
        (submitted,) = call(profile, ("POST", "/service_run_async", {"json": HELLO}))
        assert submitted.json()["result"] is None

    async def go(profile: str) -> dict[str, Any]:
        app = create_app(profile)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://stub") as c:
            rid = (await c.post("/service_run_async", json=HELLO)).json()["request_id"]
            for _ in range(100):
                body: dict[str, Any] = (await c.get("/service_run_result", params={"request_id": rid})).json()
                if body["result"]["state"] == "finished":
                    return body
                await asyncio.sleep(0.01)
            raise AssertionError("never finished")

    assert go_result(go, "documented")["result"] == {
        "result": "Your input is Hello!.",
        "state": "finished",
        "steps": [],
    }
    assert go_result(go, "upstream")["result"]["result"] == {"result": '{"output": "Your input is Hello!."}'}


def go_result(go: Any, profile: str) -> dict[str, Any]:
    return asyncio.run(go(profile))  # type: ignore[no-any-return]


BAD_BODIES = [
    (b'{"service_id": "demo_service", "params": ', "application/json"),
    (b"", "application/json"),
    (b"[1, 2]", "application/json"),
    (b'{"service_id": 1, "params": {"input": "x"}}', "application/json"),
    (b'{"service_id": "demo_service", "params": "x"}', "application/json"),
    (b'{"service_id": "demo_service"}', "application/json"),
    (b'{"service_id": "demo_service", "params": {"input": 42}}', "application/json"),
    (json.dumps(HELLO).encode(), "text/plain"),
    (b"\xff\xfe", "application/json"),
]


@pytest.mark.parametrize("profile", ["documented", "upstream"])
@pytest.mark.parametrize(("body", "ctype"), BAD_BODIES)
def test_bad_input_gets_a_json_4xx_and_no_task(profile: str, body: bytes, ctype: str) -> None:
    for path in ("/service_run", "/service_run_async"):
        (r,) = call(profile, ("POST", path, {"content": body, "headers": {"content-type": ctype}}))
        if profile == "upstream" and r.status_code == 200:
            continue  # upstream defers some errors to the task, as agentUniverse does
        assert 400 <= r.status_code < 500, r.text
        doc = r.json()
        assert doc["success"] is False and doc["message"] and "Traceback" not in r.text


def test_an_oversized_body_is_refused_with_413() -> None:
    big = json.dumps({"service_id": "demo_service", "params": {"input": "x" * 2_000_000}}).encode()
    (r,) = call(
        "documented", ("POST", "/service_run", {"content": big, "headers": {"content-type": "application/json"}})
    )
    assert r.status_code == 413 and r.json()["success"] is False


def test_task_records_survive_a_restart_in_a_file(tmp_path: Any) -> None:
    db = str(tmp_path / "tasks.db")
    (r,) = call("documented", ("POST", "/service_run", {"json": HELLO}), db=db)
    rid = r.json()["request_id"]
    (found,) = call("documented", ("GET", "/service_run_result", {"params": {"request_id": rid}}), db=db)
    assert found.json()["result"]["state"] == "finished"


def test_services_load_from_agentuniverse_style_yaml(tmp_path: Any) -> None:
    (tmp_path / "agent.yaml").write_text(
        "info: {name: shout_agent}\nprofile: {template: 'YOU SAID {input}!'}\nmetadata: {type: AGENT, class: EchoAgent}\n"
    )
    (tmp_path / "service.yaml").write_text(
        "name: shout_service\ndescription: x\nagent: shout_agent\nmetadata: {type: SERVICE}\n"
    )
    body = {"service_id": "shout_service", "params": {"input": "hi"}}
    (r,) = call("documented", ("POST", "/service_run", {"json": body}), services=[tmp_path])
    assert r.json()["result"] == "YOU SAID hi!"


@pytest.mark.parametrize(
    ("body", "ctype", "status", "message"),
    [
        (json.dumps(HELLO).encode(), "text/plain", 404, "Service <class 'inspect._empty'> not found."),
        (b'{"service_id": "demo_service", "params": null}', "application/json", 422, "Input must have key: input."),
        (b'{"service_id": "demo_service", "params": {}}', "application/json", 422, "Input must have key: input."),
        (b'{"service_id": 123, "params": {"input": "x"}}', "application/json", 404, "Service 123 not found."),
        (b'{"params": {"input": "x"}}', "application/json", 404, "Service <class 'inspect._empty'> not found."),
    ],
)
def test_upstream_sync_errors_follow_agentuniverse_but_never_500(
    body: bytes, ctype: str, status: int, message: str
) -> None:
    (r,) = call("upstream", ("POST", "/service_run", {"content": body, "headers": {"content-type": ctype}}))
    assert (r.status_code, r.json()["message"]) == (status, message)
    assert r.json()["request_id"] is None and r.content.endswith(b"}\n")


def test_the_task_store_keeps_only_the_newest_records_when_capped() -> None:
    from aicontract.stubs.agentuniverse.tasks import TaskStore

    store = TaskStore(max_tasks=10)
    for i in range(2048):
        store.create(f"{i:032x}", "demo_service", {"input": "x"})
    assert store.get(f"{2047:032x}") is not None
    assert store.get(f"{0:032x}") is None


def test_each_profile_serves_exactly_its_documented_paths() -> None:
    for profile in ("documented", "upstream"):
        app = create_app(profile)
        served = {(m, r.path) for r in app.routes for m in getattr(r, "methods", set()) if m != "HEAD"}
        documented = {(op.method, op.path) for op in contract.load("agentuniverse", profile).operations()}
        assert served == documented, profile
