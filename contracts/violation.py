"""A broken expectation, with everything needed to understand and reproduce it."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .exchange import Exchange, Received, Sent
from .visible import visible

_KEPT_BODY = 64 << 10  # bytes of an answer's body a finding keeps
_VALUES = re.compile(r"\"(?:[^\"\\\\]|\\\\.)*\"|'[^']*'|\d+")


@dataclass(frozen=True)
class Violation:
    check: str
    level: str
    operation: str
    request: str  # a curl line
    expected: str
    actual: str
    response: str = ""  # what came back, in short
    ground: str = ""  # the statement of the contract (or fact of the real system) it rests on
    # The request and the answer as data, for the JSON report and `aicontract replay` (the answer's body cut short).
    sent: Sent | None = field(default=None, compare=False, repr=False)
    received: Received | None = field(default=None, compare=False, repr=False)
    first_request: str = ""  # when shrunk: the curl line of the first failing case, larger than `request`

    @classmethod
    def of(
        cls, check: str, level: str, exchange: Exchange, expected: str, actual: str | None, ground: str = ""
    ) -> Violation:
        outcome = exchange.outcome()
        curl = exchange.sent.curl()
        got = exchange.received
        kept = None if got is None else Received(got.status, dict(got.headers), got.body[:_KEPT_BODY], [], got.complete)
        return cls(
            check, level, exchange.operation, curl, expected, actual or outcome, outcome, ground, exchange.sent, kept
        )

    def shrunk_from(self, first: Violation) -> Violation:
        """This (smaller) finding, naming the first failing case it was shrunk from."""
        return replace(self, first_request=first.request)

    def key(self) -> tuple[str, str, str, str]:
        """What makes two findings the same finding (the request may differ)."""
        # Values (ids, generated strings, numbers) differ from case to case; the finding does not.
        return (self.check, self.operation, self.expected, _VALUES.sub("…", self.actual)[:120])

    def as_dict(self) -> dict[str, Any]:
        fields = {
            name: getattr(self, name)
            for name in ("check", "level", "operation", "request", "expected", "actual", "response", "ground")
        }
        fields["request_data"] = None if self.sent is None else sent_data(self.sent)
        fields["response_data"] = None if self.received is None else received_data(self.received)
        fields["first_request"] = self.first_request or None
        return fields

    def render(self) -> str:
        """The finding as text to show: every field on its own line, with what a server sent
        (control bytes, ESC, newlines) escaped, so that it can neither drive a terminal nor
        break the lines of a report."""
        fields = [("expected", self.expected), ("got", self.actual)]
        if self.response and self.response != self.actual:
            fields.append(("response", self.response))
        fields.append(("request", self.request))
        if self.ground:
            fields.append(("ground", self.ground))
        head = visible(f"[{self.level}] {self.check} — {self.operation}")
        return "\n".join([head, *(f"  {label + ':':<10}{visible(text)}" for label, text in fields)])


def body_data(body: bytes | None) -> dict[str, str] | None:
    """A body as JSON can carry it: `{"text": ...}` when it is UTF-8, else `{"base64": ...}`."""
    if body is None:
        return None
    try:
        return {"text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(body).decode("ascii")}


def body_of(data: dict[str, str] | None) -> bytes | None:
    if data is None:
        return None
    return data["text"].encode("utf-8") if "text" in data else base64.b64decode(data["base64"])


def sent_data(sent: Sent) -> dict[str, Any]:
    return {"method": sent.method, "url": sent.url, "headers": dict(sent.headers), "body": body_data(sent.body)}


def sent_of(data: dict[str, Any]) -> Sent:
    return Sent(data["method"], data["url"], dict(data.get("headers") or {}), body_of(data.get("body")))


def received_data(received: Received) -> dict[str, Any]:
    return {
        "status": received.status,
        "headers": dict(received.headers),
        "body": body_data(received.body),
        "complete": received.complete,
    }
