"""`aicontract check snet` and `aicontract serve snet` as users and CI call them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aicontract.contracts.cli import main
from aicontract.stubs.snet import SEED_CREDENTIALS
from tests.conftest import serve_subprocess
from tests.snet.protos import HERE, RICH

FAST = ["--max-examples", "3", "--timeout", "2", "--workers", "1"]


def test_the_embedded_example_stub_passes_with_its_semantics(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "snet", *FAST, "--semantics", "example", "--heartbeat", "/heartbeat", "-q"]) == 0
    assert "0 failed, 0 errors, 0 skipped" in capsys.readouterr().out


def test_a_richer_proto_is_checked_against_the_stub_serving_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "snet", *FAST, "--proto", str(RICH), "--proto-path", str(HERE), "-q"]) == 0
    assert "PASS  sixty-four-bit-strings" in capsys.readouterr().out


def test_a_served_stub_with_a_fault_is_caught_and_the_caller_s_view_is_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    creds = tmp_path / "creds.json"
    creds.write_text(json.dumps(list(SEED_CREDENTIALS)))
    args = ["--proto", str(RICH), "-I", str(HERE), "--credentials", str(creds), "--fault", "uint64-high-500"]
    with serve_subprocess("snet", args, "/heartbeat") as url:
        code = main(
            [
                "check",
                "snet",
                "--base-url",
                url,
                *FAST,
                "--proto",
                str(RICH),
                "--proto-path",
                str(HERE),
                "--credentials",
                str(creds),
            ]
        )
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  sixty-four-bit-strings" in out
    assert "gRPC Unavailable: upstream http status 500" in out


def test_invalid_credentials_stop_with_the_daemons_start_up_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    creds = tmp_path / "creds.json"
    creds.write_text(json.dumps([{"key": "k", "value": "v", "location": "cookie"}]))
    code = main(["check", "snet", *FAST, "--credentials", str(creds)])
    assert code == 2
    assert "invalid service_credentials: location should be body, header or query" in capsys.readouterr().err


def test_proto2openapi_is_a_subcommand(tmp_path: Path) -> None:
    assert main(["proto2openapi", str(RICH), "-I", str(HERE), "-o", str(tmp_path / "x.yaml")]) == 0


def test_the_pytest_plugin_runs_the_suite_on_a_proto_given_as_an_option(tmp_path: Path) -> None:
    from tests.harness.test_plugin import run_pytest

    done = run_pytest(
        tmp_path,
        "--contract-api",
        "snet",
        "--contract-max-examples",
        "2",
        "--contract-option",
        f"protos={RICH}",
        "--contract-option",
        f"includes={HERE}",
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "passed" in done.stdout


def test_the_embedded_stub_is_judged_on_the_examples_semantics_and_heartbeat_without_options() -> None:
    from tests.conftest import check_stub

    result = check_stub("snet")
    status = {r.check.name: r.status for r in result.results}
    assert status["example-arithmetic"] == status["example-errors-reported"] == "passed"
    assert status["heartbeat-serving"] == "passed"
    generic = {r.check.name: r for r in check_stub("snet", options={"semantics": "generic"}).results}
    assert (
        generic["example-arithmetic"].status == "skipped"
        and "--semantics example" in generic["example-arithmetic"].reason
    )
