"""Every check can fail: each fault switch of the stub is reported by the check that guards it."""

from __future__ import annotations

import pytest

from aicontract.contracts.settings import Bounds
from aicontract.stubs.covalent import FAULTS
from tests.conftest import FAST, check_stub

# Shorter waits than tests/conftest.py's: the example's stream takes 40 ms and a deployment is
# CREATING for 0.2 s, so an endless stream or a stuck deployment is known sooner.
QUICK = {
    "bounds": Bounds(timeout=FAST.timeout, stream_seconds=0.3, stream_bytes=FAST.stream_bytes),
    "poll_deadline": 0.6,
}

# fault -> the check that must report it
CAUGHT_BY = {
    "auth-ignored": "missing-key-refused",
    "wrong-key-accepted": "wrong-key-refused",
    "bearer-auth-only": "key-accepted",
    "override-ignored": "hello-example",
    "wrong-content-type": "plain-answers-json",
    "content-type-required": "json-body-any-content-type",
    "stream-one-chunk": "stream-chunked",
    "endless-stream": "stream-terminates",
    "wrong-item-join": "stream-example",
    "no-done-line": "stream-example",
    "unknown-argument-500": "bad-arguments-no-5xx",
    "mistyped-argument-accepted": "bad-arguments-rejected",
    "malformed-json-500": "bad-arguments-rejected",
    "record-missing-field": "function-record",
    "invoke-url-wrong": "listed-endpoints-served",
    "stuck-creating": "lifecycle-becomes-active",
    "serves-while-creating": "not-active-refused",
    "teardown-ignored": "teardown-stops-serving",
    "dashed-route-missing": "dashed-routes-served",
    "allow-header-wrong": "method-not-allowed",
}
# ... and the other checks it must trip as well (the generated cases meet some faults too)
ALSO_CAUGHT_BY = {
    "wrong-content-type": ("response-conformance",),
    "unknown-argument-500": ("bad-arguments-rejected",),
    "malformed-json-500": ("bad-arguments-no-5xx",),
    "mistyped-argument-accepted": ("invalid-input-rejected",),
    "override-ignored": ("stream-example",),
    "endless-stream": ("no-server-errors",),
}

# Generated cases cost most of a run (a /stream case takes 40 ms): only faults they must catch get many.
FUZZ = frozenset({"response-conformance", "invalid-input-rejected", "no-server-errors"})


# A mistyped argument is one kind of invalid body among many the generator draws: it needs more cases.
MANY = frozenset({"mistyped-argument-accepted"})


def examples(fault: str) -> int:
    if fault in MANY:
        return 30
    return 5 if FUZZ & {CAUGHT_BY[fault], *ALSO_CAUGHT_BY.get(fault, ())} else 2


def test_every_fault_has_a_check_that_catches_it() -> None:
    assert set(CAUGHT_BY) == set(FAULTS)


def test_every_check_is_shown_to_fail_by_some_fault() -> None:
    from aicontract.contracts import apis
    from aicontract.contracts.check import checks

    apis.suite("covalent")
    guarded = set(CAUGHT_BY.values()) | {name for names in ALSO_CAUGHT_BY.values() for name in names}
    assert {c.name for c in checks("covalent")} - guarded == set()


def test_the_unmodified_stub_honours_its_contract() -> None:
    result = check_stub("covalent", max_examples=5, **QUICK)
    assert [(r.check.name, r.reason) for r in result.results if r.status != "passed"] == []
    assert result.exit_code == 0


@pytest.mark.parametrize("fault", sorted(CAUGHT_BY))
def test_a_fault_is_reported_with_operation_request_expectation_and_answer(fault: str) -> None:
    result = check_stub("covalent", faults={fault}, max_examples=examples(fault), **QUICK)
    by_name = {r.check.name: r for r in result.results}
    for also in ALSO_CAUGHT_BY.get(fault, ()):
        assert by_name[also].status == "failed", f"{fault} went unnoticed by {also}"
    guard = by_name[CAUGHT_BY[fault]]
    assert guard.status == "failed", f"{fault} went unnoticed by {guard.check.name}: {guard.reason}"
    violation = guard.violations[0]
    assert violation.operation.split(" ")[0] in {"GET", "POST", "PUT", "DELETE"}
    assert violation.request.startswith("curl ") and "http://127.0.0.1:" in violation.request
    assert violation.expected and violation.actual
    if guard.check.level != "robustness":
        assert result.exit_code == 1
