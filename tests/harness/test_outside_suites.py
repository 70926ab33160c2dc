"""Suites from outside: a module adds checks to a built-in suite, or registers a suite of its own.

Each run is a subprocess, so that what the modules register stays out of this test session's suites.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QUICK = ["--max-examples", "3", "--seed", "1", "--workers", "1", "--timeout", "3"]


def aicontract(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "aicontract.contracts.cli", *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_a_toy_suite_registered_from_a_module_runs_gates_and_reports_like_a_built_in_one(tmp_path: Path) -> None:
    done = aicontract("check", "toy", "--checks", "tests.toy.suite", *QUICK, "--report", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "aicontract · toy · profile documented" in done.stdout
    for name in ("greeting-names-the-caller", "response-conformance", "method-not-allowed", "oversized-body-refused"):
        assert f"PASS  {name} " in done.stdout, name
    assert "invalid-input-rejected" not in done.stdout  # the generic checks it did not take
    report = json.loads((tmp_path / "toy-documented.json").read_text())
    assert {c["name"] for c in report["checks"]} >= {"greeting-names-the-caller"}


def test_a_toy_suite_check_fails_against_its_faulty_stub_with_its_ground(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from aicontract.contracts.suites import REGISTRY\n"
        "from aicontract.contracts import run, Settings\n"
        "from aicontract.contracts.runner import stub_app\n"
        "REGISTRY.load('tests.toy.suite')\n"
        "s = Settings(api='toy', max_examples=3, seed=1)\n"
        "r = run(s, app=stub_app(s, {'wrong-greeting'}))\n"
        "v = next(x for c in r.results if c.check.name == 'greeting-names-the-caller' for x in c.violations)\n"
        "print(r.exit_code, v.ground)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.stdout.strip() == "1 toy.yaml: /greet says hello", done.stderr


def test_a_requirement_the_run_cannot_meet_skips_the_check_and_says_why() -> None:
    done = aicontract("check", "toy", "--checks", "tests.toy.suite", "--name", "x" * 41, *QUICK)
    assert "SKIP  greeting-names-the-caller" in done.stdout and "--name is longer than 40 characters" in done.stdout


def test_a_check_added_to_agentuniverse_from_outside_runs_and_is_listed() -> None:
    listed = aicontract("checks", "agentuniverse")
    assert "shouted-input-echoed" not in listed.stdout
    done = aicontract("check", "agentuniverse", "--checks", "tests.agentuniverse.extra_checks", *QUICK, "-q")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS  shouted-input-echoed " in done.stdout


def test_the_plugin_imports_outside_checks_too(tmp_path: Path) -> None:
    command = [
        *(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rA", "--pyargs", "aicontract.contracts"),
        *("--contract-api", "toy", "--contract-checks", "tests.toy.suite", "--contract-max-examples", "3"),
    ]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300, env=_with_root())
    assert done.returncode == 0, done.stdout[-2000:]
    assert "PASSED test_contracts.py::test_contract[core:greeting-names-the-caller]" in done.stdout


def _with_root() -> dict[str, str]:
    import os

    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_an_installed_entry_point_registers_its_suite_under_its_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from aicontract.contracts import suites
    from aicontract.contracts.suite import Suite

    made = Suite("installed-toy", contract="toy.yaml")

    class EntryPoint:
        name = "installed-toy"

        def load(self) -> Suite:
            return made

    def entry_points(group: str, name: str | None = None) -> list[EntryPoint]:
        assert group == "aicontract.suites"
        return [EntryPoint()] if name in (None, "installed-toy") else []

    monkeypatch.setattr(suites, "entry_points", entry_points)
    registry = suites.Registry()  # a fresh one: this session's suites stay as they are
    assert "installed-toy" in registry.names()
    assert registry.get("installed-toy") is made
