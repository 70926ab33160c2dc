"""What goes on the wire: JSON answers, `{"detail": ...}` errors, and a body as keyword arguments."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

from ..body import parse_json
from ..refusal import Refusal

JSON = "application/json"


def dumps(value: Any) -> bytes:
    # As FastAPI's JSONResponse: compact, raw UTF-8, and no NaN (it is not JSON).
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def answer(value: Any, status: int = 200, media_type: str = JSON) -> Response:
    return Response(dumps(value), status, media_type=media_type)


def error(status: int, detail: str, headers: Mapping[str, str] | None = None) -> Response:
    return Response(dumps({"detail": detail}), status, headers, JSON)


def refused(refusal: Refusal) -> Response:
    """Every refusal of the stub, as Covalent words its errors: `{"detail": ...}`."""
    return error(refusal.status, refusal.message, refusal.headers)


def parse_arguments(body: bytes) -> dict[str, Any]:
    """A request body as keyword arguments: a JSON object, whatever the Content-Type (an empty body: none)."""
    if not body.strip():
        return {}
    doc = parse_json(body)
    if not isinstance(doc, dict):
        raise Refusal(422, "the body must be a JSON object of keyword arguments")
    return doc
