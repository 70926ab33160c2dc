"""How the stub judges a request's keyword arguments against an endpoint's signature."""

from __future__ import annotations

from typing import Any, Literal

import pytest

from aicontract.stubs.covalent.arguments import ArgumentError, Signature, UnknownArgument, bind, conforms


@pytest.mark.parametrize(
    ("value", "hint", "ok"),
    [
        (1, int, True),
        (True, int, False),
        (1.0, int, False),
        (1, float, True),
        (False, bool, True),
        ("x", str | None, True),
        (None, str | None, True),
        (None, str, False),
        ([1, "a"], list[int | str], True),
        ([1, None], list[int | str], False),
        ([1, 2], tuple[int, int], True),
        ([1], tuple[int, int], False),
        ([1, 2, 3], tuple[int, ...], True),
        ({"a": 1}, dict[str, int], True),
        ({"a": "1"}, dict[str, int], False),
        ("b", Literal["a", "b"], True),
        ("c", Literal["a", "b"], False),
        ({"any": [1]}, Any, True),
        (object(), complex, True),  # a type JSON cannot express: not judged
    ],
)
def test_conforms(value: Any, hint: Any, ok: bool) -> None:
    assert conforms(value, hint) is ok


def hello(message: str, number: int, *, loud: bool = False) -> str:
    return message


SIG = Signature.of(hello)
DEFAULTS = {"message": "Hello, world!", "number": 42, "items": [1]}


def test_defaults_are_the_initializer_values_the_endpoint_names() -> None:
    assert bind("/hello", SIG, DEFAULTS, {}) == {"message": "Hello, world!", "number": 42}
    assert bind("/hello", SIG, DEFAULTS, {"number": 7, "loud": True}) == {
        "message": "Hello, world!",
        "number": 7,
        "loud": True,
    }


def test_unknown_mistyped_and_missing_arguments_are_refused() -> None:
    with pytest.raises(UnknownArgument, match="items"):
        bind("/hello", SIG, DEFAULTS, {"items": [2]})
    with pytest.raises(ArgumentError, match="'number' of /hello must be an integer, got the string '7'"):
        bind("/hello", SIG, DEFAULTS, {"number": "7"})
    with pytest.raises(ArgumentError, match="missing argument"):
        bind("/hello", SIG, {}, {"message": "x"})
    assert bind("/hello", SIG, DEFAULTS, {"number": "7"}, check_types=False)["number"] == "7"


def test_kwargs_endpoints_take_any_name() -> None:
    def anything(**kwargs: Any) -> None: ...

    assert bind("/x", Signature.of(anything), DEFAULTS, {"whatever": 1}) == {"whatever": 1}
