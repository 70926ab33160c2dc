"""The toy service's reference stub: POST /greet answers `Hello, NAME!`."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

FAULTS = {"wrong-greeting": "/greet answers `Hi, NAME.`"}
MAX_BODY = 1 << 20


def create_app(profile: str = "documented", faults: Collection[str] = ()) -> Any:
    async def greet(request: Request) -> JSONResponse:
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": "body too large"}, status_code=413)
        try:
            data = json.loads(body)
        except ValueError:
            return JSONResponse({"error": "not JSON"}, status_code=422)
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str) or len(name) > 40:
            return JSONResponse({"error": "name must be a string of at most 40 characters"}, status_code=422)
        text = f"Hi, {name}." if "wrong-greeting" in faults else f"Hello, {name}!"
        return JSONResponse({"greeting": text})

    return Starlette(routes=[Route("/greet", greet, methods=["POST"])])
