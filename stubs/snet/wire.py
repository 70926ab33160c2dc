"""What goes on the wire: JSON answers, `{"error": ...}` refusals, and request bodies read as JSON."""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import Response

from ..body import parse_json
from ..refusal import Refusal

JSON = "application/json"


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def answer(value: Any, status: int = 200) -> Response:
    return Response(dumps(value), status, media_type=JSON)


def error(refusal: Refusal) -> Response:
    """A refusal as the daemon's caller sees it: `Unavailable: upstream http status <status>: {"error": ...}`."""
    return Response(dumps({"error": refusal.message}), refusal.status, refusal.headers, JSON)


def json_value(body: bytes) -> Any:
    """The body as JSON (an object for a message input; a wrapper type's input is a bare value), or Refusal(400).

    The shared reader's bounds refuse nothing the daemon sends: protojson writes NaN and Infinity as
    strings, never a number beyond a double, valid UTF-8 only, and messages far shallower than 64.
    """
    return parse_json(body)
