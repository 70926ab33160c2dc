"""Under pytest: `--contract-report DIR` writes the three reports, `--contract-baseline FILE` makes known
violations xfail instead of failing, and a stale entry fails its check under `--contract-strict-baseline`."""

from __future__ import annotations

from pathlib import Path

from tests.harness.reports import FAULT, STEM, json_report, served
from tests.harness.test_plugin import run_pytest

QUICK = ("--contract-api", "agentuniverse", "--contract-max-examples", "5", "--contract-seed", "1", "-rA")
KNOWN = 'version = 1\n[[known]]\ncheck = "error-answer-documented"\nreason = "errors are text for now"\n'


def test_the_plugin_writes_the_reports_and_a_baselined_violation_is_an_xfail(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text(KNOWN)
    with served({FAULT}) as url:
        done = run_pytest(
            tmp_path, *QUICK, "--base-url", url, "--contract-report", "out", "--contract-baseline", "b.toml"
        )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "XFAIL test_contracts.py::test_contract[core:error-answer-documented]" in done.stdout
    assert "baselined: errors are text for now" in done.stdout
    data = json_report(tmp_path / "out")
    assert data["baseline"]["file"] == "b.toml" and (tmp_path / "out" / f"{STEM}.junit.xml").is_file()
    assert (tmp_path / "out" / f"{STEM}.html").is_file()


def test_a_stale_entry_fails_its_check_under_strict_baseline(tmp_path: Path) -> None:
    (tmp_path / "b.toml").write_text(KNOWN)
    with served() as url:
        done = run_pytest(
            tmp_path, *QUICK, "--base-url", url, "--contract-baseline", "b.toml", "--contract-strict-baseline"
        )
    assert done.returncode == 1
    assert "FAILED test_contracts.py::test_contract[core:error-answer-documented]" in done.stdout
    assert "stale baseline entry (--contract-strict-baseline): error-answer-documented" in done.stdout
