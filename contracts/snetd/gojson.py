"""JSON as Go's `encoding/json` writes a decoded `map[string]any`: what the daemon puts on the wire.

The daemon decodes protojson's output into a map (every number becomes a float64) and marshals it
again: compact, map keys sorted at every level, `<`, `>`, `&`, U+2028 and U+2029 escaped, and
floats in Go's own format (plain digits from 1e-6 up to 1e21, else `1e-7` / `1e+21`).
"""

from __future__ import annotations

import math
import struct
from typing import Any

_HEX = "0123456789abcdef"
_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_HTML = {"<", ">", "&"}


def _digits(x: float) -> tuple[str, int]:
    """The shortest decimal digits that read back as `x` (> 0), and the point's position:
    x = 0.DIGITS × 10**point."""
    text = repr(x)
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # position of the point relative to the first significant digit
    point = len(whole) + int(exponent or 0) - (len(whole + fraction) - len((whole + fraction).lstrip("0")))
    digits = digits.rstrip("0") or "0"
    return digits, point


def go_float(x: float) -> str:
    """`encoding/json`'s float64 encoding ('f' or 'e' with the shortest digits; e-07 written e-7)."""
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        raise ValueError(f"json: unsupported value: {x}")  # Go's Marshal refuses them too
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    sign = "-" if x < 0 else ""
    digits, point = _digits(abs(x))
    if 1e-6 <= abs(x) < 1e21:
        if point <= 0:
            body = "0." + "0" * -point + digits
        elif point >= len(digits):
            body = digits + "0" * (point - len(digits))
        else:
            body = digits[:point] + "." + digits[point:]
        return sign + body
    exp = point - 1
    mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    exp_text = f"{abs(exp):02d}"
    if exp < 0 and len(exp_text) == 2 and exp_text[0] == "0":
        exp_text = exp_text[1]  # Go's clean-up: e-07 -> e-7 (only for negative exponents)
    return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{exp_text}"


def float32_shortest(x: float) -> float:
    """The float64 that protojson's 32-bit shortest form of `x` (a float field) reads back as."""
    if math.isnan(x) or math.isinf(x) or x == 0:
        return x
    single = struct.unpack("<f", struct.pack("<f", x))[0]
    for precision in range(1, 10):
        text = f"{single:.{precision - 1}e}"
        try:
            if struct.unpack("<f", struct.pack("<f", float(text)))[0] == single:
                return float(text)
        except OverflowError:  # rounded past the largest float32
            continue
    return float(single)


def go_string(text: str) -> str:
    """A string as `encoding/json` escapes it (HTML-safe, Go ≥ 1.22's \\b and \\f)."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif code < 0x20 or ch in _HTML:
            out.append(f"\\u00{_HEX[code >> 4]}{_HEX[code & 0xF]}")
        elif ch in ("\u2028", "\u2029"):
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")  # not UTF-8: Go writes the replacement character
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def encode(value: Any) -> str:
    """Marshal a decoded JSON value (dict / list / str / bool / None / number) as Go would."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return go_string(value)
    if isinstance(value, int | float):
        return go_float(float(value))  # a map holds every number as a float64
    if isinstance(value, dict):
        items = sorted(value.items())  # code-point order is UTF-8 byte order: Go's sort
        return "{" + ",".join(f"{go_string(k)}:{encode(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(encode(v) for v in value) + "]"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def dumps(value: Any) -> bytes:
    return encode(value).encode("utf-8")


def as_float64(value: Any) -> Any:
    """A JSON value as a Go `any` holds it after decoding: every number a float64."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dict):
        return {k: as_float64(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_float64(v) for v in value]
    raise TypeError(f"not a JSON value: {type(value).__name__}")
