"""The pytest plugin runs the same suites as the CLI, one item per check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.agentuniverse.test_cli import served  # noqa: F401  (a fixture: a stub served in a subprocess)


def run_pytest(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "--pyargs",
        "aicontract.contracts",
        *args,
    ]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)


def test_each_check_is_an_item_and_the_embedded_stub_passes(tmp_path: Path) -> None:
    done = run_pytest(tmp_path, "--contract-api", "agentuniverse", "--contract-max-examples", "5", "-rA")
    assert done.returncode == 0, done.stdout[-2000:]
    assert "PASSED test_contracts.py::test_contract[extended:echo-result]" in done.stdout
    assert "PASSED test_contracts.py::test_contract[core:response-conformance]" in done.stdout


def test_without_an_api_the_suite_collects_nothing_to_run(tmp_path: Path) -> None:
    done = run_pytest(tmp_path)
    assert "1 skipped" in done.stdout  # an empty parametrisation: nothing was asked for


@pytest.mark.parametrize("served", [["wrong-result"]], indirect=True)
def test_a_violation_fails_its_item_with_the_curl_line(tmp_path: Path, served: str) -> None:  # noqa: F811
    done = run_pytest(tmp_path, "--contract-api", "agentuniverse", "--base-url", served, "--contract-max-examples", "5")
    assert done.returncode == 1
    assert "FAILED test_contracts.py::test_contract[extended:echo-result]" in done.stdout
    assert "curl -sS -i -X POST" in done.stdout and "got:      result 'Your input was Hello!.'" in done.stdout


def test_the_plugin_takes_the_cli_options_and_each_suites_own(tmp_path: Path) -> None:
    done = run_pytest(
        tmp_path,
        *("--contract-api", "agentuniverse", "--contract-max-examples", "3", "--contract-seed", "7"),
        *("--contract-workers", "1", "--contract-timeout", "5", "--contract-service-id", "another_service", "-rA"),
    )
    assert "SKIPPED" in done.stdout and "another --service-id was given" in done.stdout, done.stdout[-2000:]
