"""Every check can fail: each fault switch of the snet stub is reported by the check that guards it."""

from __future__ import annotations

import pytest

from aicontract.contracts.settings import Bounds
from aicontract.stubs.snet import FAULTS
from tests.conftest import FAST, check_stub

OPTIONS = {"semantics": "example", "heartbeat": "/heartbeat"}
# A hanging rpc costs a few timeouts per operation: a short bound keeps that cheap.
QUICK = Bounds(timeout=0.5, stream_seconds=FAST.stream_seconds, stream_bytes=FAST.stream_bytes)


def run(faults: set[str] = frozenset(), **overrides: object):  # type: ignore[no-untyped-def]
    bounds = QUICK if "hangs" in faults else FAST
    return check_stub("snet", faults=faults, max_examples=3, bounds=bounds, options=dict(OPTIONS), **overrides)


def test_every_check_is_shown_to_fail_by_some_fault() -> None:
    from aicontract.contracts import apis
    from aicontract.contracts.check import checks

    apis.suite("snet")
    guarded = {name for fault in FAULTS.values() for name in fault.caught_by}
    assert {c.name for c in checks("snet")} - guarded == set()


def test_the_unmodified_stub_honours_its_contract() -> None:
    result = run()
    assert [(r.check.name, r.reason) for r in result.results if r.status != "passed"] == []
    assert result.exit_code == 0


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_fault_is_reported_with_what_the_daemons_caller_would_see(fault: str) -> None:
    result = run({fault})
    by_name = {r.check.name: r for r in result.results}
    for name in FAULTS[fault].caught_by:
        found = by_name[name]
        assert found.status == "failed", f"{fault} went unnoticed by {name}: {found.status} {found.reason}"
    violation = by_name[FAULTS[fault].caught_by[0]].violations[0]
    assert violation.operation.split(" ")[0] in {"GET", "POST"}
    assert violation.request.startswith("curl ") and "http://127.0.0.1:" in violation.request
    assert "User-Agent: Go-http-client/1.1" in violation.request or violation.operation.startswith("GET")
    assert violation.expected and violation.actual
    if violation.operation.startswith("POST"):
        assert "the daemon's caller would see" in violation.actual or "the caller would get" in violation.actual
    assert result.exit_code == 1


def test_an_answer_later_than_the_service_timeout_is_the_callers_deadline() -> None:
    result = check_stub("snet", max_examples=2, bounds=FAST, options={"service_timeout": 1e-6})
    slow = next(r for r in result.results if r.check.name == "answers-in-time")
    assert slow.status == "failed"
    assert "context deadline exceeded" in slow.violations[0].actual
    others = {r.check.name for r in result.results if r.status == "failed"}
    assert others == {"answers-in-time"}  # a late answer is reported once, not by every check


def test_older_daemons_judge_without_a_timeout() -> None:
    result = check_stub("snet", max_examples=2, bounds=FAST, options={"service_timeout": 1e-6, "daemon": "6.2.0"})
    assert result.exit_code == 0


def test_every_check_has_a_ground() -> None:
    from aicontract.contracts import apis
    from aicontract.contracts.check import checks
    from aicontract.contracts.snet.grounds import GROUNDS

    apis.suite("snet")
    assert {c.name for c in checks("snet")} == set(GROUNDS)


EXAMPLE_ONLY = {"overflow-wraps", "float-arithmetic", "error-as-number", "heartbeat-empty"}


@pytest.mark.parametrize("fault", sorted(set(FAULTS) - EXAMPLE_ONLY))
def test_on_a_richer_proto_each_fault_is_caught_too(fault: str) -> None:
    from tests.snet.protos import HERE, RICH

    bounds = QUICK if fault == "hangs" else FAST
    options = {"protos": [str(RICH)], "includes": [str(HERE)]}
    result = check_stub("snet", faults={fault}, max_examples=2, bounds=bounds, options=options)
    guard = next(r for r in result.results if r.check.name == FAULTS[fault].caught_by[0])
    assert guard.status == "failed", f"{fault} went unnoticed by {guard.check.name}: {guard.reason}"


def test_on_a_richer_proto_the_unmodified_stub_passes() -> None:
    from tests.snet.protos import HERE, RICH

    result = check_stub("snet", max_examples=5, bounds=FAST, options={"protos": [str(RICH)], "includes": [str(HERE)]})
    assert [(r.check.name, r.violations[:1]) for r in result.results if r.status == "failed"] == []
