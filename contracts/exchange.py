"""One request and what came back, recorded so a violation can show and reproduce it."""

from __future__ import annotations

import base64
import gzip
import json
import shlex
from dataclasses import dataclass, field
from typing import Any

from .visible import plain

_EXCERPT = 400
_INLINE_BODY = 4096  # bytes of body a curl line carries literally


@dataclass
class Sent:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def curl(self) -> str:
        """A shell (bash) line that sends the same request again, byte for byte.

        It holds no raw control byte: a word that would not show as it is travels `$'...'`-quoted,
        and a body a shell word cannot hold (a NUL, a leading `@`, or simply large) is rebuilt on
        stdin by printf (or base64 and gunzip) and sent with `--data-binary @-`.
        """
        parts = ["curl", "-sS", "-i", "-X", _word(self.method)]
        for name, value in self.headers.items():
            parts += ["-H", _word(f"{name}: {value}")]
        if self.body is not None and not any(n.lower() == "content-type" for n in self.headers):
            parts += ["-H", "Content-Type:"]  # curl would otherwise add a form Content-Type
        url = _word(self.url)
        body = self.body
        if body is not None and len(body) > _INLINE_BODY:
            # A large body travels gzipped and base64-encoded: still one line that sends it exactly.
            packed = base64.b64encode(gzip.compress(body, mtime=0)).decode()
            return f"printf %s {shlex.quote(packed)} | base64 -d | gunzip | " + " ".join(
                [*parts, "--data-binary", "@-", url]
            )
        if body is not None and (b"\0" in body or body.startswith(b"@")):
            # No shell word holds a NUL, and curl reads a file for a word starting with `@`.
            return f"printf '{_printf_format(body)}' | " + " ".join([*parts, "--data-binary", "@-", url])
        if body is not None:
            parts += ["--data-binary", _bytes_word(body)]
        return " ".join([*parts, url])


def _word(text: str) -> str:
    """One shell word that stands for `text`."""
    return shlex.quote(text) if plain(text) else _ansi_c(text.encode("utf-8", "surrogatepass"))


def _bytes_word(data: bytes) -> str:
    try:
        return _word(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _ansi_c(data)


_C_NAMED = {0x0A: "\\n", 0x09: "\\t", 0x0D: "\\r", 0x5C: "\\\\", 0x27: "\\'"}


def _ansi_c(data: bytes) -> str:
    """bash's `$'...'` quoting: printable ASCII as itself, every other byte as an escape."""
    return "$'" + "".join(_C_NAMED.get(b) or (chr(b) if 0x20 <= b < 0x7F else f"\\x{b:02x}") for b in data) + "'"


def _printf_format(data: bytes) -> str:
    """A printf format (inside single quotes) that prints `data`: octal escapes, which every printf reads."""
    return "".join(chr(b) if 0x20 <= b < 0x7F and b not in b"\\'%" else f"\\{b:03o}" for b in data)


@dataclass
class Received:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    chunks: list[tuple[float, bytes]] = field(default_factory=list)  # streams: (seconds, bytes)
    complete: bool = True  # False when a bound cut the body short

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    def json(self) -> Any:
        return json.loads(self.body)

    def summary(self) -> str:
        ctype = self.content_type or "no Content-Type"
        text = self.body[:_EXCERPT].decode("utf-8", "replace")
        more = "…" if len(self.body) > _EXCERPT else ""
        cut = "" if self.complete else " (cut short by a bound)"
        return (
            f"HTTP {self.status} {ctype}{cut}: {text}{more}" if text else f"HTTP {self.status} {ctype}{cut}, empty body"
        )


@dataclass
class Exchange:
    operation: str  # e.g. "POST /service_run"
    sent: Sent
    received: Received | None
    error: str | None = None  # why nothing (or not everything) came back: timeout, refused, ...
    elapsed: float = 0.0

    @property
    def status(self) -> int | None:
        """The response's status; None when nothing came back."""
        return self.received.status if self.received is not None else None

    def outcome(self) -> str:
        if self.received is None:
            return f"no response: {self.error}"
        tail = f" [{self.error}]" if self.error else ""
        return self.received.summary() + tail

    def json(self) -> Any:
        """The response body as JSON, or None when there is none or it does not parse."""
        if self.received is None:
            return None
        try:
            return self.received.json()
        except ValueError:
            return None
