"""`aicontract check covalent` and `aicontract serve covalent` as users and CI call them: output and exit status."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aicontract.contracts.cli import main
from aicontract.contracts.suites import REGISTRY
from tests.conftest import serve_subprocess

FAST = ["--max-examples", "2", "--timeout", "2", "--stream-timeout", "2", "--poll-deadline", "2", "--workers", "1"]


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[str]:
    """`aicontract serve covalent ARGS` in a subprocess; yields its URL."""
    with serve_subprocess("covalent", list(getattr(request, "param", [])), "/_stub/info") as url:
        yield url


def test_the_embedded_stub_passes_every_check_with_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "covalent", *FAST, "-q"]) == 0
    out = capsys.readouterr().out
    for found in REGISTRY.get("covalent").checks():
        assert f"PASS  {found.name} " in out
    assert "0 skipped" in out


@pytest.mark.parametrize("served", [["--api-key", "alpha", "--fault", "wrong-item-join"]], indirect=True)
def test_a_served_faulty_stub_exits_1_and_the_violation_says_what_and_where(
    served: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", "covalent", "--base-url", served, "--api-key", "alpha", *FAST])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  stream-example" in out and "[extended] stream-example — POST /stream" in out
    assert "curl -sS -i -X POST -H 'x-api-key: alpha'" in out and f"{served}/stream" in out
    assert "expected: 200 streaming exactly 'Hello, world!\\nItems: 1 5 foo\\nDone streaming\\n'" in out
    assert "got:      'Hello, world!\\nItems: 1, 5, foo\\nDone streaming\\n'" in out


@pytest.mark.parametrize("served", [["--api-key", "alpha"]], indirect=True)
def test_a_stub_served_with_its_own_key_needs_that_key(served: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "covalent", "--base-url", served, *FAST, "-q"]) == 0
    assert "the stub refuses its default key: pass the key it was served with" in capsys.readouterr().out
    invoke_url = f"{served}/663accb6f7d37dbf2a4687b7"
    args = ["--api-key", "alpha", "--function-id", "663accb6f7d37dbf2a4687b7", "--control-url", served]
    assert main(["check", "covalent", "--base-url", invoke_url, *args, *FAST, "-q"]) == 0
    assert "0 skipped" in capsys.readouterr().out


@pytest.mark.parametrize("served", [["--api-key", "alpha"]], indirect=True)
def test_the_data_plane_is_called_with_the_inference_key_when_one_is_given(
    served: str, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["check", "covalent", "--base-url", served, "--api-key", "alpha", *FAST]
    assert main([*args, "--inference-key", "alpha"]) == 0
    capsys.readouterr()
    assert main([*args, "--inference-key", "not-an-inference-key"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  key-accepted" in out and "-H 'x-api-key: not-an-inference-key'" in out
    assert "PASS  function-record" in out  # the control plane still gets the account key
