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


def test_a_session_that_does_not_use_the_plugin_keeps_pytest_base_url_working(tmp_path: Path) -> None:
    """pytest-base-url (the `test` extra installs it) owns `--base-url`; the plugin shares it, never breaks it."""
    (tmp_path / "test_site.py").write_text("def test_site(base_url):\n    assert base_url == 'http://site.invalid'\n")
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--base-url", "http://site.invalid"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "already used" not in done.stdout + done.stderr


@pytest.mark.parametrize("plugins", [[], ["-p", "no:base_url"]], ids=["with-pytest-base-url", "without"])
def test_the_plugin_takes_its_own_base_url_beside_pytest_base_url_or_without_it(
    tmp_path: Path, plugins: list[str]
) -> None:
    done = run_pytest(
        tmp_path, *plugins, "--contract-api", "agentuniverse", "--contract-base-url", "http://127.0.0.1:9"
    )
    assert done.returncode == 2, done.stdout[-2000:] + done.stderr[-2000:]
    assert "target unreachable: connection refused by 127.0.0.1:9" in done.stdout + done.stderr


def test_without_pytest_base_url_the_plugin_offers_base_url_itself(tmp_path: Path) -> None:
    done = run_pytest(
        tmp_path, "-p", "no:base_url", "--contract-api", "agentuniverse", "--base-url", "http://127.0.0.1:9"
    )
    assert done.returncode == 2 and "connection refused" in done.stdout + done.stderr


def test_a_plugin_usage_error_is_one_line_before_any_request(tmp_path: Path) -> None:
    done = run_pytest(tmp_path, "--contract-api", "agentuniverse", "--contract-workers", "0")
    assert done.returncode == 4 and "aicontract: --workers must be positive" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_the_plugin_selects_checks_as_the_cli_does(tmp_path: Path) -> None:
    done = run_pytest(
        tmp_path,
        *("--contract-api", "agentuniverse", "--contract-only", "sync-*", "--contract-header", "X-Token: t", "-rA"),
        *("--contract-max-examples", "2", "--contract-no-tls-verify", "--contract-max-time", "120"),
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "PASSED test_contracts.py::test_contract[core:sync-run-succeeds]" in done.stdout
    assert "echo-result" not in done.stdout and "2 passed" in done.stdout
