"""Every check can fail: each fault switch of the reference Grid Node is reported by the checks its
declaration names (`caught_by[0]`, then the others it lists), in the profile it declares."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from aicontract.stubs.fault import Fault
from aicontract.stubs.pygrid import FAULTS
from tests.conftest import check_stub
from tests.faultmatrix import fault_matrix

# Generated cases cost most of a run: only faults that the generated cases must catch get many.
FUZZ = frozenset({"response-conformance", "invalid-input-rejected", "no-server-errors", "error-answer-documented"})


def examples(fault: Fault) -> Mapping[str, object]:
    if "linked-sequences" in fault.caught_by:
        return {"max_examples": 40}  # eight generated sequences
    return {"max_examples": 6 if FUZZ & set(fault.caught_by) else 1}


(
    test_every_fault_names_checks_that_exist,
    test_every_check_is_shown_to_fail_by_some_fault,
    test_a_fault_is_reported_by_its_checks_with_operation_request_expectation_and_answer,
) = fault_matrix("pygrid", FAULTS, settings=examples)


def test_there_are_at_least_fifteen_faults() -> None:
    assert len(FAULTS) >= 15


@pytest.mark.parametrize("profile", ["documented", "upstream"])
def test_the_unmodified_stub_honours_its_contract(profile: str) -> None:
    result = check_stub("pygrid", profile=profile, max_examples=6)
    assert [(r.check.name, r.reason) for r in result.results if r.status != "passed"] == []
    assert result.exit_code == 0


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
