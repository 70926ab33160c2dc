"""Servers that drip, hang, never end, lie or hang up: every exchange still ends, within its bound,
as a recorded exchange a violation can show."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from aicontract.contracts.client import RUN_OVER, Bounds, Client
from aicontract.contracts.exchange import Exchange
from aicontract.contracts.violation import Violation

from . import hostile

BOUND = 1.0  # --timeout of these tests
GENEROUS = 15.0  # "it ended": far above the bound, far below "hung"
QUICK = Bounds(timeout=BOUND, stream_seconds=2.0)

pytestmark = pytest.mark.timeout(60)


def _call(behaviour: hostile.Behaviour, operation: str = "POST /service_run", **bounds: float) -> Exchange:
    with hostile.serving(behaviour) as url, Client(url, Bounds(**{**QUICK.__dict__, **bounds})) as client:
        exchange = client.call(operation, json={"service_id": "demo"})
    assert exchange.elapsed < GENEROUS
    return exchange


def _reported(exchange: Exchange) -> str:
    """What a finding about this exchange would say."""
    return Violation.of("any-check", "core", exchange, "an answer", None).render()


def test_a_server_that_drips_one_byte_a_second_is_cut_at_the_timeout() -> None:
    exchange = _call(hostile.drip)
    assert exchange.received is None and exchange.error == "no answer within 1 s (ReadTimeout)"
    assert "no response: no answer within 1 s" in _reported(exchange)


def test_a_body_that_drips_after_prompt_headers_is_cut_at_the_same_timeout() -> None:
    exchange = _call(hostile.drip_body)
    assert exchange.received is None and exchange.error is not None
    assert exchange.error.startswith("the body did not arrive within 1 s (after HTTP 200 and ")


def test_an_endless_event_stream_on_a_plain_call_is_cut_at_the_timeout() -> None:
    exchange = _call(hostile.endless_sse)
    assert exchange.received is None and exchange.error is not None
    assert exchange.error.startswith("the body did not arrive within 1 s (after HTTP 200")


def test_an_endless_event_stream_is_cut_at_the_stream_bound_keeping_what_came() -> None:
    with hostile.serving(hostile.endless_sse) as url, Client(url, QUICK) as client:
        exchange = client.stream("POST /service_run_stream", json={})
    assert exchange.received is not None and not exchange.received.complete
    assert exchange.error == "stream still open after 2 s" and exchange.received.chunks
    assert exchange.elapsed < GENEROUS


def test_a_server_that_accepts_and_never_answers_is_cut_at_the_timeout() -> None:
    exchange = _call(hostile.silent)
    assert exchange.received is None and exchange.error == "no answer within 1 s (ReadTimeout)"


def test_a_server_that_never_reads_a_large_body_is_cut_at_the_timeout_while_sending() -> None:
    with hostile.serving(hostile.silent) as url, Client(url, QUICK) as client:
        exchange = client.call("POST /service_run", content=b"x" * (64 << 20))
    assert exchange.received is None and exchange.error == "no answer within 1 s (WriteTimeout)"
    assert exchange.elapsed < GENEROUS


def test_a_silent_stream_is_cut_at_the_timeout_before_any_header() -> None:
    with hostile.serving(hostile.silent) as url, Client(url, QUICK) as client:
        exchange = client.stream("POST /service_run_stream", json={})
    assert exchange.received is None and exchange.error == "no answer within 1 s (ReadTimeout)"


def test_an_http_1_0_body_without_length_that_never_closes_is_cut_at_the_timeout() -> None:
    exchange = _call(hostile.http10_without_length)
    assert exchange.received is None and exchange.error is not None
    assert exchange.error.startswith("the body did not arrive within 1 s (after HTTP 200 and 12 bytes")


def test_a_64_mb_header_is_refused_long_before_it_ends() -> None:
    exchange = _call(hostile.huge_header)
    assert exchange.received is None and exchange.error is not None
    assert exchange.error.startswith("RemoteProtocolError")


def test_a_redirect_loop_is_not_followed_the_redirect_is_the_answer_judged() -> None:
    exchange = _call(hostile.redirect_loop, "GET /agents")
    assert exchange.status == 302 and exchange.error is None
    assert exchange.received is not None and exchange.received.headers["location"] == "/again"


def test_a_connection_closed_mid_body_is_an_exchange_error_not_an_exception() -> None:
    exchange = _call(hostile.mid_body_close)
    assert exchange.received is None and exchange.error is not None
    assert exchange.error.startswith("RemoteProtocolError")
    assert exchange.error.endswith("(after HTTP 200 and 12 bytes of body)")


def test_a_stream_closed_mid_body_keeps_what_came_and_says_it_broke() -> None:
    with hostile.serving(hostile.mid_body_close) as url, Client(url, QUICK) as client:
        exchange = client.stream("POST /service_run_stream", json={})
    assert exchange.received is not None and not exchange.received.complete
    assert exchange.error is not None and exchange.error.startswith("stream broken: RemoteProtocolError")


def test_the_runs_deadline_cuts_the_exchange_under_way_and_stops_all_sending() -> None:
    with hostile.serving(hostile.silent) as url, Client(url, Bounds(timeout=30), deadline=time.monotonic() + 0.5) as c:
        cut = c.call("GET /agents")
        after = c.call("GET /agents")
        streamed = c.stream("POST /service_run_stream", json={})
    assert cut.received is None and cut.error is not None and cut.error.startswith("cut short: the run's --max-time")
    assert after.error == RUN_OVER and streamed.error == RUN_OVER and c.expired
    assert cut.elapsed < GENEROUS


def test_every_hostile_exchange_reads_as_a_finding_with_a_curl_line() -> None:
    for behaviour in (hostile.drip, hostile.silent, hostile.mid_body_close, hostile.huge_header):
        rendered = _reported(_call(behaviour))
        assert "no response: " in rendered and "request:  curl " in rendered


def _aicontract(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("aicontract")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "aicontract.contracts.cli"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=timeout, check=False)


@pytest.mark.timeout(200)
def test_a_check_against_a_silent_server_ends_at_once_with_exit_2_and_why() -> None:
    with hostile.serving(hostile.silent) as url:
        args = ["--timeout", "1", "--max-examples", "2"]
        done = _aicontract("check", "agentuniverse", "--base-url", url, *args, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "no HTTP answer within 1 s" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.timeout(400)
def test_a_check_against_endless_streams_on_every_route_ends_with_findings() -> None:
    args = ["--timeout", "1", "--stream-timeout", "1", "--max-examples", "2"]
    with hostile.serving(hostile.endless_sse, connections=2000) as url:
        done = _aicontract("check", "agentuniverse", "--base-url", url, *args, timeout=300)
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    assert "contract violated" in done.stdout and "Traceback" not in done.stderr
    assert "\x1b" not in done.stdout
