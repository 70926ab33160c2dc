"""What goes on the wire: JSON answers, `{"detail": ...}` errors, and reading a capped JSON body."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

JSON = "application/json"


def dumps(value: Any) -> bytes:
    # As FastAPI's JSONResponse: compact, raw UTF-8, and no NaN (it is not JSON).
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def answer(value: Any, status: int = 200, media_type: str = JSON) -> Response:
    return Response(dumps(value), status, media_type=media_type)


def error(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    return Response(dumps({"detail": detail}), status, headers, JSON)


class Refusal(Exception):
    """A request the stub turns down with a 4xx JSON error."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, detail)
        self.status, self.detail, self.headers = status, detail, headers

    def response(self) -> Response:
        return error(self.status, self.detail, self.headers)


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


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def parse_arguments(body: bytes) -> dict[str, Any]:
    """A request body as keyword arguments: a JSON object, whatever the Content-Type (an empty body: none)."""
    if not body.strip():
        return {}
    try:
        doc = json.loads(body.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise Refusal(400, "the body is not UTF-8 text") from None
    except RecursionError:
        raise Refusal(400, "the body's JSON is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, and ints with too many digits
        raise Refusal(400, f"the body is not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise Refusal(422, "the body must be a JSON object of keyword arguments")
    return doc
