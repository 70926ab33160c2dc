"""`aicontract check covalent` and `aicontract serve covalent` as users and CI call them: output and exit status."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from aicontract.contracts import apis
from aicontract.contracts.check import checks
from aicontract.contracts.cli import main

FAST = ["--max-examples", "2", "--timeout", "2", "--stream-timeout", "2", "--poll-deadline", "2", "--workers", "1"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[str]:
    """`aicontract serve covalent ARGS` in a subprocess; yields its URL."""
    extra: list[str] = getattr(request, "param", [])
    port = _free_port()
    args = [sys.executable, "-m", "aicontract.contracts.cli", "serve", "covalent", "--port", str(port), *extra]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/_stub/info", timeout=1, trust_env=False)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_the_embedded_stub_passes_every_check_with_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "covalent", *FAST, "-q"]) == 0
    out = capsys.readouterr().out
    apis.suite("covalent")
    for found in checks("covalent"):
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
