"""Keyword arguments of an endpoint call: override the initializer's defaults, checked against the signature.

Covalent passes an endpoint the initializer's return values whose names appear in its signature;
a request's JSON object overrides them by name. The stub also judges each supplied value against
the parameter's type hint (as far as a JSON value can be judged), so that a mistyped argument is a
422 and never a crash inside the endpoint.
"""

from __future__ import annotations

import collections.abc
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Signature:
    """What an endpoint function accepts, read once when the endpoint is declared."""

    names: tuple[str, ...]  # parameters that can be passed by keyword, in order
    required: frozenset[str]  # those without a default of their own
    hints: Mapping[str, Any]
    open: bool  # takes **kwargs: any name is accepted

    @classmethod
    def of(cls, func: Callable[..., Any]) -> Signature:
        params = inspect.signature(func).parameters.values()
        keyword = [p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        try:
            hints = typing.get_type_hints(func)
        except Exception:  # unresolvable string annotations: judge nothing rather than fail
            hints = {}
        return cls(
            names=tuple(p.name for p in keyword),
            required=frozenset(p.name for p in keyword if p.default is p.empty),
            hints={p.name: hints[p.name] for p in keyword if p.name in hints},
            open=any(p.kind is p.VAR_KEYWORD for p in params),
        )


class ArgumentError(Exception):
    """The request's arguments do not fit the endpoint (a 422)."""


class UnknownArgument(ArgumentError):
    """An argument the endpoint does not take."""


def bind(
    route: str,
    sig: Signature,
    defaults: Mapping[str, Any],
    supplied: Mapping[str, Any],
    *,
    check_types: bool = True,
) -> dict[str, Any]:
    """The keyword arguments to call the endpoint with, or ArgumentError saying what is wrong."""
    unknown = [k for k in supplied if k not in sig.names]
    if unknown and not sig.open:
        takes = ", ".join(sig.names) or "no arguments"
        raise UnknownArgument(f"unknown argument(s) for {route}: {', '.join(sorted(unknown))}; it takes {takes}")
    if check_types:
        for name, value in supplied.items():
            hint = sig.hints.get(name, Any)
            if not conforms(value, hint):
                raise ArgumentError(f"argument {name!r} of {route} must be {describe(hint)}, got {_found(value, hint)}")
    arguments = {k: v for k, v in defaults.items() if k in sig.names}
    arguments.update(supplied)
    missing = sorted(sig.required - set(arguments))
    if missing:
        raise ArgumentError(f"missing argument(s) for {route}: {', '.join(missing)}")
    return arguments


def conforms(value: Any, hint: Any) -> bool:
    """Whether a JSON value fits a type hint; hints the stub cannot judge accept anything."""
    if hint is Any or hint is object:
        return True
    if hint is None or hint is type(None):
        return value is None
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        return any(conforms(value, a) for a in args)
    if origin is typing.Literal:
        return any(value == a and type(value) is type(a) for a in args)
    if origin is typing.Annotated:
        return conforms(value, args[0])
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is str:
        return isinstance(value, str)
    base = origin or hint
    if base in (list, collections.abc.Sequence, collections.abc.Iterable, collections.abc.Collection):
        item = args[0] if args else Any
        return isinstance(value, list) and all(conforms(v, item) for v in value)
    if base is tuple:
        if not isinstance(value, list):
            return False
        if len(args) == 2 and args[1] is Ellipsis:
            return all(conforms(v, args[0]) for v in value)
        return not args or (len(args) == len(value) and all(conforms(v, a) for v, a in zip(value, args, strict=True)))
    if base in (dict, collections.abc.Mapping):
        item = args[1] if len(args) == 2 else Any
        return isinstance(value, dict) and all(conforms(v, item) for v in value.values())
    return True


def describe(hint: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", type(None): "null"}
    if hint in names:
        return names[hint]
    if hint is None:
        return "null"
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return " or ".join(describe(a) for a in typing.get_args(hint))
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(hint))
    if origin is typing.Annotated:
        return describe(typing.get_args(hint)[0])
    base = origin or hint
    if base in (list, tuple, collections.abc.Sequence, collections.abc.Iterable, collections.abc.Collection):
        args = typing.get_args(hint)
        return f"an array (items: {describe(args[0])})" if args and args[0] is not Any else "an array"
    if base in (dict, collections.abc.Mapping):
        return "an object"
    return getattr(hint, "__name__", str(hint))


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    return "an array" if isinstance(value, list) else "an object"


def _found(value: Any, hint: Any) -> str:
    """What a non-conforming value is, pointing at the first bad item of an array."""
    args = typing.get_args(hint)
    if isinstance(value, list) and typing.get_origin(hint) is list and args:
        bad = next((i for i, v in enumerate(value) if not conforms(v, args[0])), None)
        if bad is not None:
            return f"an array whose item {bad} is {_json_type(value[bad])}"
    return _json_type(value)
