"""The daemon's request bodies, proven byte for byte against Go's own protojson and encoding/json.

Each generated message goes to tests/snet/goencoder (the daemon's body code, built offline from
Debian's Go packages) as its binary form, and to our encoder as the same message; the bodies must
be identical. `nox -s snet_differential` runs it with more messages (SNET_DIFFERENTIAL_EXAMPLES).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.message import Message

from aicontract.contracts.snet.inputs import draw
from aicontract.contracts.snetd.credentials import parse
from aicontract.contracts.snetd.protojson import EncodeError
from aicontract.contracts.snetd.protos import Catalog, compile_protos
from aicontract.contracts.snetd.request import body
from tests.snet import differential
from tests.snet.protos import EXAMPLE, HERE, RICH

PER_TYPE = int(os.environ.get("SNET_DIFFERENTIAL_EXAMPLES", "150"))
TYPES = [
    "rich.v1.Scalars",
    "rich.v1.Order",
    "rich.v1.Envelope",
    "rich.v1.Receipt",
    "common.Money",
    # inputs whose JSON is not an object: protojson's own output goes out, credentials dropped
    "google.protobuf.StringValue",
    "google.protobuf.DoubleValue",
    "google.protobuf.FloatValue",
    "google.protobuf.Int64Value",
    "google.protobuf.UInt64Value",
    "google.protobuf.Timestamp",
    "google.protobuf.Duration",
    "google.protobuf.Struct",
]
BODY_CREDENTIALS = [
    {"key": "text", "value": "<&>\u2028 overwrites a field"},
    {"key": "example_body_param", "value": 12345},
    {"key": "big", "value": 12345678901234567890},
    {"key": "nested", "value": {"list": [1, "x", None, True, 1.5e-7], "one": 1.0}},
]


@pytest.fixture(scope="module")
def encoder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    why = differential.missing()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the differential encoding test must run in CI: {why}")
        pytest.skip(why)
    yield differential.build(tmp_path_factory.mktemp("go"))


@pytest.fixture(scope="module")
def rich() -> Catalog:
    return compile_protos([RICH], [HERE])


@pytest.fixture(scope="module")
def generated(rich: Catalog) -> list[Message]:
    found: list[Message] = []
    for name in TYPES:
        found += draw(rich.message(name), PER_TYPE, 1)
    return found


def ours(message: Message, credentials: list[dict[str, object]]) -> tuple[str, bytes]:
    try:
        data, raw = body(message, parse([{**c, "location": "body"} for c in credentials]))
    except EncodeError as exc:
        return "ERR", str(exc).encode()
    return ("RAW" if raw else "OK"), data


def mismatches(go: list[tuple[str, bytes]], messages_: list[Message], creds: list[dict[str, object]]) -> list[str]:
    found = []
    for message, (kind, expected) in zip(messages_, go, strict=True):
        got_kind, got = ours(message, creds)
        if got_kind != kind or (kind != "ERR" and got != expected):
            found.append(
                f"{message.DESCRIPTOR.full_name} {message!r}:\n  go: {kind} {expected!r}\n  py: {got_kind} {got!r}"
            )
    return found


def test_generated_bodies_are_byte_identical_to_gos(
    encoder: Path, rich: Catalog, generated: list[Message], tmp_path: Path
) -> None:
    go = differential.encode(encoder, rich.descriptor_set, generated, tmp=tmp_path)
    assert mismatches(go, generated, [])[:5] == []
    assert {kind for kind, _ in go} >= {"OK", "RAW"}
    distinct = {b for kind, b in go if kind == "OK"}
    assert len(distinct) > len(TYPES) * PER_TYPE // 4  # the inputs really vary


def test_body_credentials_are_set_and_encoded_as_the_daemon_does(
    encoder: Path, rich: Catalog, generated: list[Message], tmp_path: Path
) -> None:
    go = differential.encode(encoder, rich.descriptor_set, generated, BODY_CREDENTIALS, tmp=tmp_path)
    assert mismatches(go, generated, BODY_CREDENTIALS)[:5] == []


def test_the_edge_values_were_all_met(encoder: Path, rich: Catalog, generated: list[Message], tmp_path: Path) -> None:
    bodies = b"\n".join(b for _, b in differential.encode(encoder, rich.descriptor_set, generated, tmp=tmp_path))
    for needle in [
        b"\\u003c",
        b"\\u0026",
        b"\\u2028",
        b"e-7",
        b"e+21",
        b'"NaN"',
        b'"-Infinity"',
        b"18446744073709551615",
        b"-9223372036854775808",
        b"\\b",
        b"\\u0000",
        b".100Z",
        b".500s",
    ]:
        assert needle in bodies, f"no generated body had {needle!r}"


def test_the_seed_examples_inputs_match_too(encoder: Path, tmp_path: Path) -> None:
    example = compile_protos([EXAMPLE])
    drawn = [m for method in example.served() for m in draw(method.input, PER_TYPE, 1)]
    go = differential.encode(encoder, example.descriptor_set, drawn, BODY_CREDENTIALS[:2], tmp=tmp_path)
    assert mismatches(go, drawn, BODY_CREDENTIALS[:2])[:5] == []


HEADER_NAMES = ["x-api-key", "X-API-KEY", "x_api_key", "content-type", "a b", "--x", "x--y", "-", "ÿ-key", "X-1a", "é"]
BASES = ["", "/", "/api", "/api/", "/a/b/", "//x", "/a/./b/..", "/a//b"]


def test_header_names_query_strings_and_paths_are_built_as_go_builds_them(encoder: Path, tmp_path: Path) -> None:
    from hypothesis import strategies as st

    from aicontract.contracts.snetd.credentials import Credential
    from aicontract.contracts.snetd.request import canonical_header, query_string, rpc_path

    names = HEADER_NAMES + draw_values(st.text(st.sampled_from("abcXYZ-_ 0:é"), min_size=1, max_size=8), 200)
    pairs = draw_values(st.lists(st.tuples(st.text(max_size=6), st.text(max_size=8)), min_size=1, max_size=4), 200)
    joins = [(b, r) for b in BASES for r in ("calculate", "Calc", "a.b")]
    calls = [("#header", n) for n in names] + [("#query", [list(p) for p in q]) for q in pairs]
    calls += [("#join", list(j)) for j in joins]
    go = differential.library(encoder, calls, descriptor_set=compile_protos([EXAMPLE]).descriptor_set, tmp=tmp_path)
    ours = [canonical_header(n) for n in names]
    ours += [query_string([Credential(k, v, "query") for k, v in q]) for q in pairs]
    ours += [rpc_path(f"http://h:5000{b}", r) for b, r in joins]
    expected = go[: len(names) + len(pairs)] + ["/" + p.lstrip("/") for p in go[len(names) + len(pairs) :]]
    assert [(c, o, e) for c, o, e in zip(calls, ours, expected, strict=True) if o != e][:5] == []


def draw_values(strategy: object, count: int) -> list[object]:
    from hypothesis import HealthCheck, Phase, given, seed, settings

    drawn: list[object] = []

    @seed(3)
    @settings(max_examples=count, database=None, phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)  # type: ignore[arg-type]
    def collect(value: object) -> None:
        drawn.append(value)

    collect()
    return drawn


OLDER_ENUM = re.compile(r'invalid value for enum type: "')
ANSWER_TYPES = ["service.CommonOutput", "rich.v1.Receipt", "rich.v1.Scalars", "rich.v1.Order", "rich.v1.Envelope"]


def test_answers_are_read_or_refused_exactly_as_go_protojson_does(encoder: Path, tmp_path: Path) -> None:
    from aicontract.contracts.snetd.answer import ParseError, parse
    from tests.snet.answers import bodies

    catalog = compile_protos([RICH, EXAMPLE], [HERE, EXAMPLE.parent])
    cases = [(name, text) for name in ANSWER_TYPES for text in draw_values(bodies(catalog.message(name)), PER_TYPE)]
    go = differential.parse(encoder, catalog.descriptor_set, cases, tmp=tmp_path)
    differ, older = [], 0
    for (name, text), verdict in zip(cases, go, strict=True):
        if verdict is not None and OLDER_ENUM.search(verdict):
            older += 1  # protobuf-go 1.28 refuses an unknown enum name; the daemon's newer one discards it
            continue
        try:
            parse(text.encode(), catalog.message(name))
            ours = None
        except ParseError as exc:
            ours = str(exc)
        if (ours is None) != (verdict is None):
            differ.append(f"{name} {text[:200]!r}: go {verdict!r}, ours {ours!r}")
    assert differ[:8] == []
    judged = len(cases) - older
    assert sum(v is None for v in go) > judged // 5 and sum(v is not None for v in go) - older > judged // 5
