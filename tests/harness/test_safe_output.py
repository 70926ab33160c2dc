"""Whatever a server or a generator puts in a finding, the terminal, the reports and the curl
lines stay safe: no raw control byte shown, XML well-formed, a curl line that sends the same bytes."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from aicontract.contracts import report
from aicontract.contracts.check import Check
from aicontract.contracts.exchange import Sent
from aicontract.contracts.runner import ERROR, FAILED, SKIPPED, CheckResult, RunResult
from aicontract.contracts.violation import Violation
from aicontract.contracts.visible import visible

C0 = "".join(map(chr, range(0x20)))
OTHERS = "\x7f\x85\x9b\u202e\u2028\ud800\ufffe\uffff"  # DEL, C1, a bidi override, a separator, a surrogate...
HOSTILE = C0 + "[2J" + OTHERS
SHOWN_RAW = {"\n"}  # the only control character a rendering holds: between its own lines


def _raw_controls(text: str) -> set[str]:
    return {c for c in text if (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in OTHERS) and c not in SHOWN_RAW}


def test_every_control_character_is_shown_as_a_visible_escape() -> None:
    shown = visible(HOSTILE)
    assert not _raw_controls(shown) and "\n" not in shown
    assert shown.startswith("\\x00\\x01") and "\\x1b" in shown and "\\n" in shown and "\\u202e" in shown
    assert visible('plain text, é 日本 {"a": 1}') == 'plain text, é 日本 {"a": 1}'


def _violation(text: str = HOSTILE) -> Violation:
    sent = Sent("POST", "http://127.0.0.1:9/run", {"x-odd": "a\x1bb"}, text.encode("utf-8", "surrogatepass"))
    return Violation("c", "core", "POST /run", sent.curl(), f"e{text}", f"a{text}", f"r{text}", ground=f"g{text}")


def test_a_rendered_finding_shows_every_field_on_one_line_with_no_raw_control_byte() -> None:
    rendered = _violation().render()
    assert not _raw_controls(rendered)
    labels = [line.split(":", 1)[0].strip() for line in rendered.splitlines()[1:]]
    assert labels == ["expected", "got", "response", "request", "ground"]


def _run(text: str = HOSTILE) -> RunResult:
    def check(name: str) -> Check:
        return Check(name, "core", "a check", "a statement")

    failed = CheckResult(check("failing"), status=FAILED, violations=[_violation(text)])
    errored = CheckResult(check("erring"), status=ERROR, reason=f"KeyError: {text!s}")
    skipped = CheckResult(check("skipping"), status=SKIPPED, reason=f"no {text}")
    return RunResult("agentuniverse", "documented", f"http://t/{text}", "extended", [failed, errored, skipped])


def test_the_console_report_holds_no_raw_control_byte_from_a_finding() -> None:
    assert not _raw_controls(report.console(_run()))


def test_the_junit_report_of_findings_holding_every_c0_byte_is_well_formed_xml() -> None:
    suite = ET.fromstring(report.junit(_run()))
    failure = suite.find("testsuite/testcase[@name='failing']/failure")
    assert failure is not None and failure.text is not None
    assert "\\x00\\x01\\x02" in failure.text and "\\x1b" in failure.text
    assert failure.get("message", "").startswith("e\\x00\\x01")
    error = suite.find("testsuite/testcase[@name='erring']/error")
    assert error is not None and "\\x1f" in error.get("message", "")


def test_every_report_file_is_written_and_reads_back_despite_a_lone_surrogate(tmp_path: Path) -> None:
    paths = report.write(_run(), tmp_path)
    data = json.loads(next(p for p in paths if p.suffix == ".json").read_bytes())
    assert data["checks"][0]["violations"][0]["expected"] == f"e{HOSTILE}"
    ET.fromstring(next(p for p in paths if p.name.endswith(".junit.xml")).read_bytes())
    assert "\\x1b" in next(p for p in paths if p.suffix == ".html").read_text()


BODIES = {
    "every byte": bytes(range(256)),
    "every byte but NUL": bytes(range(1, 256)),
    "control bytes in UTF-8 text": "a\x1b[2J\r\n\t'\"\\$`!*é\u202e".encode(),
    "a lone surrogate escape": b'{"input": "\\ud800"}',
    "a leading at-sign": b"@/etc/passwd",
    "pretty JSON": b'{\n  "a": "it\'s"\n}\n',
    "plain text": "日本 é".encode(),
    "empty": b"",
    "large and random": random.Random(9).randbytes(20_000),
}
HEADERS = {"x-api-key": "k", "x-odd": "a\x1bb\x7fé\u202e'\"$`", "x-quote": "it's \\ $HOME"}


@pytest.fixture(scope="module")
def fake_curl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A `curl` that reports its arguments and stdin, as bytes: the line's reconstruction, judged
    without curl or a network."""
    folder = tmp_path_factory.mktemp("bin")
    script = folder / "curl"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        "args = [os.fsencode(a).hex() for a in sys.argv[1:]]\n"
        "stdin = sys.stdin.buffer.read().hex() if '@-' in sys.argv else ''\n"
        "print(json.dumps({'args': args, 'stdin': stdin}))\n"
    )
    script.chmod(0o755)
    return folder


def _through_bash(line: str, path: Path | None = None) -> bytes:
    env = {**os.environ, "PATH": f"{path}{os.pathsep}{os.environ['PATH']}"} if path else None
    done = subprocess.run(["bash", "-c", line], capture_output=True, timeout=30, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("name", BODIES)
def test_a_curl_line_rebuilds_any_body_and_odd_header_byte_for_byte_in_bash(name: str, fake_curl: Path) -> None:
    body = BODIES[name]
    line = Sent("POST", "http://127.0.0.1:9/run?q=ü", HEADERS, body).curl()
    assert line.isprintable() and not _raw_controls(line)
    seen = json.loads(_through_bash(line, fake_curl))
    args = [bytes.fromhex(a) for a in seen["args"]]
    sent = args[args.index(b"--data-binary") + 1]
    assert (bytes.fromhex(seen["stdin"]) if sent == b"@-" else sent) == body
    headers = [args[i + 1] for i, a in enumerate(args) if a == b"-H"]
    assert headers[:3] == [f"{n}: {v}".encode() for n, v in HEADERS.items()]
    assert args[-1] == "http://127.0.0.1:9/run?q=ü".encode()


@contextmanager
def _echo_server() -> Iterator[str]:
    class Echo(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            data = self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(200)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.mark.skipif(shutil.which("curl") is None, reason="no curl: the bash reconstruction test stands in")
def test_a_curl_line_sends_every_byte_to_a_real_server_as_recorded() -> None:
    with _echo_server() as url:
        for body in (bytes(range(256)), bytes(range(1, 256)), BODIES["control bytes in UTF-8 text"]):
            answer = _through_bash(Sent("POST", url + "/echo", HEADERS, body).curl() + " --max-time 10")
            assert answer.split(b"\r\n\r\n", 1)[1] == body
