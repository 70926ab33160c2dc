"""Shared helpers: run a suite against an embedded stub with faults, with short bounds."""

from __future__ import annotations

from collections.abc import Collection

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
