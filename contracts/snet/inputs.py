"""Input messages generated from their types (Hypothesis), weighted toward the values that break services:
zero and defaults (left out of the body), the whole 64-bit range (strings on the wire), negative
sint/sfixed values, NaN and ±Infinity, empty and non-ASCII strings with `<`, `>`, `&` and U+2028.
"""

from __future__ import annotations

import functools
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message
from hypothesis import strategies as st

from ..snetd.protojson import MAX_DURATION, MAX_TIMESTAMP, MIN_TIMESTAMP
from ..snetd.protos import message_class
from ..snetd.schema import (
    DURATION_NAME,
    EMPTY,
    FIELD_MASK,
    INT32,
    INT64,
    LIST_VALUE,
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

MAX_DEPTH = 3  # nesting of generated messages (recursive types stop here)
MAX_ITEMS = 3  # elements of a generated repeated field or map
EDGE_STRINGS = ["", "<>&", "a\u2028b\u2029", "é ü 漢字 😀", "\b\f\n\t\x00\x1f\x7f", '"\\/', "\ufeff", "x" * 300]
EDGE_DOUBLES = [0.0, -0.0, 1.0, -1.5, 0.1, 1e20, 1e21, 1e-6, 1e-7, 123456789.125, 5e-324, 1.7976931348623157e308]
SPECIAL_FLOATS = [float("nan"), float("inf"), float("-inf")]
EDGE_BYTES = [b"", b"\x00", b"\xfb\xff\xbf", bytes(range(256))]


def _ints(low: int, high: int) -> st.SearchStrategy[int]:
    edges = sorted({low, high, 0, 1, -1, 2**31 - 1, 2**32 - 1, 2**53, 2**53 + 1, 2**63 - 1, 2**63, -(2**63)})
    inside = [e for e in edges if low <= e <= high]
    return st.one_of(st.sampled_from(inside), st.integers(low, high))


def _scalar(kind: int) -> st.SearchStrategy[Any]:
    if kind in INT32:
        return _ints(-(2**31), 2**31 - 1)
    if kind in UINT32:
        return _ints(0, 2**32 - 1)
    if kind in INT64:
        return _ints(-(2**63), 2**63 - 1)
    if kind in UINT64:
        return _ints(0, 2**64 - 1)
    if kind == T.TYPE_DOUBLE:
        return st.one_of(st.sampled_from(EDGE_DOUBLES + SPECIAL_FLOATS), st.floats())
    if kind == T.TYPE_FLOAT:
        return st.one_of(st.sampled_from([*EDGE_DOUBLES[:9], *SPECIAL_FLOATS]), st.floats(width=32))
    if kind == T.TYPE_BOOL:
        return st.booleans()
    if kind == T.TYPE_STRING:
        return st.one_of(st.sampled_from(EDGE_STRINGS), st.text(st.characters(codec="utf-8"), max_size=20))
    if kind == T.TYPE_BYTES:
        return st.one_of(st.sampled_from(EDGE_BYTES), st.binary(max_size=20))
    raise ValueError(f"not a scalar type: {kind}")


def _value(depth: int) -> st.SearchStrategy[Any]:
    """A google.protobuf.Value's Python form (numbers finite: protojson refuses NaN there)."""
    leaves = st.one_of(
        st.none(), st.booleans(), st.floats(allow_nan=False, allow_infinity=False), _scalar(T.TYPE_STRING)
    )
    if depth >= MAX_DEPTH:
        return leaves
    inner = _value(depth + 1)
    return st.one_of(
        leaves, st.lists(inner, max_size=MAX_ITEMS), st.dictionaries(_scalar(T.TYPE_STRING), inner, max_size=MAX_ITEMS)
    )


def _set_value(target: Message, value: Any) -> None:
    """Fill a google.protobuf.Value from its Python form."""
    if value is None:
        setattr(target, "null_value", 0)  # noqa: B010  (a dynamic message's field)
    elif isinstance(value, bool):
        setattr(target, "bool_value", value)  # noqa: B010
    elif isinstance(value, float):
        setattr(target, "number_value", value)  # noqa: B010
    elif isinstance(value, str):
        setattr(target, "string_value", value)  # noqa: B010
    elif isinstance(value, list):
        items = getattr(target, "list_value")  # noqa: B009
        items.SetInParent()
        for v in value:
            _set_value(items.values.add(), v)
    else:
        fields = getattr(target, "struct_value")  # noqa: B009
        fields.SetInParent()
        for k, v in value.items():
            _set_value(fields.fields[k], v)


def _well_known(desc: Descriptor, depth: int) -> st.SearchStrategy[Message] | None:
    cls = message_class(desc)
    name = desc.full_name
    if name in WRAPPERS:
        return _scalar(WRAPPERS[name]).map(lambda v: cls(value=v))
    if name == TIMESTAMP_NAME:
        seconds = st.one_of(st.sampled_from([0, -1, MIN_TIMESTAMP, MAX_TIMESTAMP]), st.integers(-(10**10), 10**10))
        nanos = st.one_of(st.sampled_from([0, 1, 100_000_000, 123_000, 999_999_999]), st.integers(0, 10**9 - 1))
        return st.builds(lambda s, n: cls(seconds=s, nanos=n), seconds, nanos)
    if name == DURATION_NAME:
        seconds = st.one_of(st.sampled_from([0, 1, -1, MAX_DURATION, -MAX_DURATION]), st.integers(-(10**6), 10**6))
        nanos = st.one_of(st.sampled_from([0, 500_000_000, 1]), st.integers(0, 10**9 - 1))

        def duration(s: int, n: int) -> Message:
            return cls(seconds=s, nanos=-n if s < 0 else n)

        return st.builds(duration, seconds, nanos)
    if name == FIELD_MASK:
        path = st.from_regex(r"\A[a-z]{1,6}(_[a-z]{1,6}){0,2}\Z")
        return st.lists(path, max_size=MAX_ITEMS).map(lambda ps: cls(paths=ps))
    if name == EMPTY:
        return st.just(cls())
    if name in (STRUCT, LIST_VALUE, VALUE):
        shape: st.SearchStrategy[Any]
        if name == STRUCT:
            shape = st.dictionaries(_scalar(T.TYPE_STRING), _value(depth + 1), max_size=MAX_ITEMS)
        elif name == LIST_VALUE:
            shape = st.lists(_value(depth + 1), max_size=MAX_ITEMS)
        else:
            shape = _value(depth)

        def build(v: Any) -> Message:
            m = cls()
            if name == STRUCT:
                for k, item in v.items():
                    _set_value(getattr(m, "fields")[k], item)  # noqa: B009
            elif name == LIST_VALUE:
                for item in v:
                    _set_value(getattr(m, "values").add(), item)  # noqa: B009
            else:
                _set_value(m, v)
            return m

        return shape.map(build)
    return None


def _element(field: FieldDescriptor, depth: int) -> st.SearchStrategy[Any]:
    if field.type in (T.TYPE_MESSAGE, T.TYPE_GROUP):
        return messages(field.message_type, depth + 1)
    if field.type == T.TYPE_ENUM:
        numbers = [v.number for v in field.enum_type.values]
        return st.one_of(st.sampled_from(numbers), st.just(max(numbers) + 7))  # an unknown number too
    return _scalar(field.type)


def _assign(msg: Message, field: FieldDescriptor, value: Any) -> None:
    slot = getattr(msg, field.name)
    if is_map(field):
        value_field = field.message_type.fields_by_name["value"]
        for k, v in value.items():
            if value_field.type == T.TYPE_MESSAGE:
                slot[k].CopyFrom(v)
            else:
                slot[k] = v
    elif repeated(field):
        if field.type == T.TYPE_MESSAGE:
            for v in value:
                slot.add().CopyFrom(v)
        else:
            slot.extend(value)
    elif field.type == T.TYPE_MESSAGE:
        slot.CopyFrom(value)
    else:
        setattr(msg, field.name, value)


def _field(field: FieldDescriptor, depth: int) -> st.SearchStrategy[Any]:
    if is_map(field):
        entry = field.message_type.fields_by_name
        return st.dictionaries(_element(entry["key"], depth), _element(entry["value"], depth), max_size=MAX_ITEMS)
    if repeated(field):
        return st.lists(_element(field, depth), max_size=MAX_ITEMS)
    return _element(field, depth)


@functools.cache
def messages(desc: Descriptor, depth: int = 0) -> st.SearchStrategy[Message]:
    """Messages of type `desc`: each field left unset, set to an edge value, or to any value."""
    special = _well_known(desc, depth)
    if special is not None:
        return special
    cls = message_class(desc)
    if depth > MAX_DEPTH:
        return st.just(cls())
    # A real oneof contributes at most one member; proto3 `optional` is a one-member oneof.
    choices = [o for o in desc.oneofs if not (len(o.fields) == 1 and o.name == f"_{o.fields[0].name}")]
    in_choice = {f.name for o in choices for f in o.fields}
    plain = [f for f in desc.fields if f.name not in in_choice]
    parts: dict[str, st.SearchStrategy[Any]] = {f.name: st.none() | _field(f, depth) for f in plain}
    for oneof in choices:
        members = st.sampled_from(list(oneof.fields))
        parts[f"oneof:{oneof.name}"] = st.none() | members.flatmap(lambda f: st.tuples(st.just(f), _field(f, depth)))

    def build(drawn: dict[str, Any]) -> Message:
        msg = cls()
        for key, value in drawn.items():
            if value is None:
                continue
            if key.startswith("oneof:"):
                field, value = value
            else:
                field = desc.fields_by_name[key]
            _assign(msg, field, value)
        return msg

    return st.fixed_dictionaries(parts).map(build)


# -- fixed edge messages: the values a service most often trips over, without waiting for chance --

_HIGH: dict[int, Any] = {
    **dict.fromkeys(INT32, 2**31 - 1),
    **dict.fromkeys(UINT32, 2**32 - 1),
    **dict.fromkeys(INT64, 2**63 - 1),
    **dict.fromkeys(UINT64, 2**64 - 1),
    T.TYPE_DOUBLE: 1e21,
    T.TYPE_FLOAT: 1e-7,
    T.TYPE_BOOL: True,
    T.TYPE_STRING: "<a href='x'>&amp;</a>\u2028é漢😀",
    T.TYPE_BYTES: b"\xfb\xff\xbf\x00",
}
_LOW: dict[int, Any] = {
    **dict.fromkeys(INT32, -(2**31)),
    **dict.fromkeys(UINT32, 1),
    **dict.fromkeys(INT64, -(2**63)),
    **dict.fromkeys(UINT64, 2**63),
    T.TYPE_DOUBLE: float("-inf"),
    T.TYPE_FLOAT: float("nan"),
    T.TYPE_BOOL: True,
    T.TYPE_STRING: '\b\f\x00\t"\\',
    T.TYPE_BYTES: b"-_",
}
EDGE_VARIANTS = ("high", "low")


def _edge_value(field: FieldDescriptor, variant: str, depth: int) -> Any:
    if field.type in (T.TYPE_MESSAGE, T.TYPE_GROUP):
        return edge(field.message_type, variant, depth + 1)
    if field.type == T.TYPE_ENUM:
        values = [v.number for v in field.enum_type.values]
        return max(values) if variant == "high" else min(v for v in values if v != 0) if len(values) > 1 else values[0]
    return (_HIGH if variant == "high" else _LOW)[field.type]


def edge(desc: Descriptor, variant: str = "high", depth: int = 0) -> Message:
    """A message with every field set to an extreme of its type (the first member of each oneof)."""
    cls = message_class(desc)
    special = _well_known(desc, depth)
    if special is not None or depth > MAX_DEPTH:
        return _edge_well_known(desc, cls, variant)
    msg = cls()
    chosen: set[str] = set()
    for field in desc.fields:
        oneof = field.containing_oneof
        if oneof is not None and not (len(oneof.fields) == 1 and oneof.name == f"_{field.name}"):
            if oneof.name in chosen:
                continue
            chosen.add(oneof.name)
        if is_map(field):
            entry = field.message_type.fields_by_name
            _assign(
                msg, field, {_edge_value(entry["key"], variant, depth): _edge_value(entry["value"], variant, depth)}
            )
        elif repeated(field):
            _assign(msg, field, [_edge_value(field, variant, depth)])
        else:
            _assign(msg, field, _edge_value(field, variant, depth))
    return msg


def _edge_well_known(desc: Descriptor, cls: type[Message], variant: str) -> Message:
    name = desc.full_name
    if name in WRAPPERS:
        return cls(value=(_HIGH if variant == "high" else _LOW)[WRAPPERS[name]])
    if name == TIMESTAMP_NAME:
        return cls(seconds=MAX_TIMESTAMP if variant == "high" else MIN_TIMESTAMP, nanos=999_999_999)
    if name == DURATION_NAME:
        return cls(seconds=MAX_DURATION if variant == "high" else -MAX_DURATION, nanos=0)
    if name in (STRUCT, VALUE, LIST_VALUE):
        built = cls()
        sample = {"n": 1e21, "s": "<&>", "l": [None, True]}
        if name == STRUCT:
            for k, v in sample.items():
                _set_value(getattr(built, "fields")[k], v)  # noqa: B009
        elif name == LIST_VALUE:
            _set_value(getattr(built, "values").add(), "<&>")  # noqa: B009
        else:
            _set_value(built, sample)
        return built
    if name == FIELD_MASK:
        return cls(paths=["a_b", "c"])
    return cls()


def draw(desc: Descriptor, count: int, seed: int | None = None) -> list[Message]:
    """`count` generated messages of type `desc`, reproducible for a given seed."""
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import seed as seeded

    drawn: list[Message] = []

    @settings(
        max_examples=count,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        deadline=None,
        derandomize=seed is None,
    )
    @given(messages(desc))
    def collect(message: Message) -> None:
        drawn.append(message)

    (seeded(seed)(collect) if seed is not None else collect)()
    return drawn[:count]
