"""`encoding`: the codec a client decoded the model's (or data's) bytes with into a string.

PyGrid's client sends `bytes.decode("ISO-8859-1")` and names that codec; the node rebuilds the bytes
with `str.encode(encoding)`. Only a codec that maps each of the 256 byte values to one character
carries arbitrary bytes losslessly; UTF-8 does not.
"""

from __future__ import annotations

import codecs
import functools

from .wire import NodeRefusal

_EVERY_BYTE = bytes(range(256))


@functools.cache
def _lookup(name: str) -> codecs.CodecInfo | None:
    try:
        info = codecs.lookup(name)
        "".encode(info.name)  # transforms such as rot13 or base64 are not text encodings
    except (LookupError, ValueError, TypeError):
        return None
    return info


@functools.cache
def byte_transparent(name: str) -> bool:
    info = _lookup(name)
    if info is None:
        return False
    try:
        text = _EVERY_BYTE.decode(info.name)
    except UnicodeDecodeError:
        return False
    return len(text) == 256 and text.encode(info.name) == _EVERY_BYTE


def check(name: str, *, lossless: bool) -> str:
    """The codec's name, or NodeRefusal(400) for an unknown codec (or, when `lossless`, a lossy one)."""
    if len(name) > 64 or _lookup(name) is None:
        raise NodeRefusal.of(400, f"unknown encoding {name[:64]!r}: name a codec such as ISO-8859-1")
    if lossless and not byte_transparent(name):
        raise NodeRefusal.of(400, f"encoding {name!r} cannot carry arbitrary bytes losslessly: use ISO-8859-1")
    return name


def to_bytes(text: str, name: str, what: str) -> bytes:
    try:
        return text.encode(name)
    except UnicodeEncodeError:
        raise NodeRefusal.of(
            400, f"{what} has characters that {name} cannot encode: decode the bytes with it"
        ) from None


def to_text(data: bytes, name: str) -> str:
    return data.decode(name)
