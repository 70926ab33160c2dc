"""What goes on the wire: JSON answers, `{"error": ...}` refusals, and a capped body."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

JSON = "application/json"


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def answer(value: Any, status: int = 200) -> Response:
    return Response(dumps(value), status, media_type=JSON)


class Refusal(Exception):
    """A request the stub turns down with a JSON error; the daemon's caller sees
    `Unavailable: upstream http status <status>: {"error": ...}`."""

    def __init__(self, status: int, error: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, error)
        self.status, self.error, self.headers = status, error, headers

    def response(self) -> Response:
        return Response(dumps({"error": self.error}), self.status, self.headers, JSON)


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, or Refusal(413) as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    too_big = Refusal(413, f"body larger than {limit} bytes")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise too_big
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def json_value(body: bytes) -> Any:
    """The body as JSON (an object for a message input; a wrapper type's input is a bare value), or Refusal(400)."""
    try:
        doc = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise Refusal(400, "the body is not UTF-8 text") from None
    except RecursionError:
        raise Refusal(400, "the body's JSON is nested too deeply") from None
    except ValueError as exc:
        raise Refusal(400, f"the body is not valid JSON: {exc}") from None
    return doc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")
