"""Every check can fail: each fault switch of the snet stub is reported by the check that guards it."""

from __future__ import annotations

import pytest

from aicontract.contracts.settings import Bounds
from aicontract.stubs.fault import Fault
from aicontract.stubs.snet import FAULTS
from tests.conftest import FAST, check_stub
from tests.faultmatrix import fault_matrix

OPTIONS = {"semantics": "example", "heartbeat": "/heartbeat"}
# A hanging rpc costs a few timeouts per operation: a short bound keeps that cheap.
QUICK = Bounds(timeout=0.5, stream_seconds=FAST.stream_seconds, stream_bytes=FAST.stream_bytes)


def _settings(fault: Fault) -> dict[str, object]:
    # The example's semantics and the heartbeat are judged too, so that every check can catch its fault.
    return {"max_examples": 3, "bounds": QUICK if fault.name == "hangs" else FAST, "options": dict(OPTIONS)}


(
    test_every_fault_names_checks_that_exist,
    test_every_check_is_shown_to_fail_by_some_fault,
    test_a_fault_is_reported_by_its_checks_with_operation_request_expectation_and_answer,
) = fault_matrix("snet", FAULTS, settings=_settings)


def run(faults: set[str] = frozenset(), **overrides: object):  # type: ignore[no-untyped-def]
    bounds = QUICK if "hangs" in faults else FAST
    return check_stub("snet", faults=faults, max_examples=3, bounds=bounds, options=dict(OPTIONS), **overrides)


def test_the_unmodified_stub_honours_its_contract() -> None:
    result = run()
    assert [(r.check.name, r.reason) for r in result.results if r.status != "passed"] == []
    assert result.exit_code == 0


@pytest.mark.parametrize("fault", ["int64-string-rejected", "non-json-answer", "credentials-ignored"])
def test_a_finding_shows_the_daemons_request_and_what_its_caller_would_see(fault: str) -> None:
    result = run({fault})
    violation = next(r for r in result.results if r.check.name == FAULTS[fault].caught_by[0]).violations[0]
    assert "User-Agent: Go-http-client/1.1" in violation.request
    assert "the daemon's caller would see" in violation.actual


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


@pytest.mark.parametrize(("endpoint", "answered"), [("/api/", True), ("/api", False)])
def test_older_daemons_concatenate_the_endpoint_as_typed_and_the_rpc_name(endpoint: str, answered: bool) -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount

    from aicontract.contracts import run
    from aicontract.contracts.runner import stub_app
    from aicontract.contracts.settings import Settings
    from aicontract.contracts.target import embedded

    settings = Settings(api="snet", max_examples=1, seed=1, bounds=FAST, options={"daemon": "6.2.0"})
    # Up to 6.2.0 the daemon POSTs to service_endpoint + rpc: "/api" + "calculate" is /apicalculate.
    with embedded(Starlette(routes=[Mount("/api", app=stub_app(settings))])) as url:
        result = run(settings, base_url=url + endpoint)
    gate = next(r for r in result.results if r.check.name == "daemon-inputs-answered")
    assert (gate.status == "passed") is answered, gate.violations[:1]
