"""`aicontract check` and `aicontract serve` as users and CI call them: output and exit status."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aicontract.contracts.cli import main
from tests.conftest import free_port, serve_subprocess


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[str]:
    """`aicontract serve agentuniverse` in a subprocess, with the faults the test names."""
    with serve_subprocess(
        "agentuniverse",
        [arg for fault in getattr(request, "param", []) for arg in ("--fault", fault)],
        "/service_run_result?request_id=x",
    ) as url:
        yield url


def test_the_embedded_stub_passes_with_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "agentuniverse", "--max-examples", "5", "-q"]) == 0
    out = capsys.readouterr().out
    assert "profile documented" in out and "contract holds" in out
    assert "PASS  echo-result" in out


def test_a_live_server_that_honours_the_contract_passes(served: str) -> None:
    assert main(["check", "agentuniverse", "--base-url", served, "--max-examples", "5", "-q"]) == 0


@pytest.mark.parametrize("served", [["wrong-result"]], indirect=True)
def test_a_violation_exits_1_and_names_operation_request_expectation(
    served: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["check", "agentuniverse", "--base-url", served, "--max-examples", "5", "--report", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  echo-result" in out
    assert "[extended] echo-result — POST /service_run" in out
    assert "curl -sS -i -X POST -H 'Content-Type: application/json'" in out and served in out
    assert "expected: result 'Your input is Hello!.'" in out
    assert "got:      result 'Your input was Hello!.'" in out
    report = json.loads((tmp_path / "agentuniverse-documented.json").read_text())
    echo = next(c for c in report["checks"] if c["name"] == "echo-result")
    assert echo["status"] == "failed" and echo["violations"][0]["operation"] == "POST /service_run"
    assert (tmp_path / "agentuniverse-documented.junit.xml").read_text().count("<failure") >= 1
    assert "echo-result" in (tmp_path / "agentuniverse-documented.html").read_text()


@pytest.mark.parametrize("served", [["hang"]], indirect=True)
def test_a_hanging_server_is_a_violation_within_the_bound(served: str, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    code = main(["check", "agentuniverse", "--base-url", served, "--max-examples", "3", "--timeout", "0.5"])
    assert code == 1
    assert time.monotonic() - started < 60
    assert "no answer within 0.5 s" in capsys.readouterr().out


def test_an_unreachable_target_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "agentuniverse", "--base-url", f"http://127.0.0.1:{free_port()}"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.startswith("aicontract: target unreachable: connection refused by 127.0.0.1")
    assert "\n" not in err and "Traceback" not in err


def test_usage_errors_exit_2() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "nosuchapi"])
    assert exc.value.code == 2
    assert main(["check", "agentuniverse", "--profile", "nosuchprofile"]) == 2


def test_the_levels_gate_the_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    # A robustness finding (a 500 on a malformed body) fails the run only when the gate includes it.
    from tests.conftest import check_stub

    assert check_stub("agentuniverse", {"error-on-malformed-body"}, gate="core").exit_code == 1  # core rejects it too
    result = check_stub("agentuniverse", {"error-on-malformed-body"}, gate="robustness")
    assert {r.check.name for r in result.gated_failures()} >= {"no-server-errors"}
