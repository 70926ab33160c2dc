"""`aicontract proto2openapi`: .proto files, compiled by protoc, become the document the daemon calls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aicontract.contracts.cli import main as cli
from aicontract.contracts.snetd.document import document, dump
from aicontract.contracts.snetd.protos import ProtoError, compile_protos
from tests.snet.protos import EXAMPLE, EXAMPLE_DOCUMENT, HERE, RICH


def test_the_seed_example_document_is_generated_from_the_seed_example_proto() -> None:
    generated = dump(document(compile_protos([EXAMPLE])))
    assert EXAMPLE_DOCUMENT.read_text(encoding="utf-8") == generated, (
        "openapi/snet.yaml is stale: aicontract proto2openapi openapi/snet-example.proto -o openapi/snet.yaml"
    )


def test_the_cli_writes_the_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "doc.yaml"
    assert cli(["proto2openapi", str(RICH), "-I", str(HERE), "-o", str(out)]) == 0
    assert yaml.safe_load(out.read_text())["openapi"] == "3.1.0"
    assert cli(["proto2openapi", str(EXAMPLE)]) == 0
    assert "/calculate:" in capsys.readouterr().out


def test_each_rpc_is_a_post_on_its_own_name_with_case_kept() -> None:
    doc = document(compile_protos([RICH], [HERE]))
    assert list(doc["paths"]) == ["/PlaceOrder", "/echoScalars", "/wrap"]
    assert all(list(item) == ["post"] for item in doc["paths"].values())


def test_the_request_schema_is_the_daemons_json_form() -> None:
    schemas = document(compile_protos([RICH], [HERE]))["components"]["schemas"]
    scalars = schemas["rich.v1.Scalars"]["properties"]
    assert scalars["u64"]["type"] == "string" and scalars["i64"]["format"] == "int64"
    assert re.match(scalars["u64"]["pattern"], str(2**64 - 1)) and not re.match(scalars["u64"]["pattern"], str(2**64))
    assert re.match(scalars["i64"]["pattern"], str(-(2**63))) and not re.match(scalars["i64"]["pattern"], str(2**63))
    assert scalars["u32"] == {"type": "integer", "minimum": 0, "maximum": 2**32 - 1, "format": "uint32"}
    assert scalars["blob"]["contentEncoding"] == "base64"
    assert {"type": "string", "enum": ["NaN", "Infinity", "-Infinity"]} in scalars["d"]["anyOf"]
    order = schemas["rich.v1.Order"]
    assert "maybe_text" in scalars and "maybeText" not in scalars  # proto names only
    assert order["additionalProperties"] is False
    state = order["properties"]["state"]["anyOf"]
    assert state[0] == {"type": "string", "enum": ["STATE_UNSPECIFIED", "OPEN", "SHIPPED"]}
    assert state[1]["type"] == "integer" and state[1]["not"] == {"enum": [0, 1, 2]}  # an undeclared number
    keys = order["properties"]["by_number"]["propertyNames"]["pattern"]  # int32 keys
    assert re.match(keys, "-2147483648") and not re.match(keys, "2147483648") and not re.match(keys, "08")
    assert order["properties"]["placed"]["format"] == "date-time"
    assert {"required": ["card", "voucher"]} in order["not"]["anyOf"]
    assert "common.Money" in schemas and "rich.v1.Order.Line" in schemas


def test_the_answer_schema_is_as_lenient_as_the_daemons_parser() -> None:
    schemas = document(compile_protos([RICH], [HERE]))["components"]["schemas"]
    receipt = schemas["rich.v1.Receipt-lenient"]
    assert "additionalProperties" not in receipt  # unknown fields discarded
    assert receipt["properties"]["order_id"] == receipt["properties"]["orderId"]  # proto or JSON names
    assert {"type": "number"} in receipt["properties"]["total_units"]["anyOf"][0]["anyOf"]
    assert {"type": "null"} in receipt["properties"]["order_id"]["anyOf"]


def test_with_several_protos_the_first_rpc_of_a_name_wins(tmp_path: Path) -> None:
    (tmp_path / "a.proto").write_text(
        'syntax = "proto3"; package a; message In {} service A { rpc run(In) returns (In); }'
    )
    (tmp_path / "b.proto").write_text(
        'syntax = "proto3"; package b; message Other { string x = 1; } '
        "service B { rpc run(Other) returns (Other); rpc more(Other) returns (Other); }"
    )
    catalog = compile_protos([tmp_path / "a.proto", tmp_path / "b.proto"])
    assert [m.name for m in catalog.served()] == ["run", "more"]
    assert catalog.method("run") is not None and catalog.method("run").input.full_name == "a.In"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('syntax = "proto3"; message A { int32 x = 1 }', "bad.proto:1:"),
        ('syntax = "proto3"; import "nope.proto"; message A {}', 'Import "nope.proto" was not found'),
        ('syntax = "proto3"; message A {} service S { rpc f(stream A) returns (A); }', "client streaming"),
        ('syntax = "proto3"; message A {} service S { rpc f(A) returns (stream A); }', "serves unary rpcs only"),
        ('syntax = "proto3"; message A {}', "no service with an rpc"),
    ],
)
def test_an_unservable_proto_gets_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, said: str
) -> None:
    (tmp_path / "bad.proto").write_text(text)
    with pytest.raises(ProtoError, match=None) as raised:
        compile_protos([tmp_path / "bad.proto"])
    assert said in str(raised.value) and "\n" not in str(raised.value)
    assert cli(["proto2openapi", str(tmp_path / "bad.proto")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("aicontract proto2openapi: ") and err.count("\n") == 1


def test_a_missing_file_or_include_is_named(tmp_path: Path) -> None:
    with pytest.raises(ProtoError, match="no such file"):
        compile_protos([tmp_path / "none.proto"])
    with pytest.raises(ProtoError, match="not a directory"):
        compile_protos([RICH], [tmp_path / "nowhere"])


def test_the_generated_document_loads_in_schemathesis() -> None:
    import schemathesis

    schema = schemathesis.openapi.from_dict(document(compile_protos([RICH], [HERE])))
    assert len(list(schema.get_all_operations())) == 3
