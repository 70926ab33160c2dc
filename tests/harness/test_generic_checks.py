"""The generic checks report what they judge, on any suite that takes them."""

from __future__ import annotations

from tests.conftest import check_stub


def test_every_violation_cites_a_ground_in_the_console_and_the_json_report() -> None:
    from aicontract.contracts import report

    result = check_stub("agentuniverse", {"text-errors"})
    assert "  ground:   " in report.console(result)
    reported = report.as_dict(result)
    assert any(c["violations"] for c in reported["checks"])
    assert all(v["ground"] for c in reported["checks"] for v in c["violations"])
