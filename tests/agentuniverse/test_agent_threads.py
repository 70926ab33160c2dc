"""A custom agent's blocking execute() runs off the event loop: it cannot stall other requests, and
--sync-timeout fires on it."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from aicontract.stubs.agentuniverse import create_app

SLOW = {"service_id": "slow_service", "params": {"input": "x"}}
FAST = {"service_id": "demo_service", "params": {"input": "x"}}


@pytest.fixture
def slow_services(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Any]]:
    """A service whose agent blocks in execute() until the test releases it (at most 10 s)."""
    (tmp_path / "slow_agent_module.py").write_text(
        textwrap.dedent(
            """
            import threading
            RELEASE = threading.Event()
            STARTED = threading.Event()

            class SlowAgent:
                def execute(self, params):
                    STARTED.set()
                    RELEASE.wait(10)
                    return {"output": "slow"}
            """
        )
    )
    (tmp_path / "agent.yaml").write_text(
        "info: {name: slow_agent}\nmetadata: {type: AGENT, module: slow_agent_module, class: SlowAgent}\n"
    )
    (tmp_path / "service.yaml").write_text("name: slow_service\nagent: slow_agent\nmetadata: {type: SERVICE}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import slow_agent_module  # type: ignore[import-not-found]

    try:
        yield tmp_path, slow_agent_module
    finally:
        slow_agent_module.RELEASE.set()
        sys.modules.pop("slow_agent_module", None)


def test_a_blocking_agent_does_not_stall_a_concurrent_fast_request(slow_services: tuple[Path, Any]) -> None:
    folder, module = slow_services
    app = create_app(services=[folder], sync_timeout=30)
    finished: list[str] = []

    async def go() -> None:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://stub") as client:

            async def run(name: str, body: dict[str, Any]) -> httpx.Response:
                r = await client.post("/service_run", json=body)
                finished.append(name)
                return r

            slow = asyncio.create_task(run("slow", SLOW))
            while not module.STARTED.is_set():  # the agent is blocking in its thread now
                await asyncio.sleep(0.01)
            fast = await asyncio.wait_for(run("fast", FAST), 10)
            assert fast.json()["result"] == "Your input is x."
            assert not slow.done()
            module.RELEASE.set()
            assert (await asyncio.wait_for(slow, 10)).json()["result"] == "slow"

    asyncio.run(go())
    assert finished == ["fast", "slow"]


def test_the_sync_timeout_answers_504_while_the_agent_still_blocks(slow_services: tuple[Path, Any]) -> None:
    folder, module = slow_services
    app = create_app(services=[folder], sync_timeout=0.2)

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://stub") as client:
            return await asyncio.wait_for(client.post("/service_run", json=SLOW), 10)

    r = asyncio.run(go())
    assert r.status_code == 504 and r.json()["message"] == "AU sync service timeout"
    assert not module.RELEASE.is_set()  # the agent was still blocked when the answer came


def test_stuck_agents_hold_at_most_agent_threads_threads(slow_services: tuple[Path, Any]) -> None:
    folder, module = slow_services
    app = create_app(services=[folder], sync_timeout=0.2, agent_threads=1)

    async def go() -> list[int]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://stub") as client:
            first = await client.post("/service_run", json=SLOW)  # times out; its thread stays busy
            module.STARTED.clear()
            second = await client.post("/service_run", json=SLOW)  # waits for the one thread: times out too
            started_again = module.STARTED.is_set()
            fast = await client.post("/service_run", json=FAST)  # built-in agents need no thread
            assert not started_again
            return [first.status_code, second.status_code, fast.status_code]

    assert asyncio.run(go()) == [504, 504, 200]


def test_an_agent_that_raises_is_a_failed_run_not_a_crash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "raising_agent_module.py").write_text(
        "class Raising:\n    def execute(self, params):\n        raise RuntimeError('boom')\n"
    )
    (tmp_path / "agent.yaml").write_text(
        "info: {name: raising}\nmetadata: {type: AGENT, module: raising_agent_module, class: Raising}\n"
    )
    (tmp_path / "service.yaml").write_text("name: raising_service\nagent: raising\nmetadata: {type: SERVICE}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    app = create_app(services=[tmp_path])

    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://stub") as client:
            return await client.post("/service_run", json={"service_id": "raising_service", "params": {"input": "x"}})

    r = asyncio.run(go())
    assert r.status_code == 200 and r.json()["success"] is False
    assert r.json()["message"] == "RuntimeError: boom"
