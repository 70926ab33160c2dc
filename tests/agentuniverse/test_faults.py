"""Every check can fail: each fault switch of the stub is reported by the check that guards it."""

from __future__ import annotations

import pytest

from aicontract.stubs.agentuniverse import FAULTS
from tests.conftest import check_stub

# fault -> the check that must report it (in the documented profile unless UPSTREAM_ONLY says)
CAUGHT_BY = {
    "wrong-status": "sync-run-succeeds",
    "missing-field": "response-conformance",
    "mistyped-field": "response-conformance",
    "wrong-result": "echo-result",
    "bad-request-id": "request-id-unique",
    "repeated-request-id": "request-id-unique",
    "missing-request-id-header": "stream-format",
    "mismatched-request-id-header": "stream-request-id-identifies-run",
    "stream-wrong-content-type": "stream-format",
    "malformed-event": "stream-format",
    "no-final-event": "stream-format",
    "endless-stream": "stream-terminates",
    "blocking-async": "async-answers-at-once",
    "stuck-task": "async-reaches-terminal-state",
    "state-goes-backwards": "async-states-move-forward",
    "async-result-differs": "async-result-matches-sync",
    "unknown-service-accepted": "unknown-service",
    "unknown-request-id-crash": "unknown-request-id",
    "error-on-malformed-body": "no-server-errors",
    "hang": "sync-run-succeeds",
    "sync-run-not-stored": "sync-run-retrievable",
    "saved-ignored": "saved-flag",
    "missing-service-id-accepted": "missing-service-id",
    "stream-result-differs": "stream-result",
    "no-body-limit": "oversized-body-refused",
    "allow-header-wrong": "method-not-allowed",
}
ALSO_CAUGHT_BY = {"error-on-malformed-body": "invalid-input-rejected"}
# The documented RequestId is any non-empty string (the seed: "a randomly generated string");
# the 32-hex form is agentUniverse's, so a malformed id is a violation upstream only.
UPSTREAM_ONLY = {"saved-ignored", "bad-request-id"}
# ... and in the upstream profile, the checks of agentUniverse's exact wording (extended).
UPSTREAM_ALSO_CAUGHT_BY = {"unknown-service-accepted": "upstream-error-texts"}


def profile_of(fault: str) -> str:
    return "upstream" if fault in UPSTREAM_ONLY else "documented"


def test_every_fault_has_a_check_that_catches_it() -> None:
    assert set(CAUGHT_BY) == set(FAULTS)


def test_every_check_is_shown_to_fail_by_some_fault() -> None:
    from aicontract.contracts import apis
    from aicontract.contracts.check import checks

    apis.suite("agentuniverse")
    guarded = set(CAUGHT_BY.values()) | set(ALSO_CAUGHT_BY.values()) | set(UPSTREAM_ALSO_CAUGHT_BY.values())
    assert {c.name for c in checks("agentuniverse")} - guarded == set()


@pytest.mark.parametrize("profile", ["documented", "upstream"])
def test_the_unmodified_stub_honours_its_contract(profile: str) -> None:
    result = check_stub("agentuniverse", profile=profile)
    assert [r.check.name for r in result.results if r.status != "passed"] == []
    assert result.exit_code == 0


@pytest.mark.parametrize("fault", sorted(CAUGHT_BY))
def test_a_fault_is_reported_with_operation_request_expectation_and_answer(fault: str) -> None:
    result = check_stub("agentuniverse", faults={fault}, profile=profile_of(fault))
    by_name = {r.check.name: r for r in result.results}
    if fault in ALSO_CAUGHT_BY:
        assert by_name[ALSO_CAUGHT_BY[fault]].status == "failed"
    guard = by_name[CAUGHT_BY[fault]]
    assert guard.status == "failed", f"{fault} went unnoticed by {guard.check.name}"
    violation = guard.violations[0]
    assert violation.operation.split(" ")[0] in {"GET", "POST"}
    assert "curl -sS -i -X" in violation.request and "http://127.0.0.1:" in violation.request
    assert violation.expected and violation.actual
    if guard.check.level != "robustness":
        assert result.exit_code == 1


@pytest.mark.parametrize("fault", sorted(UPSTREAM_ALSO_CAUGHT_BY))
def test_a_fault_breaks_the_upstream_wording_too(fault: str) -> None:
    result = check_stub("agentuniverse", faults={fault}, profile="upstream")
    by_name = {r.check.name: r for r in result.results}
    assert by_name[UPSTREAM_ALSO_CAUGHT_BY[fault]].status == "failed"
