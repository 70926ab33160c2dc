"""Every check can fail: each fault switch of the stub is reported by the checks its declaration names."""

from __future__ import annotations

import pytest

from aicontract.stubs.agentuniverse import FAULTS
from tests.conftest import check_stub
from tests.faultmatrix import fault_matrix

(
    test_every_fault_names_checks_that_exist,
    test_every_check_is_shown_to_fail_by_some_fault,
    test_a_fault_is_reported_by_its_checks_with_operation_request_expectation_and_answer,
) = fault_matrix("agentuniverse", FAULTS)


@pytest.mark.parametrize("profile", ["documented", "upstream"])
def test_the_unmodified_stub_honours_its_contract(profile: str) -> None:
    result = check_stub("agentuniverse", profile=profile)
    assert [r.check.name for r in result.results if r.status != "passed"] == []
    assert result.exit_code == 0
