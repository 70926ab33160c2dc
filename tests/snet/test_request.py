"""What the daemon sends: Go's JSON formatting, service_credentials rules, URL and headers."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from google.protobuf.message import Message

from aicontract.contracts.snetd import gojson
from aicontract.contracts.snetd.credentials import BAD_LOCATION, EMPTY_KEY, CredentialsError, load, parse
from aicontract.contracts.snetd.protos import compile_protos, message_class
from aicontract.contracts.snetd.request import GO_USER_AGENT, OLDER, build, canonical_header, rpc_path
from tests.snet.protos import EXAMPLE


def calculate(**fields: object) -> Message:
    catalog = compile_protos([EXAMPLE])
    method = catalog.method("calculate")
    assert method is not None
    return message_class(method.input)(**fields)


@pytest.mark.parametrize(
    ("value", "go"),
    [
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (0.00001, "0.00001"),
        (1e-7, "1e-7"),
        (1.5e-10, "1.5e-10"),
        (3.0, "3"),
        (-0.0, "-0"),
        (0.1, "0.1"),
        (12345678901234567890, "12345678901234567000"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (123456.789, "123456.789"),
    ],
)
def test_floats_are_written_in_gos_format(value: float, go: str) -> None:
    assert gojson.go_float(value) == go


def test_a_float_field_keeps_its_32_bit_shortest_form() -> None:
    assert gojson.float32_shortest(0.10000000149011612) == 0.1
    assert math.isnan(gojson.float32_shortest(float("nan")))


def test_strings_are_escaped_html_safe_with_go_escapes() -> None:
    assert gojson.go_string("<a & b>\u2028\u2029\b\f\x01é😀\x7f") == (
        '"\\u003ca \\u0026 b\\u003e\\u2028\\u2029\\b\\f\\u0001é😀\x7f"'
    )


def test_maps_are_compact_with_keys_sorted_at_every_level() -> None:
    assert gojson.dumps({"b": 1, "a": {"z": [True, None], "é": "x", "A": 2.5}}) == (
        '{"a":{"A":2.5,"z":[true,null],"é":"x"},"b":1}'.encode()
    )


def test_the_seed_example_is_sent_as_the_spec_shows() -> None:
    sent = build("http://h:5000", "calculate", calculate(number=7, operation="add", second_number=3))
    assert sent.body == b'{"number":"7","operation":"add","second_number":"3"}'
    assert sent.path == "/calculate"
    assert sent.headers == {
        "User-Agent": GO_USER_AGENT,
        "Accept-Encoding": "gzip",
        "Content-Type": "application/json",
    }


def test_default_values_are_left_out_and_uint64_stays_exact() -> None:
    sent = build("http://h", "calculate", calculate(number=0, operation="", second_number=2**64 - 1))
    assert sent.body == b'{"second_number":"18446744073709551615"}'


def test_credentials_go_where_the_daemon_puts_them() -> None:
    creds = parse(
        [
            {"key": "x-api-key", "value": "first", "location": "header"},
            {"key": "X-API-KEY", "value": "k2", "location": "header"},
            {"key": "X-Number", "value": 5, "location": "header"},  # not a string: skipped
            {"key": "b", "value": "two words", "location": "query"},
            {"key": "a", "value": "&=", "location": "query"},
            {"key": "a", "value": "again", "location": "query"},
            {"key": "operation", "value": "sub", "location": "body"},
            {"key": "example_body_param", "value": 12345, "location": "body"},
            {"key": "Content-Type", "value": "text/plain", "location": "header"},
        ]
    )
    sent = build("http://h:5000/api/?old=1", "calculate", calculate(number=1, operation="add"), creds)
    assert sent.path == "/api/calculate?a=%26%3D&a=again&b=two+words"
    assert sent.headers["X-Api-Key"] == "k2" and "X-Number" not in sent.headers
    assert sent.headers["Content-Type"] == "application/json"
    assert json.loads(sent.body) == {"number": "1", "operation": "sub", "example_body_param": 12345}


def test_header_names_are_canonicalised_as_go_does() -> None:
    assert canonical_header("x-api-key") == "X-Api-Key"
    assert canonical_header("X-API-Key") == "X-Api-Key"
    assert canonical_header("bad key") == "bad key"  # not a token: Go leaves it as it is


def test_the_endpoint_path_is_joined_or_concatenated_by_daemon_version() -> None:
    assert rpc_path("http://h:5000/api/", "calculate") == "/api/calculate"
    assert rpc_path("http://h:5000", "calculate") == "/calculate"
    assert rpc_path("http://h:5000/api", "calculate", OLDER) == "/apicalculate"
    assert rpc_path("http://h:5000/", "calculate", OLDER) == "/calculate"


@pytest.mark.parametrize(
    ("entries", "said"),
    [
        ([{"key": "k", "value": "v", "location": "Header"}], BAD_LOCATION),
        ([{"key": "k", "value": "v"}], BAD_LOCATION),
        ([{"key": "", "value": "v", "location": "body"}], EMPTY_KEY),
        ([{"value": "v", "location": "query"}], EMPTY_KEY),
    ],
)
def test_bad_credentials_get_the_daemons_start_up_errors(entries: list[dict[str, str]], said: str) -> None:
    with pytest.raises(CredentialsError) as raised:
        parse(entries)
    assert str(raised.value) == said


def test_credentials_are_read_as_viper_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "snetd.config.json"
    entry = {"key": "p", "value": {"MixedCase": 1, "n": 12345678901234567890}, "location": "body"}
    path.write_text(json.dumps({"service_credentials": [entry]}))
    (cred,) = load(path)
    assert cred.value == {"mixedcase": 1.0, "n": 1.2345678901234567e19}
    assert not cred.secret


def test_a_null_input_with_body_credentials_is_the_daemons_panic() -> None:
    from aicontract.contracts.snetd.protojson import EncodeError
    from aicontract.contracts.snetd.request import body
    from tests.snet.protos import HERE, RICH

    value_type = compile_protos([RICH], [HERE]).message("google.protobuf.Value")
    null = message_class(value_type)(null_value=0)
    assert body(null) == (b"null", True)
    with pytest.raises(EncodeError, match="panics"):
        body(null, parse([{"key": "k", "value": 1, "location": "body"}]))
