"""Every check can fail: each fault switch of the reference Grid Node is reported by the check its
declaration names (`caught_by[0]`, and the others it lists), in the profile(s) it declares."""

from __future__ import annotations

import pytest

from aicontract.stubs.pygrid import FAULTS
from tests.conftest import check_stub

# Generated cases cost most of a run: only faults that the generated cases must catch get many.
FUZZ = frozenset({"response-conformance", "invalid-input-rejected", "no-server-errors"})
CASES = [(fault.name, fault.profile) for fault in FAULTS.values()]


def examples(fault: str) -> int:
    if "linked-sequences" in FAULTS[fault].caught_by:
        return 20  # four generated sequences
    return 6 if FUZZ & set(FAULTS[fault].caught_by) else 1


def test_there_are_at_least_fifteen_faults_each_caught_by_a_check_of_the_suite() -> None:
    from aicontract.contracts import apis
    from aicontract.contracts.check import checks

    apis.suite("pygrid")
    names = {c.name for c in checks("pygrid")}
    assert len(FAULTS) >= 15
    assert {name for fault in FAULTS.values() for name in fault.caught_by} <= names


def test_every_check_is_shown_to_fail_by_some_fault() -> None:
    from aicontract.contracts import apis
    from aicontract.contracts.check import checks

    apis.suite("pygrid")
    guarded = {name for fault in FAULTS.values() for name in fault.caught_by}
    assert {c.name for c in checks("pygrid")} - guarded == set()


@pytest.mark.parametrize("profile", ["documented", "upstream"])
def test_the_unmodified_stub_honours_its_contract(profile: str) -> None:
    result = check_stub("pygrid", profile=profile, max_examples=6)
    assert [(r.check.name, r.reason) for r in result.results if r.status != "passed"] == []
    assert result.exit_code == 0


@pytest.mark.parametrize(("fault", "profile"), CASES, ids=[f"{f}-{p}" for f, p in CASES])
def test_a_fault_is_reported_with_operation_request_expectation_and_answer(fault: str, profile: str) -> None:
    result = check_stub("pygrid", faults={fault}, profile=profile, max_examples=examples(fault))
    by_name = {r.check.name: r for r in result.results}
    for name in FAULTS[fault].caught_by:
        assert by_name[name].status == "failed", f"{fault} went unnoticed by {name}: {by_name[name].reason}"
    guard = by_name[FAULTS[fault].caught_by[0]]
    violation = guard.violations[0]
    assert violation.operation.split(" ")[0] in {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}
    assert violation.request.startswith(("curl ", "printf ")) and "http://127.0.0.1:" in violation.request
    assert violation.expected and violation.actual
    if guard.check.level != "robustness":
        assert result.exit_code == 1


def test_the_upstream_profile_accepts_the_real_nodes_crash_where_the_documented_one_does_not() -> None:
    # /get_model of an unknown id: the real node's 500 page (a misspelt constant in its handler).
    result = check_stub("pygrid", faults={"unknown-model-500"}, profile="upstream", max_examples=6)
    by_name = {r.check.name: r for r in result.results}
    assert by_name["unknown-model-refused"].status == "passed"
    assert by_name["response-conformance"].status == "passed"
    assert by_name["no-server-errors"].status == "failed"  # robustness: reported, not gating
    assert result.exit_code == 0


def test_a_wrong_prediction_for_the_recorded_syft_pair_is_reported_upstream_too() -> None:
    result = check_stub("pygrid", faults={"wrong-prediction"}, profile="upstream", max_examples=1)
    guard = next(r for r in result.results if r.check.name == "prediction-correct")
    assert guard.status == "failed" and "0.17137116193771362" in guard.violations[0].expected
