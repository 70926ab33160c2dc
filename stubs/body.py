"""Request bodies: a byte cap for every request, and JSON parsing with bounds on what a body may hold.

A body refused here is a `Refusal` (413 for size, 400 for the rest), so bad bytes never reach a
handler's logic: not valid UTF-8, not JSON, NaN or Infinity, a number beyond a float or longer than
`MAX_DIGITS` digits, a string with a lone surrogate (it cannot be encoded back to UTF-8), or nesting
deeper than `MAX_DEPTH`.
"""

from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .refusal import Refusal

MAX_BODY = 1 << 20
MAX_DEPTH = 64
MAX_DIGITS = 1000  # an int literal longer than this is refused (int() of a long one is slow)


class BodyCap:
    """ASGI middleware: reading more than `limit` body bytes raises Refusal(413) in the reader.

    The check happens when a handler reads the body, so a handler still refuses what it refuses
    first (an unknown path, a missing key) exactly as without the cap.
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit
        declared = dict(scope.get("headers") or []).get(b"content-length")
        seen = 0

        async def capped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                if declared is not None and (not declared.isdigit() or int(declared) > limit):
                    raise Refusal(413, f"body larger than {limit} bytes")
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise Refusal(413, f"body larger than {limit} bytes")
            return message

        await self.app(scope, capped, send)


async def read_body(request: Request) -> bytes:
    """The whole body (capped by `BodyCap`)."""
    return await request.body()


def _constant(name: str) -> Any:
    raise Refusal(400, f"the body is not valid JSON: {name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise Refusal(400, f"the body holds a number too large for a float: {text[:40]}")
    return value


def _int(text: str) -> int:
    if len(text) > MAX_DIGITS:
        raise Refusal(400, f"the body holds an integer of more than {MAX_DIGITS} digits")
    return int(text)


def parse_json(body: bytes) -> Any:
    """A body as JSON, or Refusal(400) saying what is wrong with it."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refusal(400, f"the body is not UTF-8 text (byte {exc.start})") from None
    try:
        doc = json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except RecursionError:
        raise Refusal(400, f"the body's JSON is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError as exc:  # JSONDecodeError
        raise Refusal(400, f"the body is not valid JSON: {exc}") from None
    _check_tree(doc)
    return doc


def _check_tree(doc: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and strings (keys too) with a lone surrogate."""
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, list | dict):
            if depth > MAX_DEPTH:
                raise Refusal(400, f"the body's JSON is nested deeper than {MAX_DEPTH} levels")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str):
                    _check_text(key)
                stack.append((item, depth + 1))


def _check_text(text: str) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise Refusal(400, "the body holds a string with a lone surrogate (\\ud800-\\udfff)") from None
