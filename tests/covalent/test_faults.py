"""Every check can fail: each fault switch of the stub is reported by the checks its declaration names."""

from __future__ import annotations

from collections.abc import Mapping

from aicontract.contracts.settings import Bounds
from aicontract.stubs.covalent import FAULTS
from aicontract.stubs.fault import Fault
from tests.conftest import FAST, check_stub
from tests.faultmatrix import fault_matrix

# Shorter waits than tests/conftest.py's: the example's stream takes 40 ms and a deployment is
# CREATING for 0.2 s, so an endless stream or a stuck deployment is known sooner.
QUICK = {
    "bounds": Bounds(timeout=FAST.timeout, stream_seconds=0.3, stream_bytes=FAST.stream_bytes),
    "poll_deadline": 0.6,
}

# Generated cases cost most of a run (a /stream case takes 40 ms): only faults they must catch get many.
FUZZ = frozenset({"response-conformance", "invalid-input-rejected", "no-server-errors"})


def quick(fault: Fault) -> Mapping[str, object]:
    return {**QUICK, "max_examples": 5 if FUZZ & set(fault.caught_by) else 2}


(
    test_every_fault_names_checks_that_exist,
    test_every_check_is_shown_to_fail_by_some_fault,
    test_a_fault_is_reported_by_its_checks_with_operation_request_expectation_and_answer,
) = fault_matrix("covalent", FAULTS, settings=quick)


def test_the_unmodified_stub_honours_its_contract() -> None:
    result = check_stub("covalent", max_examples=5, **QUICK)
    assert [(r.check.name, r.reason) for r in result.results if r.status != "passed"] == []
    assert result.exit_code == 0
