"""What the daemon makes of an answer, and what its caller would see."""

from __future__ import annotations

import gzip

import pytest

from aicontract.contracts.exchange import Exchange, Received, Sent
from aicontract.contracts.snetd.answer import ParseError, parse
from aicontract.contracts.snetd.protos import Catalog, compile_protos
from aicontract.contracts.snetd.redirects import follow, next_request
from aicontract.contracts.snetd.request import OLDER
from aicontract.contracts.snetd.verdict import FIXES, INTERNAL, JSON_TO_PROTO, UNAVAILABLE, heartbeat, judge
from tests.snet.protos import EXAMPLE, HERE, RICH

SENT = Sent("POST", "http://127.0.0.1:9/calculate", {"Content-Type": "application/json"}, b"{}")


@pytest.fixture(scope="module")
def example() -> Catalog:
    return compile_protos([EXAMPLE])


@pytest.fixture(scope="module")
def rich() -> Catalog:
    return compile_protos([RICH], [HERE])


def answered(status: int, body: bytes, headers: dict[str, str] | None = None, elapsed: float = 0.01) -> Exchange:
    return Exchange("POST /calculate", SENT, Received(status, headers or {}, body), None, elapsed)


@pytest.mark.parametrize(
    "body",
    [
        b'{"status":"ok","result":"simple_result"}',
        b"{}",
        b'{"status":null,"extra":[1,{"x":2}],"result":"r"}',
        b'  {"status": "ok"}\n',
    ],
)
def test_any_2xx_with_a_readable_body_is_a_reply(example: Catalog, body: bytes) -> None:
    assert judge(answered(200, body), example.message("service.CommonOutput")).ok
    assert judge(answered(201, body, {"content-type": "text/html"}), example.message("service.CommonOutput")).ok


@pytest.mark.parametrize(
    "body",
    [b"", b"not json", b"[]", b'{"status":true}', b'{"status":1}', b'{"status":"a","status":"b"}', b"{} {}", b"null"],
)
def test_an_unreadable_2xx_body_is_a_json_to_proto_error(example: Catalog, body: bytes) -> None:
    verdict = judge(answered(200, body), example.message("service.CommonOutput"))
    assert verdict.code == INTERNAL and verdict.message.startswith(JSON_TO_PROTO + "proto: ")
    assert verdict.full_message().endswith(FIXES + "3")


def test_a_non_2xx_is_unavailable_with_the_whole_body(example: Catalog) -> None:
    verdict = judge(answered(500, b'{"error":"boom"}'), example.message("service.CommonOutput"))
    assert (verdict.code, verdict.message) == (UNAVAILABLE, 'upstream http status 500: {"error":"boom"}')
    assert "gRPC Unavailable: upstream http status 500" in verdict.caller_sees()


def test_older_daemons_ignore_the_status(example: Catalog) -> None:
    output = example.message("service.CommonOutput")
    assert judge(answered(500, b'{"error":"x"}'), output, daemon=OLDER).ok
    assert judge(answered(500, b"<html>"), output, daemon=OLDER).code == INTERNAL


def test_an_answer_slower_than_the_service_timeout_is_a_deadline(example: Catalog) -> None:
    verdict = judge(answered(200, b"{}", elapsed=2.5), example.message("service.CommonOutput"), service_timeout=2)
    assert verdict.code == INTERNAL and "context deadline exceeded" in verdict.message
    assert judge(answered(200, b"{}", elapsed=2.5), example.message("service.CommonOutput"), daemon=OLDER).ok


def test_a_gzip_answer_is_read_decompressed(example: Catalog) -> None:
    zipped = gzip.compress(b'{"status":"ok"}')
    assert judge(answered(200, zipped, {"content-encoding": "gzip"}), example.message("service.CommonOutput")).ok


@pytest.mark.parametrize(
    "body",
    [
        b'{"totalUnits": 18446744073709551615, "order_id": "x"}',
        b'{"total_units": "18446744073709551615", "state": "SHIPPED"}',
        b'{"total_units": 1e3, "state": 2, "notes": {"a": "b"}}',
        b'{"state": "NO_SUCH_STATE", "at": "2024-01-02T03:04:05.1+01:00"}',
        b'{"total": {"units": "-5", "nanos": -3}, "lines": [{"quantity": "7"}], "lines": null}',
    ],
)
def test_the_parser_is_as_lenient_as_protojson(rich: Catalog, body: bytes) -> None:
    if body.count(b'"lines"') == 2:
        with pytest.raises(ParseError, match="duplicate"):
            parse(body, rich.message("rich.v1.Receipt"))
        return
    parse(body, rich.message("rich.v1.Receipt"))


@pytest.mark.parametrize(
    "body",
    [
        b'{"total_units": 18446744073709551616}',
        b'{"total_units": -1}',
        b'{"total_units": 1.5}',
        b'{"total_units": " 5"}',
        b'{"at": "yesterday"}',
        b'{"lines": [null]}',
        b'{"lines": {}}',
        b'{"notes": {"a": 1}}',
        b'{"order_id": "a", "orderId": "b"}',
    ],
)
def test_the_parser_refuses_what_protojson_refuses(rich: Catalog, body: bytes) -> None:
    with pytest.raises(ParseError):
        parse(body, rich.message("rich.v1.Receipt"))


def test_two_members_of_one_oneof_are_refused(rich: Catalog) -> None:
    with pytest.raises(ParseError, match="oneof"):
        parse(b'{"card": "x", "points": "3"}', rich.message("rich.v1.Order"))
    parse(b'{"card": "x", "points": null}', rich.message("rich.v1.Order"))


def test_redirects_are_followed_as_gos_client_does() -> None:
    moved = Exchange("POST /calculate", SENT, Received(307, {"location": "/v2/calculate"}, b""))
    again = next_request(moved)
    assert again is not None and (again.method, again.url, again.body) == (
        "POST",
        "http://127.0.0.1:9/v2/calculate",
        b"{}",
    )
    seen = Exchange("POST /calculate", SENT, Received(303, {"location": "http://other:1/x"}, b""))
    get = next_request(seen)
    assert get is not None and (get.method, get.body) == ("GET", None)
    loop = Exchange("POST /calculate", SENT, Received(302, {"location": "/calculate"}, b""))
    final, hops = follow(loop, lambda sent: Exchange("POST /calculate", sent, loop.received))
    assert final.error == "stopped after 10 redirects" and len(hops) == 11


def test_the_heartbeat_must_be_200_with_a_body() -> None:
    assert heartbeat(answered(200, b"ok")) is None
    assert heartbeat(answered(200, b"")) is not None
    assert heartbeat(answered(204, b"")) is not None


def test_a_zero_service_timeout_leaves_the_daemon_one_second(example: Catalog) -> None:
    output = example.message("service.CommonOutput")
    assert judge(answered(200, b"{}", elapsed=0.5), output, service_timeout=0).ok
    assert not judge(answered(200, b"{}", elapsed=1.5), output, service_timeout=0).ok
