"""The shared body reader: a byte cap on every request, and JSON bounded in depth, numbers and text."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from aicontract.stubs.app import Errors, stub_app
from aicontract.stubs.body import MAX_DEPTH, MAX_DIGITS, parse_json, read_body
from aicontract.stubs.refusal import Refusal


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_json_up_to_the_depth_bound_parses_and_one_more_level_is_refused() -> None:
    assert parse_json(nested(MAX_DEPTH)) is not None
    with pytest.raises(Refusal) as refused:
        parse_json(nested(MAX_DEPTH + 1))
    assert refused.value.status == 400 and "nested deeper" in refused.value.message


def test_ints_up_to_the_digit_bound_parse_and_longer_ones_are_refused() -> None:
    assert parse_json(b"9" * MAX_DIGITS) == int("9" * MAX_DIGITS)
    with pytest.raises(Refusal):
        parse_json(b"9" * (MAX_DIGITS + 1))


def test_a_surrogate_pair_is_text_but_a_lone_surrogate_is_refused() -> None:
    assert parse_json(b'"\\ud83d\\ude00"') == "\U0001f600"
    for lone in (b'"\\ud83d"', b'"\\ude00x"', b'{"\\ud800": 1}'):
        with pytest.raises(Refusal):
            parse_json(lone)


def test_numbers_beyond_a_double_and_nan_are_refused() -> None:
    for bad in (b"1e999999", b"-1e400", b"NaN", b"-Infinity"):
        with pytest.raises(Refusal):
            parse_json(bad)
    assert parse_json(b"1e308") == 1e308


def app(limit: int) -> TestClient:
    async def echo(request: Request) -> Response:
        return Response(await read_body(request))

    async def ignore(request: Request) -> Response:
        return Response(b"not read")

    errors = Errors(error=lambda r: JSONResponse({"error": r.message}, r.status, r.headers))
    return TestClient(
        stub_app(
            [Route("/echo", echo, methods=["POST"]), Route("/ignore", ignore, methods=["POST"])], errors, max_body=limit
        )
    )


def test_the_cap_refuses_a_declared_or_a_streamed_body_beyond_it_with_the_stubs_own_error() -> None:
    client = app(10)
    assert client.post("/echo", content=b"x" * 10).content == b"x" * 10
    assert client.post("/echo", content=b"x" * 11).status_code == 413

    def chunks() -> Iterator[bytes]:
        yield b"x" * 6
        yield b"x" * 6

    r = client.post("/echo", content=chunks())  # chunked: no Content-Length to go by
    assert r.status_code == 413 and r.json() == {"error": "body larger than 10 bytes"}


def test_a_handler_that_does_not_read_the_body_is_not_refused_for_its_size() -> None:
    assert app(10).post("/ignore", content=b"x" * 100).content == b"not read"


def test_unknown_paths_and_methods_are_the_stubs_own_json_errors() -> None:
    client = app(10)
    assert client.get("/nowhere").json() == {"error": "no such path: /nowhere"}
    r = client.get("/echo")
    assert r.status_code == 405 and r.headers["allow"] == "POST" and r.json()["error"]
