"""The generated document, the encoder and the stub agree: one contract, from the proto."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema_rs
import pytest
import yaml

from aicontract.contracts.settings import Settings
from aicontract.contracts.snet.contract import contract_of as spec
from aicontract.contracts.snet.inputs import EDGE_VARIANTS, draw, edge
from aicontract.contracts.snetd.document import document
from aicontract.contracts.snetd.protojson import EncodeError
from aicontract.contracts.snetd.protos import compile_protos
from aicontract.contracts.snetd.request import body
from aicontract.contracts.target import embedded
from aicontract.stubs.snet import create_app
from tests.snet.protos import EXAMPLE, EXAMPLE_DOCUMENT, HERE, RICH


def validator(doc: dict[str, Any], schema: dict[str, Any]) -> Any:
    return jsonschema_rs.Draft202012Validator({**schema, "components": doc["components"]})


def test_the_run_s_spec_is_the_proto_s_document_and_the_example_by_default() -> None:
    default = spec(Settings(api="snet"))
    assert default.document == yaml.safe_load(EXAMPLE_DOCUMENT.read_text())
    rich = spec(Settings(api="snet", options={"protos": [str(RICH)], "includes": [str(HERE)]}))
    assert [op.name for op in rich.operations()] == ["POST /PlaceOrder", "POST /echoScalars", "POST /wrap"]
    assert rich.operation("POST /wrap").body_schema() is not None


def test_a_recursive_message_resolves(tmp_path: Path) -> None:
    (tmp_path / "tree.proto").write_text(
        'syntax = "proto3"; message Node { string name = 1; repeated Node children = 2; } '
        "service Trees { rpc grow(Node) returns (Node); }"
    )
    found = spec(Settings(api="snet", options={"protos": [str(tmp_path / "tree.proto")]}))
    children = found.operation("POST /grow").body_schema()["properties"]["children"]  # type: ignore[index]
    assert children["items"] == {"type": ["object", "null"]}


def test_every_daemon_encoded_input_fits_the_documented_request_schema() -> None:
    catalog = compile_protos([RICH], [HERE])
    doc = document(catalog)
    for method in catalog.served():
        schema = doc["paths"][method.path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        check = validator(doc, schema)
        for message in [edge(method.input, v) for v in EDGE_VARIANTS] + draw(method.input, 60, 2):
            try:
                sent, _ = body(message)
            except EncodeError:
                continue
            errors = [e.message for e in check.iter_errors(json.loads(sent))]
            assert errors == [], (method.name, sent[:300])


@pytest.mark.parametrize("proto", ["example", "rich"])
def test_every_stub_answer_fits_the_documented_answer_schema(proto: str) -> None:
    options: dict[str, Any] = {"protos": [RICH], "includes": [HERE]} if proto == "rich" else {}
    catalog = compile_protos(options.get("protos") or [EXAMPLE], options.get("includes", []))
    doc = document(catalog)
    with embedded(create_app(credentials=(), **options)) as url:
        for method in catalog.served():
            schema = doc["paths"][method.path]["post"]["responses"]["2XX"]["content"]["application/json"]["schema"]
            answer = httpx.post(f"{url}/{method.name}", content=b"{}", trust_env=False)
            assert answer.status_code == 200
            assert [e.message for e in validator(doc, schema).iter_errors(answer.json())] == []
