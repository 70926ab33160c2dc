"""The fault matrix of an API, generated from its stub's `FAULTS`: every check can fail, every fault is caught.

In an API's test module:

    from aicontract.stubs.covalent import FAULTS
    from tests.faultmatrix import fault_matrix

    (
        test_every_fault_names_checks_that_exist,
        test_every_check_is_shown_to_fail_by_some_fault,
        test_a_fault_is_reported_by_its_checks_with_operation_request_expectation_and_answer,
    ) = fault_matrix("covalent", FAULTS, settings=lambda fault: {"max_examples": 2})

`settings(fault)` gives `check_stub` overrides for the run with that fault on (quicker bounds,
fewer examples); the run uses the fault's own profile.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import NamedTuple

import pytest

from aicontract.stubs.fault import Fault
from tests.conftest import check_stub

Settings = Callable[[Fault], Mapping[str, object]]
METHODS = frozenset({"GET", "POST", "PUT", "DELETE", "PATCH"})


class FaultMatrix(NamedTuple):
    every_fault_names_checks_that_exist: Callable[[], None]
    every_check_is_shown_to_fail: Callable[[], None]
    a_fault_is_reported_by_its_checks: Callable[[str], None]


def check_names(api: str) -> set[str]:
    from aicontract.contracts.suites import REGISTRY

    return {c.name for c in REGISTRY.get(api).checks()}


def fault_matrix(api: str, faults: Mapping[str, Fault], *, settings: Settings = lambda fault: {}) -> FaultMatrix:
    def every_fault_names_checks_that_exist() -> None:
        known = check_names(api)
        unknown = {name: [c for c in f.caught_by if c not in known] for name, f in faults.items()}
        assert {name: checks for name, checks in unknown.items() if checks} == {}

    def every_check_is_shown_to_fail() -> None:
        guarded = {check for f in faults.values() for check in f.caught_by}
        assert check_names(api) - guarded == set()

    @pytest.mark.parametrize("fault", sorted(faults))
    def a_fault_is_reported_by_its_checks(fault: str) -> None:
        declared = faults[fault]
        result = check_stub(api, {fault}, profile=declared.profile, **settings(declared))
        by_name = {r.check.name: r for r in result.results}
        for also in declared.caught_by[1:]:
            assert by_name[also].status == "failed", f"{fault} went unnoticed by {also}: {by_name[also].reason}"
        guard = by_name[declared.caught_by[0]]
        assert guard.status == "failed", f"{fault} went unnoticed by {guard.check.name}: {guard.reason}"
        violation = guard.violations[0]
        assert violation.operation.split(" ")[0] in METHODS
        assert "curl " in violation.request and "http://127.0.0.1:" in violation.request
        assert violation.expected and violation.actual
        if guard.check.level != "robustness":
            assert result.exit_code == 1

    return FaultMatrix(
        every_fault_names_checks_that_exist, every_check_is_shown_to_fail, a_fault_is_reported_by_its_checks
    )
