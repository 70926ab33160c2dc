"""The seed's example Covalent service, written from the seed with Starlette: the strict one.

Its own careful choices: it refuses unknown keyword arguments (422), answers errors as
`{"error": "..."}`, refuses a missing or wrong key with 401, and streams `application/octet-stream`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

PROFILES = ("documented",)
KEY = "strict-key"
SIGNATURES: dict[str, dict[str, Any]] = {
    "/hello": {"message": "Hello, world!", "number": 42},
    "/stream": {"message": "Hello, world!", "items": [1, 5, "foo"]},
}


def _wrong(route: str, name: str, value: Any) -> str | None:
    if name == "message":
        return None if isinstance(value, str) else "message must be a string"
    if name == "number":
        return None if type(value) is int else "number must be an integer"
    scalar = (
        all(isinstance(i, str | int | float) and not isinstance(i, bool) for i in value)
        if isinstance(value, list)
        else False
    )
    return None if scalar else "items must be a list of strings and numbers"


def create_app(profile: str = "documented") -> Starlette:
    def error(status: int, text: str) -> Response:
        return JSONResponse({"error": text}, status)

    async def arguments(request: Request, route: str) -> dict[str, Any] | Response:
        if request.headers.get("x-api-key") != KEY:
            return error(401, "a valid x-api-key is required")
        raw = await request.body()
        try:
            given = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return error(422, "the body is not JSON")
        if not isinstance(given, dict):
            return error(422, "the body must be a JSON object of keyword arguments")
        merged = dict(SIGNATURES[route])
        for name, value in given.items():
            if name not in merged:
                return error(422, f"unexpected keyword argument {name!r}")
            problem = _wrong(route, name, value)
            if problem:
                return error(422, problem)
            merged[name] = value
        return merged

    async def hello(request: Request) -> Response:
        args = await arguments(request, "/hello")
        if isinstance(args, Response):
            return args
        return JSONResponse(f"{args['message']} My favorite number is {args['number']}")

    async def stream(request: Request) -> Response:
        args = await arguments(request, "/stream")
        if isinstance(args, Response):
            return args

        async def chunks() -> AsyncIterator[bytes]:
            yield f"{args['message']}\n".encode()
            yield ("Items: " + " ".join(str(i) for i in args["items"]) + "\n").encode()
            yield b"Done streaming\n"

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    async def missing(request: Request) -> Response:
        return error(404, f"no endpoint {request.url.path}")

    return Starlette(
        routes=[
            Route("/hello", hello, methods=["POST"]),
            Route("/stream", stream, methods=["POST"]),
            Route("/{rest:path}", missing, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
        ]
    )
