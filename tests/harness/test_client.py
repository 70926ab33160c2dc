"""The harness's HTTP client: recorded exchanges, curl lines, and bounds on every wait."""

from __future__ import annotations

import shlex

import httpx
import respx

from aicontract.contracts.client import STALLS_BEFORE_GIVING_UP, Bounds, Client
from aicontract.contracts.exchange import Sent

URL = "http://127.0.0.1:9"


def test_a_curl_line_reproduces_method_headers_body_and_url() -> None:
    sent = Sent("POST", URL + "/run?x=1", {"Content-Type": "application/json"}, b'{"a": "it\'s"}')
    assert shlex.split(sent.curl()) == [
        "curl", "-sS", "-i", "-X", "POST", "-H", "Content-Type: application/json",
        "--data-binary", '{"a": "it\'s"}', URL + "/run?x=1",
    ]  # fmt: skip


def test_a_body_holding_a_nul_is_rebuilt_byte_for_byte_by_printf() -> None:
    line = Sent("POST", URL + "/run", {}, b"\xff\x00").curl()
    assert line.startswith("printf '\\377\\000' | curl ") and line.endswith("--data-binary @- " + URL + "/run")


def test_a_body_that_is_not_text_travels_ansi_c_quoted() -> None:
    line = Sent("POST", URL + "/run", {}, b"\xff\x1b'").curl()
    assert "--data-binary $'\\xff\\x1b\\'' " in line


@respx.mock
def test_an_exchange_records_what_was_sent_and_what_came_back() -> None:
    respx.post(URL + "/service_run").mock(return_value=httpx.Response(201, json={"ok": True}))
    with Client(URL, Bounds()) as client:
        exchange = client.call("POST /service_run", json={"a": 1}, params={"q": "v"})
    assert exchange.sent.url == URL + "/service_run?q=v" and exchange.sent.body == b'{"a": 1}'
    assert exchange.received is not None and exchange.received.status == 201
    assert exchange.json() == {"ok": True}
    assert exchange.outcome().startswith("HTTP 201 application/json")


@respx.mock
def test_a_timeout_is_an_exchange_without_response_not_an_exception() -> None:
    respx.get(URL + "/slow").mock(side_effect=httpx.ReadTimeout("slow"))
    with Client(URL, Bounds(timeout=0.5)) as client:
        exchange = client.call("GET /slow")
    assert exchange.received is None and exchange.error == "no answer within 0.5 s (ReadTimeout)"


@respx.mock
def test_an_operation_that_keeps_timing_out_is_not_waited_on_again() -> None:
    route = respx.get(URL + "/slow").mock(side_effect=httpx.ReadTimeout("slow"))
    with Client(URL, Bounds(timeout=0.5)) as client:
        errors = [client.call("GET /slow").error for _ in range(STALLS_BEFORE_GIVING_UP + 2)]
    assert route.call_count == STALLS_BEFORE_GIVING_UP
    assert errors[-1] is not None and errors[-1].startswith("not sent: GET /slow hit a time bound")


@respx.mock
def test_a_stream_larger_than_its_byte_bound_is_cut_and_reported() -> None:
    chunks = [b"data: x\n\n"] * 100
    respx.post(URL + "/stream").mock(return_value=httpx.Response(200, stream=httpx.ByteStream(b"".join(chunks))))
    with Client(URL, Bounds(stream_bytes=64)) as client:
        exchange = client.stream("POST /stream")
    assert exchange.received is not None and not exchange.received.complete
    assert exchange.error == "stream exceeded 64 bytes"


def test_a_large_body_travels_compressed_and_the_line_rebuilds_it_exactly() -> None:
    import subprocess

    body = b'{"input": "' + b"x" * 100_000 + b'"}'
    line = Sent("POST", URL + "/run", {}, body).curl()
    assert len(line) < 2_000
    producer = line.split(" | curl ", 1)[0]
    rebuilt = subprocess.run(["bash", "-c", producer], capture_output=True, timeout=30, check=True).stdout
    assert rebuilt == body


def test_a_body_sent_without_content_type_is_reproduced_without_one() -> None:
    line = Sent("POST", URL + "/hello", {"x-api-key": "k"}, b'{"number": 1867}').curl()
    assert shlex.split(line)[5:9] == ["-H", "x-api-key: k", "-H", "Content-Type:"]
