"""Text made safe to show: what a server sent can neither drive a terminal nor break a report.

Control characters (C0, DEL, C1: ESC among them), bidirectional overrides, line and paragraph
separators, lone surrogates and the non-characters U+FFFE/U+FFFF appear as visible escapes
(`\\x1b`, `\\n`, `\\u202e`), never raw. What remains is printable, and valid in XML 1.0.
"""

from __future__ import annotations

import re

_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufeff\ufffe\uffff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    code = ord(char)
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible(text: str) -> str:
    """`text` with every character that could hide, move or recolour what is shown escaped."""
    return _HIDDEN.sub(_escape, text)


def plain(text: str) -> bool:
    """Whether `text` shows as it is (nothing in it would be escaped)."""
    return _HIDDEN.search(text) is None
