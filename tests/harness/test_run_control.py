"""Controlling a run: --max-time, --only/--skip, -x, progress, Ctrl-C, usage errors, no pass without evidence."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from aicontract.contracts import cli
from aicontract.contracts.runner import EXITFIRST, NOT_FINISHED, PASSED, SKIPPED, plan, run, unmatched
from aicontract.contracts.settings import Bounds, Settings
from aicontract.contracts.suites import REGISTRY
from tests.conftest import check_stub
from tests.harness import hostile

AICONTRACT = str(Path(sys.executable).with_name("aicontract"))
QUICK = {"max_examples": 2, "poll_deadline": 1.0, "latency_bound": 1.0, "workers": 1}


def _planned(**chosen: Any) -> set[tuple[str, str | None]]:
    settings = Settings(api="agentuniverse", **chosen)
    contract = REGISTRY.get("agentuniverse").load_contract("documented")
    return {(name, part) for _, part, names in plan(settings, contract) for name in names}


def test_only_and_skip_pick_checks_by_name_level_or_operation() -> None:
    assert {name for name, _ in _planned(only=("stream-*",))} == {
        "stream-format",
        "stream-terminates",
        "stream-result",
        "stream-request-id-identifies-run",
    }
    levels = {c.name: c.level for c in REGISTRY.get("agentuniverse").checks()}
    assert all(levels[name] != "robustness" for name, _ in _planned(skip=("robustness",)))
    by_operation = _planned(only=("POST /service_run",))
    assert by_operation and {part for _, part in by_operation} == {"POST /service_run"}
    assert ("no-server-errors", "POST /service_run") not in _planned(only=("POST /service_run",), skip=("no-*",))


def test_a_pattern_that_matches_nothing_is_named() -> None:
    assert unmatched(Settings(api="agentuniverse", only=("stream-*", "nothing-like-it"))) == ["nothing-like-it"]


def test_exitfirst_stops_after_the_first_gating_failure_and_reports_what_ran() -> None:
    result = check_stub("agentuniverse", {"wrong-status"}, exitfirst=True, workers=1, max_examples=2)
    statuses = {r.check.name: (r.status, r.reason) for r in result.results}
    assert statuses["sync-run-succeeds"][0] == "failed"
    assert any(reason == EXITFIRST for _, reason in statuses.values())
    assert result.stopped == EXITFIRST and result.exit_code == 1


def test_max_time_stops_the_run_and_names_every_check_it_did_not_finish() -> None:
    settings = Settings(api="agentuniverse", bounds=Bounds(timeout=30, max_time=1.0), **QUICK)  # type: ignore[arg-type]
    with hostile.serving(hostile.probe_then_silent) as url:
        result = run(settings, url)
    assert result.stopped == NOT_FINISHED
    assert not [r.check.name for r in result.results if r.status == PASSED]
    assert result.unfinished() and all(r.reason == NOT_FINISHED for r in result.unfinished())


def test_a_check_that_judged_nothing_is_skipped_never_passed() -> None:
    bounds = Bounds(timeout=0.5, stream_seconds=0.5, stream_bytes=64 << 10)
    settings = Settings(api="agentuniverse", bounds=bounds, **QUICK)  # type: ignore[arg-type]
    with hostile.serving(hostile.endless_sse) as url:
        result = run(settings, url)
    by_name = {r.check.name: r for r in result.results}
    assert [name for name, r in by_name.items() if r.status == PASSED] == []
    forward = by_name["async-states-move-forward"]
    assert forward.status == SKIPPED and forward.reason.startswith("judged nothing"), forward.reason


def test_headers_reach_the_target_through_a_base_url_with_a_path_prefix() -> None:
    from aicontract.contracts.runner import stub_app
    from aicontract.contracts.settings import Transport
    from aicontract.contracts.target import embedded

    settings = Settings(
        api="agentuniverse",
        transport=Transport(headers=(("X-Gateway-Token", "t0ken"),)),
        bounds=Bounds(timeout=5, stream_seconds=5),
        **QUICK,  # type: ignore[arg-type]
    )
    stub = stub_app(settings)
    seen: list[tuple[str, bytes | None]] = []

    async def gateway(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":  # serves the stub under /api only, as a gateway would
            path = scope["path"]
            seen.append((path, dict(scope["headers"]).get(b"x-gateway-token")))
            inner = path[len("/api") :] if path.startswith("/api/") else "/not-under-the-prefix" + path
            scope = {**scope, "path": inner, "raw_path": inner.encode()}
        await stub(scope, receive, send)

    with embedded(gateway) as url:
        result = run(settings, url + "/api")
    assert result.exit_code == 0, [(r.check.name, r.status) for r in result.results if r.status != PASSED]
    assert seen and all(path.startswith("/api") and token == b"t0ken" for path, token in seen)


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "agentuniverse", "--workers", "0"],
        ["check", "agentuniverse", "--latency-bound", "-1"],
        ["check", "agentuniverse", "--stream-max-bytes", "-1"],
        ["check", "agentuniverse", "--timeout", "0"],
        ["check", "agentuniverse", "--max-examples", "0"],
        ["check", "agentuniverse", "--max-time", "0"],
        ["check", "agentuniverse", "--only", "no-such-check"],
        ["check", "agentuniverse", "-H", "no colon"],
        ["check", "agentuniverse", "--ca-bundle", "/no/such/bundle.pem"],
        ["check", "agentuniverse", "--level", "bogus"],
        ["serve", "agentuniverse", "--port", "99999"],
    ],
)
def test_a_usage_error_is_one_line_and_exit_2_before_any_request(argv: list[str], capsys: Any) -> None:
    try:
        code = cli.main(argv)
    except SystemExit as exc:
        code = exc.code  # type: ignore[assignment]
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err


def test_a_report_path_that_is_a_file_fails_at_once(tmp_path: Path, capsys: Any) -> None:
    taken = tmp_path / "report"
    taken.write_text("")
    assert cli.main(["check", "agentuniverse", "--report", str(taken)]) == 2
    assert "is not a directory" in capsys.readouterr().err


def test_version_comes_from_the_package_metadata(capsys: Any) -> None:
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exited:
        cli.main(["--version"])
    assert exited.value.code == 0 and capsys.readouterr().out.strip() == f"aicontract {version('aicontract')}"


def _check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [AICONTRACT, "check", "agentuniverse", "--max-examples", "2", "--workers", "1", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def test_progress_is_plain_timestamped_lines_without_a_terminal() -> None:
    done = _check("--only", "sync-*", env={"CI": "true"})
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0][9:].startswith("aicontract · agentuniverse · profile documented") and "checks" in lines[0]
    assert any(line[2] == ":" and " PASS " in line and "sync-run-succeeds" in line for line in lines[1:]), lines
    assert "\x1b" not in done.stderr and "contract holds" in done.stdout


def test_quiet_shows_no_progress() -> None:
    done = _check("--only", "sync-*", "-q")
    assert done.returncode == 0 and done.stderr == ""


def test_ctrl_c_stops_the_run_prints_the_partial_summary_and_exits_130() -> None:
    with hostile.serving(hostile.probe_then_silent) as url:
        command = [AICONTRACT, "check", "agentuniverse", "--base-url", url, "--timeout", "30", "--workers", "2"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: queue.Queue[str] = queue.Queue()
        assert process.stderr is not None
        reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True)  # type: ignore[union-attr]
        reader.start()
        seen = []
        try:
            while not any("waiting up to 30 s for" in line for line in seen):
                seen.append(lines.get(timeout=30))  # the notice of a slow answer comes after a couple of seconds
            process.send_signal(signal.SIGINT)
            out, _ = process.communicate(timeout=60)
        finally:
            process.kill()
        reader.join(timeout=5)
        err = "".join(seen) + "".join(iter_queue(lines))
    assert process.returncode == 130, (out, err)
    assert "not finished: interrupted" in out and "stopped early" in out
    assert "Traceback" not in out + err


def iter_queue(lines: queue.Queue[str]) -> list[str]:
    found = []
    while not lines.empty():
        found.append(lines.get_nowait())
    return found


def test_run_py_passes_a_command_s_exit_status_through_unchanged() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bootstrap", Path(__file__).parents[2] / "run.py")
    assert spec is not None and spec.loader is not None
    bootstrap = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bootstrap)
    for code in (0, 1, 2, 130):
        assert bootstrap._direct([sys.executable, "-c", f"raise SystemExit({code})"], dict(os.environ)) == code


def _result(name: str, status: str) -> Any:
    from aicontract.contracts.check import Check
    from aicontract.contracts.runner import CheckResult

    return CheckResult(Check(name, "core", "a check", "a ground"), status=status, requests=3)


def test_on_a_terminal_progress_is_one_status_line_rewritten_in_place() -> None:
    import io

    from aicontract.contracts.progress import Progress

    shown = io.StringIO()
    progress = Progress(shown, {"a": 2, "b": 1}, "toy", "documented", "http://x", live=True)
    progress.header()
    progress.finished({"a": _result("a", "passed")})  # one of its two parts: not finished yet
    progress.finished({"b": _result("b", "failed")})
    progress.finished({"a": _result("a", "passed")})
    progress.close()
    text = shown.getvalue()
    assert "\r\x1b[K[1/2] FAIL  core       b" in text and "\r\x1b[K[2/2] PASS  core       a" in text
    assert text.count("\n") == 1  # the header alone is a line of its own


def test_a_slow_answer_is_announced_once_with_its_bound() -> None:
    import time
    from types import SimpleNamespace

    from aicontract.contracts.progress import watching

    heard: list[tuple[str, float]] = []
    announced = threading.Event()
    client = SimpleNamespace(current=("POST /service_run", time.monotonic(), 10.0))

    def waiting(operation: str, bound: float) -> None:
        heard.append((operation, bound))
        announced.set()

    with watching(client, waiting, after=0.0):  # type: ignore[arg-type]
        assert announced.wait(10)
        time.sleep(0.6)  # more looks at the same exchange: no second notice
    assert heard == [("POST /service_run", 10.0)]
