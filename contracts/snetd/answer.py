"""Reading an answer body as the daemon does: `protojson.UnmarshalOptions{AllowPartial: true,
DiscardUnknown: true}` into the output message.

Accepted: unknown fields (ignored), proto or JSON field names, any integer as a number or a
string, floats also as "NaN"/"Infinity"/"-Infinity", `null` as unset, unknown enum names (ignored).
Refused, with protojson's kind of message: a type mismatch, a field given twice, two members of
one oneof, trailing data, a top-level non-object, an empty body, invalid UTF-8 or JSON.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import struct
from datetime import datetime
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from .schema import (
    ANY,
    DURATION_NAME,
    EMPTY,
    FIELD_MASK,
    INT32,
    INT64,
    LIST_VALUE,
    NULL_VALUE,
    STRUCT,
    TIMESTAMP_NAME,
    UINT32,
    UINT64,
    VALUE,
    WRAPPERS,
    T,
    is_map,
    repeated,
)

_NUMBER = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$")
_FULL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_DURATION = re.compile(r"^(-)?([0-9]+)(?:\.([0-9]{1,9}))?s$")
_TIMESTAMP = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
_RANGES = {
    **{k: (-(2**31), 2**31 - 1) for k in INT32},
    **{k: (0, 2**32 - 1) for k in UINT32},
    **{k: (-(2**63), 2**63 - 1) for k in INT64},
    **{k: (0, 2**64 - 1) for k in UINT64},
}


_TYPE_NAMES = {
    T.TYPE_INT32: "int32",
    T.TYPE_SINT32: "sint32",
    T.TYPE_SFIXED32: "sfixed32",
    T.TYPE_UINT32: "uint32",
    T.TYPE_FIXED32: "fixed32",
    T.TYPE_INT64: "int64",
    T.TYPE_SINT64: "sint64",
    T.TYPE_SFIXED64: "sfixed64",
    T.TYPE_UINT64: "uint64",
    T.TYPE_FIXED64: "fixed64",
}


class ParseError(ValueError):
    """Why protojson would not read the body into the output message (its error, after `proto: `)."""


class _Duplicate(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise _Duplicate(key)
        seen[key] = value
    return seen


def _constant(name: str) -> Any:
    raise ValueError(f"invalid value {name}")


class _Number(str):
    """A JSON number kept as written, so integers and floats are judged as protojson judges them."""


def _decode(body: bytes) -> Any:
    if not body.strip():
        raise ParseError("syntax error (line 1:1): unexpected token (an empty body)")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ParseError("invalid UTF-8 in the body") from None
    try:
        return json.loads(
            text, object_pairs_hook=_pairs, parse_constant=_constant, parse_int=_Number, parse_float=_Number
        )
    except _Duplicate as exc:
        raise ParseError(f"duplicate field {exc}") from None
    except RecursionError:
        raise ParseError("exceeded max recursion depth") from None
    except json.JSONDecodeError as exc:
        what = "unexpected token after the value" if exc.msg == "Extra data" else exc.msg
        raise ParseError(f"syntax error (line {exc.lineno}:{exc.colno}): {what}") from None
    except ValueError as exc:
        raise ParseError(f"syntax error: {exc}") from None


def parse(body: bytes, desc: Descriptor) -> None:
    """Raise ParseError unless protojson reads `body` into a message of type `desc`."""
    value = _decode(body)
    _message(value, desc, "")


def _where(path: str) -> str:
    return f" (at {path})" if path else ""


def _fail(what: str, value: Any, path: str) -> ParseError:
    """protojson's wording: `invalid value for string type: true`, and where (protojson gives line:col)."""
    return ParseError(f"invalid value for {what}: {_token(value)}{_where(path)}")


def _token(value: Any) -> str:
    if isinstance(value, _Number):
        return str(value)
    if isinstance(value, dict):
        return "{"
    if isinstance(value, list):
        return "["
    return json.dumps(value, ensure_ascii=False)[:60]


def integer(value: Any) -> int | None:
    """The integer a JSON number or numeric string stands for, as protojson reads it (`1.0`, `1e2`, "7")."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    text = value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    return _integer(text)


def _integer(text: str) -> int | None:
    """A JSON number's integer value, when it has one (protojson accepts `1.0` and `1e2` as integers)."""
    if not _NUMBER.match(text):
        return None
    mantissa, _, exponent = text.lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    exp = int(exponent or 0)
    digits = whole.lstrip("-") + fraction
    shift = exp - len(fraction)
    if shift < 0:
        if digits[len(digits) + shift :].strip("0"):
            return None
        digits = digits[: len(digits) + shift] or "0"
    elif shift > 400:
        return None
    else:
        digits += "0" * shift
    number = int(digits)
    return -number if whole.startswith("-") else number


def _scalar(value: Any, kind: int, what: str, path: str) -> None:
    if kind == T.TYPE_BOOL:
        if not isinstance(value, bool):
            raise _fail("bool type", value, path)
        return
    if kind == T.TYPE_STRING:
        if not isinstance(value, str) or isinstance(value, _Number):
            raise _fail("string type", value, path)
        return
    if kind == T.TYPE_BYTES:
        if not isinstance(value, str) or isinstance(value, _Number) or not _base64(value):
            raise _fail("bytes type", value, path)
        return
    if kind in _RANGES:
        text = _numeric_text(value)
        number = _integer(text) if text is not None else None
        low, high = _RANGES[kind]
        if number is None or not low <= number <= high:
            raise _fail(f"{_TYPE_NAMES.get(kind, 'integer')} type", value, path)
        return
    # float and double
    if isinstance(value, str) and not isinstance(value, _Number) and value in ("NaN", "Infinity", "-Infinity"):
        return
    text = _numeric_text(value)
    if text is None or not _NUMBER.match(text):
        raise _fail(f"{'float' if kind == T.TYPE_FLOAT else 'double'} type", value, path)
    real = float(text)
    if math.isinf(real) or (kind == T.TYPE_FLOAT and _float32_overflows(real)):
        raise _fail(f"{'float' if kind == T.TYPE_FLOAT else 'double'} type", value, path)


def _float32_overflows(number: float) -> bool:
    try:
        struct.pack("<f", number)
    except OverflowError:
        return True
    return False


def _numeric_text(value: Any) -> str | None:
    """A number, or a string holding one with no surrounding space (protojson's rule)."""
    if isinstance(value, _Number):
        return str(value)
    if isinstance(value, str) and not isinstance(value, bool) and value == value.strip():
        return value
    return None


def _base64(text: str) -> bool:
    candidate = text.replace("-", "+").replace("_", "/")
    candidate += "=" * (-len(candidate) % 4)
    try:
        base64.b64decode(candidate, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _enum(value: Any, field: FieldDescriptor, path: str) -> None:
    if field.enum_type.full_name == NULL_VALUE and value is None:
        return
    if isinstance(value, _Number):
        number = _integer(str(value))
        if number is None or not -(2**31) <= number < 2**31:
            raise _fail(f"enum {field.enum_type.full_name} type", value, path)
        return
    if not isinstance(value, str):
        raise _fail(f"enum {field.enum_type.full_name} type", value, path)
    # an unknown name is discarded (DiscardUnknown)


def _single(value: Any, field: FieldDescriptor, path: str) -> None:
    if field.type in (T.TYPE_MESSAGE, T.TYPE_GROUP):
        _message(value, field.message_type, path)
    elif field.type == T.TYPE_ENUM:
        _enum(value, field, path)
    else:
        _scalar(value, field.type, field.full_name, path)


def _nullable_element(field: FieldDescriptor) -> bool:
    if field.type == T.TYPE_MESSAGE:
        return bool(field.message_type.full_name == VALUE)
    return bool(field.type == T.TYPE_ENUM and field.enum_type.full_name == NULL_VALUE)


def _field(value: Any, field: FieldDescriptor, path: str) -> None:
    if value is None and not (_nullable_element(field) and not repeated(field)):
        return  # null: the field stays unset
    if is_map(field):
        if not isinstance(value, dict):
            raise ParseError(f"unexpected token {_token(value)}{_where(path)}: {field.full_name} is a map")
        key_field, value_field = (field.message_type.fields_by_name[n] for n in ("key", "value"))
        for key, item in value.items():
            _map_key(key, key_field, f"{path}.{key}")
            if item is None and not _nullable_element(value_field):
                raise ParseError(f"unexpected token null{_where(f'{path}.{key}')}: a map value")
            _single(item, value_field, f"{path}.{key}")
        return
    if repeated(field):
        if not isinstance(value, list):
            raise ParseError(f"unexpected token {_token(value)}{_where(path)}: {field.full_name} is repeated")
        for i, item in enumerate(value):
            if item is None and not _nullable_element(field):
                raise ParseError(f"unexpected token null{_where(f'{path}[{i}]')}: a list element")
            _single(item, field, f"{path}[{i}]")
        return
    _single(value, field, path)


def _map_key(key: str, field: FieldDescriptor, path: str) -> None:
    if field.type == T.TYPE_BOOL:
        if key not in ("true", "false"):
            raise _fail("map key bool type", key, path)
    elif field.type in _RANGES:
        number = _integer(key) if key == key.strip() else None
        low, high = _RANGES[field.type]
        if number is None or not low <= number <= high or not re.fullmatch(r"-?[0-9]+", key):
            raise _fail("map key integer type", key, path)


def _message(value: Any, desc: Descriptor, path: str) -> None:
    name = desc.full_name
    if name in WRAPPERS:
        _scalar(value, WRAPPERS[name], name, path)
        return
    if name == VALUE:
        if isinstance(value, _Number) and math.isinf(float(value)):
            raise _fail(f"{name} type", value, path)
        return
    if name == TIMESTAMP_NAME:
        if not (isinstance(value, str) and not isinstance(value, _Number) and _timestamp(value)):
            raise _fail(f"{name} type", value, path)
        return
    if name == DURATION_NAME:
        if not (isinstance(value, str) and not isinstance(value, _Number) and _duration(value)):
            raise _fail(f"{name} type", value, path)
        return
    if name == FIELD_MASK:
        if not isinstance(value, str) or isinstance(value, _Number):
            raise _fail(f"{name} type", value, path)
        for part in value.split(",") if value else []:
            snake = "".join(f"_{c.lower()}" if "A" <= c <= "Z" else c for c in part)
            if "_" in part or not _FULL_NAME.match(snake):
                raise ParseError(f"google.protobuf.FieldMask.paths contains invalid path: {part!r}{_where(path)}")
        return
    if name == LIST_VALUE:
        if not isinstance(value, list):
            raise _fail(f"{name} type", value, path)
        return
    if not isinstance(value, dict):
        raise ParseError(f"unexpected token {_token(value)}{_where(path)}: {name} is an object")
    if name in (STRUCT, EMPTY):
        return
    if name == ANY:
        if not isinstance(value.get("@type"), str):
            raise ParseError(f'missing "@type" field{_where(path)}')
        return
    seen: dict[int, str] = {}
    oneofs: dict[str, str] = {}
    for key, item in value.items():
        field = desc.fields_by_name.get(key) or _by_json_name(desc, key)
        if field is None:
            continue  # unknown: discarded
        if field.number in seen:
            raise ParseError(f"duplicate field {key}{_where(path)}")
        seen[field.number] = key
        oneof = field.containing_oneof
        if oneof is not None and item is not None:
            if oneof.name in oneofs:
                raise ParseError(f"error parsing {key!r}, oneof {oneof.full_name} is already set{_where(path)}")
            oneofs[oneof.name] = key
        _field(item, field, f"{path}.{key}" if path else key)


def _by_json_name(desc: Descriptor, key: str) -> FieldDescriptor | None:
    return next((f for f in desc.fields if f.json_name == key), None)


def _timestamp(text: str) -> bool:
    m = _TIMESTAMP.match(text)
    if m is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    try:
        datetime(year, month, day, hour, minute, second)  # Go's time.Parse refuses Feb 30 and 24:00 too
    except ValueError:
        return False
    return True


def _duration(text: str) -> bool:
    m = _DURATION.match(text)
    return m is not None and int(m.group(2)) <= 315576000000
