"""Deterministic valid output messages for any rpc, so a client can be written before the service is.

Every field is filled from its own name and number (strings: the field name; integers: the field
number; 64-bit ones as strings; bools true; enums their first non-zero value; bytes the name's
UTF-8; one element in each repeated field and map; the first member of each oneof), nesting up to
MAX_DEPTH, with fixed values for the well-known types. The same rpc always answers the same bytes.
"""

from __future__ import annotations

import base64
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from aicontract.contracts.snetd.schema import (
    ANY,
    DURATION_NAME,
    EMPTY,
    FIELD_MASK,
    INT64,
    LIST_VALUE,
    STRUCT,
    TIMESTAMP_NAME,
    UINT64,
    VALUE,
    WRAPPERS,
    T,
    is_map,
    repeated,
)

MAX_DEPTH = 2
_FIXED: dict[str, Any] = {
    TIMESTAMP_NAME: "2024-01-01T00:00:00Z",
    DURATION_NAME: "1s",
    STRUCT: {"stub": "aicontract"},
    VALUE: "aicontract",
    LIST_VALUE: ["aicontract"],
    FIELD_MASK: "stub",
    EMPTY: {},
    ANY: {"@type": "type.googleapis.com/google.protobuf.Empty", "value": {}},
}


def _scalar(kind: int, field: FieldDescriptor, name: str) -> Any:
    if kind in INT64 | UINT64:
        return str(field.number)
    if kind == T.TYPE_BOOL:
        return True
    if kind == T.TYPE_STRING:
        return name
    if kind == T.TYPE_BYTES:
        return base64.b64encode(name.encode()).decode()
    if kind in (T.TYPE_DOUBLE, T.TYPE_FLOAT):
        return field.number + 0.5
    return field.number


def _single(field: FieldDescriptor, depth: int) -> Any:
    if field.type in (T.TYPE_MESSAGE, T.TYPE_GROUP):
        return message(field.message_type, depth + 1)
    if field.type == T.TYPE_ENUM:
        values = [v for v in field.enum_type.values if v.number != 0] or list(field.enum_type.values)
        return None if field.enum_type.full_name == "google.protobuf.NullValue" else values[0].name
    return _scalar(field.type, field, field.name)


def message(desc: Descriptor, depth: int = 0) -> Any:
    """The JSON value of a deterministic, fully filled message of type `desc`."""
    name = desc.full_name
    if name in _FIXED:
        return _FIXED[name]
    if name in WRAPPERS:
        return _scalar(WRAPPERS[name], desc.fields_by_name["value"], "value")
    out: dict[str, Any] = {}
    if depth > MAX_DEPTH:
        return out
    chosen: set[str] = set()
    for field in desc.fields:
        oneof = field.containing_oneof
        if oneof is not None:
            if oneof.name in chosen:
                continue
            chosen.add(oneof.name)
        if is_map(field):
            key, value = (field.message_type.fields_by_name[n] for n in ("key", "value"))
            key_text = {T.TYPE_BOOL: "true", T.TYPE_STRING: "key"}.get(key.type, "1")
            out[field.name] = {key_text: _single(value, depth)}
        elif repeated(field):
            out[field.name] = [_single(field, depth)]
        else:
            out[field.name] = _single(field, depth)
    return out
