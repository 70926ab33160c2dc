"""JSON Schemas of messages as the daemon writes them (requests) and as it reads them (answers).

Request: what protojson with `UseProtoNames` writes, re-encoded: proto field names only, 64-bit
integers as decimal strings, bytes as base64, enums by name, well-known types in their JSON form.
Answer: as lenient as `protojson.UnmarshalOptions{DiscardUnknown: true}`: unknown fields allowed,
proto or JSON names, any integer as a number or a string, `null` for unset.
"""

from __future__ import annotations

from typing import Any

from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

from .protos import Catalog

REQUEST, ANSWER = "request", "answer"
LENIENT_SUFFIX = "-lenient"
SPECIAL_FLOATS = ["NaN", "Infinity", "-Infinity"]


def _at_most(limit: int) -> str:
    """A regex (no anchors) for the decimal integers 0..limit, written without leading zeros."""
    top = str(limit)
    shorter = f"[1-9][0-9]{{0,{len(top) - 2}}}" if len(top) > 2 else "[1-9]" if len(top) == 2 else ""
    same: list[str] = []
    for i, digit in enumerate(top):
        low = "1" if i == 0 else "0"
        if digit > low:
            high = chr(ord(digit) - 1)
            span = high if high == low else f"[{low}-{high}]"
            rest = len(top) - i - 1
            same.append(top[:i] + span + (f"[0-9]{{{rest}}}" if rest else ""))
    same.append(top)
    return "|".join(["0", *([shorter] if shorter else []), *same])


# Exactly the values the type holds, as protojson writes them (no leading zeros, no "-0").
UINT_STRING = f"^({_at_most(2**64 - 1)})$"
INT_STRING = f"^(-?({_at_most(2**63 - 1)})|-{2**63})$"
FLOAT32_MAX = 3.4028234663852886e38
_FRACTION = r"(\.([0-9]{3}|[0-9]{6}|[0-9]{9}))?"  # protojson writes 0, 3, 6 or 9 digits
_YEAR = "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"  # 0001..9999
UTC_TIMESTAMP = (
    f"^{_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-9])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]{_FRACTION}Z$"
    f"|^{_YEAR}-(0[13-9]|1[0-2])-30T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]{_FRACTION}Z$"
    f"|^{_YEAR}-(0[13578]|1[02])-31T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]{_FRACTION}Z$"
)  # in UTC; February 29th of a common year is the one impossible date this lets through
EXACT_DURATION = f"^-?({_at_most(315576000000)}){_FRACTION}s$"
FIELD_MASK_PATHS = r"^$|^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*(,[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)*)*$"
NUMERIC_STRING = r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"
BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"  # standard, padded
LENIENT_BASE64 = r"^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2}(?:==)?|[A-Za-z0-9+/_-]{3}=?)?$"  # also URL, unpadded
DURATION = r"^-?[0-9]+(\.[0-9]{1,9})?s$"
TIMESTAMP = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"

T = FieldDescriptor
INT32 = {T.TYPE_INT32, T.TYPE_SINT32, T.TYPE_SFIXED32}
UINT32 = {T.TYPE_UINT32, T.TYPE_FIXED32}
INT64 = {T.TYPE_INT64, T.TYPE_SINT64, T.TYPE_SFIXED64}
UINT64 = {T.TYPE_UINT64, T.TYPE_FIXED64}
FLOATS = {T.TYPE_DOUBLE, T.TYPE_FLOAT}
WRAPPERS = {
    "google.protobuf.DoubleValue": T.TYPE_DOUBLE,
    "google.protobuf.FloatValue": T.TYPE_FLOAT,
    "google.protobuf.Int64Value": T.TYPE_INT64,
    "google.protobuf.UInt64Value": T.TYPE_UINT64,
    "google.protobuf.Int32Value": T.TYPE_INT32,
    "google.protobuf.UInt32Value": T.TYPE_UINT32,
    "google.protobuf.BoolValue": T.TYPE_BOOL,
    "google.protobuf.StringValue": T.TYPE_STRING,
    "google.protobuf.BytesValue": T.TYPE_BYTES,
}
TIMESTAMP_NAME, DURATION_NAME = "google.protobuf.Timestamp", "google.protobuf.Duration"
STRUCT, VALUE, LIST_VALUE = "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"
FIELD_MASK, EMPTY, ANY = "google.protobuf.FieldMask", "google.protobuf.Empty", "google.protobuf.Any"
NULL_VALUE = "google.protobuf.NullValue"
WELL_KNOWN = {*WRAPPERS, TIMESTAMP_NAME, DURATION_NAME, STRUCT, VALUE, LIST_VALUE, FIELD_MASK, EMPTY, ANY}


def integer_pattern(kind: int) -> str:
    """The decimal strings of exactly the values of an integer type, as protojson writes them."""
    if kind in UINT64:
        return UINT_STRING
    if kind in INT64:
        return INT_STRING
    if kind in UINT32:
        return f"^({_at_most(2**32 - 1)})$"
    return f"^(-?({_at_most(2**31 - 1)})|-{2**31})$"


def ref(name: str, mode: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}{LENIENT_SUFFIX if mode == ANSWER else ''}"}


def _nullable(schema: dict[str, Any], mode: str) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]} if mode == ANSWER else schema


def scalar(kind: int, mode: str) -> dict[str, Any]:
    """A scalar's schema; in answers also `null` (unset)."""
    lenient = mode == ANSWER
    found: dict[str, Any]
    if kind in INT32 | UINT32:
        low, high = (0, 2**32 - 1) if kind in UINT32 else (-(2**31), 2**31 - 1)
        exact = {"type": "integer", "minimum": low, "maximum": high, "format": "uint32" if low == 0 else "int32"}
        found = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": NUMERIC_STRING}]} if lenient else exact
    elif kind in INT64 | UINT64:
        unsigned = kind in UINT64
        text = {"type": "string", "pattern": UINT_STRING if unsigned else INT_STRING}
        text["format"] = "uint64" if unsigned else "int64"
        found = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": NUMERIC_STRING}]} if lenient else text
    elif kind in FLOATS:
        pattern = NUMERIC_STRING if lenient else None
        strings: dict[str, Any] = {"type": "string", "enum": SPECIAL_FLOATS}
        if pattern:
            strings = {"type": "string", "anyOf": [{"enum": SPECIAL_FLOATS}, {"pattern": pattern}]}
        number: dict[str, Any] = {"type": "number"}
        if kind == T.TYPE_FLOAT and not lenient:  # protojson refuses a float beyond float32's range
            number = {"type": "number", "minimum": -FLOAT32_MAX, "maximum": FLOAT32_MAX}
        found = {"anyOf": [number, strings], "format": "float" if kind == T.TYPE_FLOAT else "double"}
    elif kind == T.TYPE_BOOL:
        found = {"type": "boolean"}
    elif kind == T.TYPE_STRING:
        found = {"type": "string"}
    elif kind == T.TYPE_BYTES:
        found = {"type": "string", "contentEncoding": "base64", "pattern": LENIENT_BASE64 if lenient else BASE64}
    else:
        raise ValueError(f"not a scalar type: {kind}")
    return _nullable(found, mode)


def enum(desc: EnumDescriptor, mode: str) -> dict[str, Any]:
    if desc.full_name == NULL_VALUE:
        return {"type": "null"}
    names = [v.name for v in desc.values]
    if mode == ANSWER:  # unknown names are ignored, numbers accepted
        return {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}
    # protojson writes a value the enum does not declare (proto3 enums are open) as its number.
    unknown = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1, "not": {"enum": numbers(desc)}}
    return {"anyOf": [{"type": "string", "enum": names}, unknown]}


def numbers(desc: EnumDescriptor) -> list[int]:
    return sorted({v.number for v in desc.values})


def well_known(name: str, mode: str) -> dict[str, Any]:
    found: dict[str, Any]
    if name in WRAPPERS:
        return scalar(WRAPPERS[name], mode)
    if name == TIMESTAMP_NAME:
        found = {"type": "string", "format": "date-time", "pattern": TIMESTAMP if mode == ANSWER else UTC_TIMESTAMP}
    elif name == DURATION_NAME:
        found = {"type": "string", "pattern": DURATION if mode == ANSWER else EXACT_DURATION}
    elif name == STRUCT:
        found = {"type": "object"}
    elif name == VALUE:
        return {}
    elif name == LIST_VALUE:
        found = {"type": "array"}
    elif name == FIELD_MASK:  # paths in lowerCamelCase, comma-separated
        found = {"type": "string"} if mode == ANSWER else {"type": "string", "pattern": FIELD_MASK_PATHS}
    elif name == EMPTY:
        found = {"type": "object"} if mode == ANSWER else {"type": "object", "maxProperties": 0}
    else:  # Any: its @type names the message; its body is not checked here
        found = {"type": "object", "required": ["@type"], "properties": {"@type": {"type": "string"}}}
    return _nullable(found, mode)


def _single(field: FieldDescriptor, mode: str) -> dict[str, Any]:
    if field.type in (T.TYPE_MESSAGE, T.TYPE_GROUP):
        name = field.message_type.full_name
        if name in WELL_KNOWN:
            return well_known(name, mode)
        return _nullable(ref(name, mode), mode)
    if field.type == T.TYPE_ENUM:
        return enum(field.enum_type, mode)
    return scalar(field.type, mode)


def is_map(field: FieldDescriptor) -> bool:
    msg = field.message_type
    return bool(field.type == T.TYPE_MESSAGE and msg is not None and msg.GetOptions().map_entry)


def repeated(field: FieldDescriptor) -> bool:
    # `label` is deprecated in newer protobuf releases; `is_repeated` is not in older ones.
    flag = getattr(field, "is_repeated", None)
    return bool(flag) if flag is not None else bool(field.label == T.LABEL_REPEATED)


def field_schema(field: FieldDescriptor, mode: str) -> dict[str, Any]:
    if is_map(field):
        key, value = field.message_type.fields_by_name["key"], field.message_type.fields_by_name["value"]
        found: dict[str, Any] = {"type": "object", "additionalProperties": _single(value, mode)}
        if key.type in INT32 | INT64 | UINT32 | UINT64:
            found["propertyNames"] = {"pattern": integer_pattern(key.type)}
        elif key.type == T.TYPE_BOOL:
            found["propertyNames"] = {"enum": ["true", "false"]}
        return _nullable(found, mode)
    if repeated(field):
        return _nullable({"type": "array", "items": _single(field, mode)}, mode)
    return _single(field, mode)


def message_schema(desc: Descriptor, mode: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for field in desc.fields:
        schema = field_schema(field, mode)
        properties[field.name] = schema
        if mode == ANSWER and field.json_name != field.name:
            properties[field.json_name] = schema
    found: dict[str, Any] = {"type": "object", "properties": properties}
    if mode == REQUEST:
        found["additionalProperties"] = False
        exclusive = [
            [f.name for f in oneof.fields] for oneof in desc.oneofs if len(oneof.fields) > 1 and not _synthetic(oneof)
        ]
        pairs = [{"required": [a, b]} for names in exclusive for i, a in enumerate(names) for b in names[i + 1 :]]
        if pairs:
            found["not"] = {"anyOf": pairs}  # one member of a oneof at most
    found["x-proto-message"] = desc.full_name
    return found


def _synthetic(oneof: Any) -> bool:
    # proto3 `optional` makes a one-member oneof named _field: it is not a real choice.
    return len(oneof.fields) == 1 and oneof.name == f"_{oneof.fields[0].name}"


def reachable(roots: list[Descriptor]) -> list[Descriptor]:
    """Every non-well-known message the roots use, roots first, each once."""
    found: dict[str, Descriptor] = {}
    todo = list(roots)
    while todo:
        desc = todo.pop(0)
        if desc.full_name in found or desc.full_name in WELL_KNOWN or desc.GetOptions().map_entry:
            if desc.GetOptions().map_entry:
                todo.extend(f.message_type for f in desc.fields if f.message_type is not None)
            continue
        found[desc.full_name] = desc
        todo.extend(f.message_type for f in desc.fields if f.message_type is not None)
    return list(found.values())


def components(catalog: Catalog) -> dict[str, Any]:
    served = catalog.served()
    schemas: dict[str, Any] = {}
    for desc in reachable([m.input for m in served]):
        schemas[desc.full_name] = message_schema(desc, REQUEST)
    for desc in reachable([m.output for m in served]):
        schemas[desc.full_name + LENIENT_SUFFIX] = message_schema(desc, ANSWER)
    return dict(sorted(schemas.items()))


def top(desc: Descriptor, mode: str) -> dict[str, Any]:
    """The schema of a whole body: a message's ref, or a well-known type's JSON form."""
    if desc.full_name in WELL_KNOWN:
        return well_known(desc.full_name, mode)
    return ref(desc.full_name, mode)
