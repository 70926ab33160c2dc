"""Shared helpers: run a suite against an embedded stub with faults, with short bounds."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager

import httpx
import pytest

from aicontract.contracts import run
from aicontract.contracts.client import Bounds
from aicontract.contracts.runner import RunResult, stub_app
from aicontract.contracts.settings import Settings

FAST = Bounds(timeout=1.5, stream_seconds=1.5, stream_bytes=256 << 10)


def check_stub(api: str, faults: Collection[str] = (), profile: str = "documented", **overrides: object) -> RunResult:
    fields: dict[str, object] = {
        "api": api,
        "profile": profile,
        "max_examples": 8,
        "seed": 1,
        "bounds": FAST,
        "poll_deadline": 1.5,
        "poll_interval": 0.02,
        "latency_bound": 1.0,
    }
    fields.update(overrides)
    settings = Settings(**fields)  # type: ignore[arg-type]
    return run(settings, app=stub_app(settings, faults))


@pytest.fixture
def failed() -> object:
    def names(result: RunResult) -> set[str]:
        return {r.check.name for r in result.results if r.status == "failed"}

    return names


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_subprocess(api: str, args: list[str], ready_path: str) -> Iterator[str]:
    """`aicontract serve API ARGS` in a subprocess on a free 127.0.0.1 port; yields its URL once
    `ready_path` answers, and stops it (killed if it will not stop) afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "aicontract.contracts.cli", "serve", api, "--port", str(port), *args]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(url + ready_path, timeout=1, trust_env=False)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
