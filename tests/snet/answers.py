"""Answer bodies to judge: valid ones, and ones a step away (a type swapped, a name changed, a value
out of range), so that both protojson's acceptances and its refusals are compared."""

from __future__ import annotations

import json
from typing import Any

from google.protobuf.descriptor import Descriptor
from hypothesis import strategies as st

from aicontract.contracts.snet.inputs import messages
from aicontract.contracts.snetd.protojson import EncodeError, to_json
from aicontract.contracts.snetd.schema import is_map, repeated

ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1.5,
    1e2,
    1e30,
    -0.0,
    2**64,
    2**63,
    -(2**63) - 1,
    4294967296,
    "",
    "5",
    " 5",
    "1e2",
    "1.0",
    "-1",
    "NaN",
    "Infinity",
    "abc",
    "SHIPPED",
    "RED",
    "/+8=",
    "-_8",
    "AAA",
    "2024-01-02T03:04:05Z",
    "2024-01-02T03:04:05.1+01:00",
    "1.5s",
    "-0.5s",
    "1s ",
    "a_b,c",
    "aB,c",
    [],
    [1],
    [None],
    ["x"],
    {},
    {"a": 1},
    {"@type": "type.googleapis.com/google.protobuf.Empty"},
    {"units": "1"},
]


def _value_paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            found += _value_paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _value_paths(v, (*prefix, i))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], rest, new)}
    copy = list(value)
    copy[head] = _replace(copy[head], rest, new)
    return copy


def _json_names(value: Any, desc: Descriptor) -> Any:
    """Top-level proto names written as JSON names (both are accepted)."""
    if not isinstance(value, dict):
        return value
    renamed = {}
    for key, item in value.items():
        field = desc.fields_by_name.get(key)
        renamed[field.json_name if field is not None else key] = item
    return renamed


@st.composite
def bodies(draw: st.DrawFn, desc: Descriptor) -> str:
    message = draw(messages(desc))
    try:
        value = to_json(message)
    except EncodeError:
        value = {}
    how = draw(st.sampled_from(["valid", "json-names", "swap", "swap", "swap", "unknown", "null-field", "text"]))
    if how == "json-names":
        value = _json_names(value, desc)
    elif how == "swap":
        paths = _value_paths(value) or [("number",)]
        path = draw(st.sampled_from(paths))
        value = _replace(value, path, draw(st.sampled_from(ODD_VALUES))) if path[0] in value else {path[0]: 1}
    elif how == "unknown":
        value = {**value, "no_such_field": draw(st.sampled_from(ODD_VALUES))} if isinstance(value, dict) else value
    elif how == "null-field" and isinstance(value, dict):
        names = [f.name for f in desc.fields if not is_map(f) and not repeated(f)] or ["x"]
        value = {**value, draw(st.sampled_from(names)): None}
    text = json.dumps(value, allow_nan=False, ensure_ascii=draw(st.booleans()))
    if how == "text":
        text = draw(st.sampled_from(["", " ", "[]", "null", "1", '"x"', text + " {}", text + "x", "{", text[:-1]]))
        if not text.strip() and draw(st.booleans()):
            text = "{} "
    return text
