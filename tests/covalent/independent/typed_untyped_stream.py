"""The seed's example Covalent service, written from the seed with Starlette: FastAPI-like errors.

Its own careful choices: unknown keyword arguments are ignored, bad input gets 422 with a
FastAPI-style `{"detail": [{"loc": ..., "msg": ...}]}` list, keys come pretty-printed, the stream
carries no Content-Type at all (the seed says only "the stream returns bytes"), and unknown routes
are answered 404 `{"detail": "Not Found"}`. Its control plane serves the function record that
`cc.get_deployment(id)` reads, and nothing else: no listing, no key management (404).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

PROFILES = ("documented",)
KEY = "typed-key"
FUNCTION = "fn-typed"


def _json(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, indent=1, ensure_ascii=False), status, media_type="application/json")


def _invalid(where: str, msg: str) -> Response:
    return _json({"detail": [{"loc": ["body", where], "msg": msg, "type": "value_error"}]}, 422)


def _valid(name: str, value: Any) -> bool:
    if name == "message":
        return isinstance(value, str)
    if name == "number":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, list) and all(isinstance(i, str | int | float) and not isinstance(i, bool) for i in value)


def create_app(profile: str = "documented") -> Starlette:
    async def read(request: Request, defaults: dict[str, Any]) -> dict[str, Any] | Response:
        if request.headers.get("x-api-key") != KEY:
            return _json({"detail": "Invalid or missing API key"}, 401)
        raw = await request.body()
        try:
            given = json.loads(raw) if raw else {}
        except ValueError as exc:
            return _invalid("(body)", f"JSON decode error: {exc}")
        if not isinstance(given, dict):
            return _invalid("(body)", "Input should be a valid dictionary")
        for name in defaults.keys() & given.keys():
            if not _valid(name, given[name]):
                return _invalid(name, f"Input should be valid for {name}")
        return {**defaults, **{k: given[k] for k in defaults.keys() & given.keys()}}

    async def hello(request: Request) -> Response:
        args = await read(request, {"message": "Hello, world!", "number": 42})
        return (
            args if isinstance(args, Response) else _json(f"{args['message']} My favorite number is {args['number']}")
        )

    async def stream(request: Request) -> Response:
        args = await read(request, {"message": "Hello, world!", "items": [1, 5, "foo"]})
        if isinstance(args, Response):
            return args

        async def parts() -> AsyncIterator[bytes]:
            for line in (args["message"], "Items: " + " ".join(str(i) for i in args["items"]), "Done streaming"):
                yield (line + "\n").encode()

        return StreamingResponse(parts())

    async def record(request: Request) -> Response:
        if request.headers.get("x-api-key") != KEY:
            return _json({"detail": "Invalid or missing API key"}, 401)
        if request.path_params["function_id"] != FUNCTION:
            return _json({"detail": "Not Found"}, 404)
        routes = [("/hello", False), ("/stream", True)]
        return _json(
            {
                "id": FUNCTION,
                "title": "example",
                "description": "",
                "invoke_url": str(request.base_url).rstrip("/"),
                "status": "ACTIVE",
                "endpoints": [{"route": r, "method": "POST", "streaming": s, "description": ""} for r, s in routes],
                "tags": [],
                "auth": True,
                "inference_keys": [{"key": KEY}],
            }
        )

    async def not_found(request: Request) -> Response:
        return _json({"detail": "Not Found"}, 404)

    return Starlette(
        routes=[
            Route("/hello", hello, methods=["POST"]),
            Route("/stream", stream, methods=["POST"]),
            Route("/fn/api/v0/functions/{function_id}", record, methods=["GET"]),
            Route("/{rest:path}", not_found, methods=["POST", "GET"]),
        ]
    )
