"""How each profile puts answers on the wire: JSON envelopes, SSE frames, error pages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

DOCUMENTED, UPSTREAM = "documented", "upstream"
PROFILES = (DOCUMENTED, UPSTREAM)

# Werkzeug's pages, byte for byte (upstream profile).
_HTML_405 = (
    b"<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n"
    b"<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n"
)
_HTML_404 = (
    b"<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
    b"<p>The requested URL was not found on the server. If you entered the URL manually please "
    b"check your spelling and try again.</p>\n"
)
_UPSTREAM_HEADERS = {"server": "Werkzeug/3.1.9 Python/3.11.7", "connection": "close"}


def envelope(
    profile: str,
    *,
    success: bool,
    result: Any = None,
    message: str | None = None,
    request_id: str | None = None,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body = {"message": message, "request_id": request_id, "result": result, "success": success}
    if profile == UPSTREAM:
        # Flask's jsonify: sorted keys, compact, raw UTF-8, trailing newline.
        text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
        return Response(text.encode(), status, {**_UPSTREAM_HEADERS, **(headers or {})}, "application/json")
    text = json.dumps(
        {"success": success, "result": result, "message": message, "request_id": request_id},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return Response(text.encode(), status, headers, media_type="application/json")


def failure(profile: str, status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    return envelope(profile, success=False, message=message, status=status, headers=headers)


def not_found_page(profile: str) -> Response:
    if profile == UPSTREAM:
        return Response(_HTML_404, 404, _UPSTREAM_HEADERS, "text/html; charset=utf-8")
    return failure(profile, 404, "no such path")


def method_not_allowed_page(profile: str, allow: str) -> Response:
    if profile == UPSTREAM:
        headers = {**_UPSTREAM_HEADERS, "allow": allow}
        return Response(_HTML_405, 405, headers, "text/html; charset=utf-8")
    return failure(profile, 405, "method not allowed", {"allow": allow})


def options_page(allow: str) -> Response:
    return Response(b"", 200, {**_UPSTREAM_HEADERS, "allow": allow}, "text/html; charset=utf-8")


def echo_page() -> Response:
    return Response(b"Welcome to agentUniverse!!!", 200, _UPSTREAM_HEADERS, "text/html; charset=utf-8")


def stream_headers(profile: str, request_id: str) -> dict[str, str]:
    headers = {"x-request-id": request_id}
    if profile == UPSTREAM:
        headers |= _UPSTREAM_HEADERS
    return headers


def service_result(profile: str, output: dict[str, Any]) -> Any:
    """The `result` of a run: the bare answer as documented, the JSON of the dict upstream."""
    if profile == UPSTREAM:
        return json.dumps(output, ensure_ascii=False)
    if set(output) == {"output"}:
        return output["output"]
    return json.dumps(output, ensure_ascii=False)


def sse_frame(profile: str, payload: dict[str, Any], *, last: bool = False) -> bytes:
    if profile == UPSTREAM:
        # request_task.receive_steps: no space after "data:", a stray space after the last frame,
        # and only the error frame escapes non-ASCII.
        text = json.dumps(payload, ensure_ascii="error" in payload)
        return ("data:" + text + ("\n\n " if last else "\n\n")).encode()
    return ("data: " + json.dumps(payload, ensure_ascii=False) + "\n\n").encode()


def task_record(profile: str, state: str, outcome: Any, steps: list[Any]) -> dict[str, Any]:
    """The `result` of /service_run_result; `outcome` is None, a service result or an error dict."""
    if profile == UPSTREAM:
        inner = {} if outcome is None else {"result": outcome}
        return {"result": inner, "state": state, "steps": steps}
    return {"result": outcome, "state": state, "steps": steps}
