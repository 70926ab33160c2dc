"""What the public API can grow stays bounded: task records by count and size, runs under way by count."""

from __future__ import annotations

import asyncio

import httpx

from aicontract.stubs.agentuniverse import create_app
from aicontract.stubs.agentuniverse.app import MAX_RUNNING
from aicontract.stubs.agentuniverse.tasks import TaskStore


def test_the_task_store_keeps_only_the_newest_records_within_its_byte_budget() -> None:
    store = TaskStore(max_bytes=64_000)
    for i in range(100):
        store.create(f"{i:032x}", "demo_service", {"input": "x" * 4_000})
    assert len(store) <= 16
    assert store.get(f"{99:032x}") is not None and store.get(f"{0:032x}") is None


def test_runs_beyond_the_cap_under_way_get_429_until_some_end() -> None:
    app = create_app()
    running = app.state.runtime.running
    running.update(object() for _ in range(MAX_RUNNING))  # stand-ins for runs under way

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://stub") as client:
            return await client.post(
                "/service_run_async", json={"service_id": "demo_service", "params": {"input": "x"}}
            )

    r = asyncio.run(go())
    assert r.status_code == 429 and r.json()["success"] is False and r.headers["retry-after"] == "1"
    assert len(app.state.runtime.store) == 0
