"""The contract suite as pytest items: collected by `pytest --pyargs aicontract.contracts --contract-api API`."""

from __future__ import annotations

from typing import Any

import pytest

from .plugin import contract_items, judge


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "contract_check" in metafunc.fixturenames:
        items = contract_items(metafunc.config)
        ids = [f"{c.level}:{c.name}" for c in items]
        metafunc.parametrize("contract_check", items, ids=ids)


def test_contract(contract_session: Any, contract_check: Any) -> None:
    judge(contract_session, contract_check)
