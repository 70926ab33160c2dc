"""One request and what came back, recorded so a violation can show and reproduce it."""

from __future__ import annotations

import base64
import gzip
import json
import shlex
from dataclasses import dataclass, field
from typing import Any

_EXCERPT = 400
_INLINE_BODY = 4096  # bytes of body a curl line carries literally


@dataclass
class Sent:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def curl(self) -> str:
        """A shell line that sends the same request again."""
        parts = ["curl", "-sS", "-i", "-X", self.method]
        for name, value in self.headers.items():
            parts += ["-H", f"{name}: {value}"]
        if self.body is not None and not any(n.lower() == "content-type" for n in self.headers):
            parts += ["-H", "Content-Type:"]  # curl would otherwise add a form Content-Type
        if self.body is not None and len(self.body) > _INLINE_BODY:
            # A large body travels gzipped and base64-encoded: still one line that sends it exactly.
            packed = base64.b64encode(gzip.compress(self.body, mtime=0)).decode()
            return f"printf %s {shlex.quote(packed)} | base64 -d | gunzip | " + shlex.join(
                [*parts, "--data-binary", "@-", self.url]
            )
        if self.body is not None:
            try:
                parts += ["--data-binary", self.body.decode("utf-8")]
            except UnicodeDecodeError:
                # Bytes a shell cannot hold literally: let printf rebuild them.
                escaped = "".join(f"\\x{b:02x}" for b in self.body)
                return shlex.join([*parts, "--data-binary", "@-", self.url]) + f" < <(printf '{escaped}')"
        parts.append(self.url)
        return shlex.join(parts)


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
