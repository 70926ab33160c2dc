"""protojson as the daemon calls it: `MarshalOptions{UseProtoNames: true}` for requests.

`to_json` gives the value protojson writes (as a decoded JSON value: dict, list, str, number, bool,
None), field by field: proto names, populated fields only (proto3 defaults left out, a set
`optional` or oneof member kept), 64-bit integers as decimal strings, bytes as standard base64,
enums by name (an unknown number as the number), NaN and ±Infinity as strings, and the well-known
types in their JSON form. `EncodeError` is what protojson itself refuses (e.g. a Timestamp out of range).
"""

from __future__ import annotations

import base64
import math
from datetime import UTC, datetime, timedelta
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

from .gojson import float32_shortest
from .schema import (
    DURATION_NAME,
    EMPTY,
    FIELD_MASK,
    INT64,
    LIST_VALUE,
    NULL_VALUE,
    STRUCT,
    TIMESTAMP_NAME,
    UINT64,
    VALUE,
    WRAPPERS,
    T,
    is_map,
    repeated,
)

MIN_TIMESTAMP, MAX_TIMESTAMP = -62135596800, 253402300799  # 0001-01-01 .. 9999-12-31T23:59:59
MAX_DURATION = 315576000000  # ten thousand years of seconds
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class EncodeError(ValueError):
    """A message protojson will not marshal: the daemon's caller gets `protoToJson error`."""


def _float(value: float, kind: int) -> Any:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return float32_shortest(value) if kind == T.TYPE_FLOAT else float(value)


def scalar(value: Any, field: FieldDescriptor) -> Any:
    kind = field.type
    if kind in INT64 | UINT64:
        return str(int(value))
    if kind in (T.TYPE_DOUBLE, T.TYPE_FLOAT):
        return _float(value, kind)
    if kind == T.TYPE_BYTES:
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == T.TYPE_ENUM:
        if field.enum_type.full_name == NULL_VALUE:
            return None
        known = field.enum_type.values_by_number.get(int(value))
        return known.name if known is not None else int(value)
    if kind in (T.TYPE_MESSAGE, T.TYPE_GROUP):
        return to_json(value)
    if kind == T.TYPE_BOOL:
        return bool(value)
    if kind == T.TYPE_STRING:
        return str(value)
    return int(value)


def _map_key(key: Any, field: FieldDescriptor) -> str:
    if field.type == T.TYPE_BOOL:
        return "true" if key else "false"
    return str(key)


def populated(message: Message) -> list[tuple[FieldDescriptor, Any]]:
    """The fields protojson writes: those set (ListFields' view, as the binary form carries them)."""
    return list(message.ListFields())


def to_json(message: Message) -> Any:
    """What protojson writes for `message`, as a decoded JSON value."""
    desc = message.DESCRIPTOR
    special = _well_known(message, desc)
    if special is not _NOT_SPECIAL:
        return special
    out: dict[str, Any] = {}
    for field, value in populated(message):
        if is_map(field):
            entry = field.message_type.fields_by_name
            out[field.name] = {_map_key(k, entry["key"]): scalar(value[k], entry["value"]) for k in value}
        elif repeated(field):
            out[field.name] = [scalar(v, field) for v in value]
        else:
            out[field.name] = scalar(value, field)
    return out


_NOT_SPECIAL: Any = object()


def _fraction(whole: str, nanos: int) -> str:
    """protojson's 0, 3, 6 or 9 fraction digits."""
    text = f"{whole}.{nanos:09d}"
    for _ in range(2):
        text = text.removesuffix("000")
    return text.removesuffix(".000")


def timestamp(seconds: int, nanos: int) -> str:
    if not MIN_TIMESTAMP <= seconds <= MAX_TIMESTAMP or not 0 <= nanos < 10**9:
        raise EncodeError(f"google.protobuf.Timestamp: seconds {seconds}, nanos {nanos} out of range")
    m = _EPOCH + timedelta(seconds=seconds)
    whole = f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
    return _fraction(whole, nanos) + "Z"


def duration(seconds: int, nanos: int) -> str:
    if abs(seconds) > MAX_DURATION or abs(nanos) >= 10**9 or (seconds * nanos < 0):
        raise EncodeError(f"google.protobuf.Duration: seconds {seconds}, nanos {nanos} out of range")
    sign = "-" if seconds < 0 or nanos < 0 else ""
    return sign + _fraction(str(abs(seconds)), abs(nanos)) + "s"


def _camel(path: str) -> str:
    words = path.split("_")
    camel = words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])
    if any(c.isupper() for c in path) or _snake(camel) != path:
        raise EncodeError(f"google.protobuf.FieldMask.paths contains irreversible value {path!r}")
    return camel


def _snake(camel: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in camel)


def value_json(message: Message) -> Any:
    """A google.protobuf.Value's JSON."""
    kind = message.WhichOneof("kind")
    if kind is None:
        raise EncodeError("google.protobuf.Value: none of the oneof fields is set")
    if kind == "null_value":
        return None
    if kind == "number_value":
        number = message.number_value
        if math.isnan(number) or math.isinf(number):
            raise EncodeError(f"google.protobuf.Value: invalid {number} value")
        return float(number)
    if kind == "string_value":
        return message.string_value
    if kind == "bool_value":
        return bool(message.bool_value)
    if kind == "struct_value":
        return {k: value_json(v) for k, v in message.struct_value.fields.items()}
    return [value_json(v) for v in message.list_value.values]


def _well_known(message: Message, desc: Descriptor) -> Any:
    name = desc.full_name
    if name in WRAPPERS:
        field = desc.fields_by_name["value"]
        return scalar(getattr(message, "value"), field)  # noqa: B009  (a dynamic message's field)
    if name == TIMESTAMP_NAME:
        return timestamp(int(getattr(message, "seconds")), int(getattr(message, "nanos")))  # noqa: B009
    if name == DURATION_NAME:
        return duration(int(getattr(message, "seconds")), int(getattr(message, "nanos")))  # noqa: B009
    if name == STRUCT:
        return {k: value_json(v) for k, v in getattr(message, "fields").items()}  # noqa: B009
    if name == VALUE:
        return value_json(message)
    if name == LIST_VALUE:
        return [value_json(v) for v in getattr(message, "values")]  # noqa: B009
    if name == FIELD_MASK:
        return ",".join(_camel(p) for p in getattr(message, "paths"))  # noqa: B009
    if name == EMPTY:
        return {}
    return _NOT_SPECIAL
