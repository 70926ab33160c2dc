"""Every violation cites its ground: every check declares one, and a finding renders and reports it."""

from __future__ import annotations

import pytest

from aicontract.contracts.suites import REGISTRY
from aicontract.contracts.violation import Violation


@pytest.mark.parametrize("api", ["agentuniverse", "covalent", "pygrid"])
def test_every_check_declares_the_statement_it_rests_on(api: str) -> None:
    # The core's default ("this check's statement: ...") is no ground: each check names its own.
    found = REGISTRY.get(api).checks()
    assert [c.name for c in found if not c.ground.strip() or c.ground.startswith("this check's statement")] == []


def test_a_violation_renders_and_reports_its_ground() -> None:
    found = Violation("echo-result", "extended", "POST /x", "curl x", "a", "b", "b", ground='seed 001: "Your input is"')
    assert '  ground:   seed 001: "Your input is"' in found.render()
    assert found.as_dict()["ground"] == 'seed 001: "Your input is"'
