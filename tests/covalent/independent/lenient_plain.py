"""The seed's example Covalent service, written from the seed with Starlette: the lenient one.

Its own careful choices: unknown keyword arguments are ignored (as Python's `**kwargs` would), every
bad input is a 400 `{"message": ..., "code": ...}`, a wrong key is 403 (a missing one 401), the
stream is `text/plain; charset=utf-8`, and nothing but the two routes is served (Starlette's own 404).
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
KEY = "lenient-key"


def create_app(profile: str = "documented") -> Starlette:
    def bad(status: int, code: str, text: str) -> Response:
        return JSONResponse({"code": code, "message": text}, status)

    async def read(request: Request, defaults: dict[str, Any]) -> dict[str, Any] | Response:
        key = request.headers.get("x-api-key")
        if key is None:
            return bad(401, "unauthenticated", "send your token in x-api-key")
        if key != KEY:
            return bad(403, "forbidden", "that token does not open this deployment")
        try:
            given = json.loads(await request.body() or b"{}")
        except ValueError:
            return bad(400, "bad_json", "could not parse the body as JSON")
        if not isinstance(given, dict):
            return bad(400, "bad_body", "keyword arguments must be a JSON object")
        args = {**defaults, **{k: v for k, v in given.items() if k in defaults}}  # others ignored
        if not isinstance(args["message"], str):
            return bad(400, "bad_argument", "message: expected a string")
        return args

    async def hello(request: Request) -> Response:
        args = await read(request, {"message": "Hello, world!", "number": 42})
        if isinstance(args, Response):
            return args
        if type(args["number"]) is not int:
            return bad(400, "bad_argument", "number: expected an integer")
        return JSONResponse(f"{args['message']} My favorite number is {args['number']}")

    async def stream(request: Request) -> Response:
        args = await read(request, {"message": "Hello, world!", "items": [1, 5, "foo"]})
        if isinstance(args, Response):
            return args
        items = args["items"]
        if not isinstance(items, list) or any(
            isinstance(i, bool) or not isinstance(i, str | int | float) for i in items
        ):
            return bad(400, "bad_argument", "items: expected a list of strings and numbers")

        async def lines() -> AsyncIterator[str]:
            yield args["message"] + "\n"
            yield "Items: " + " ".join(map(str, items)) + "\n"
            yield "Done streaming\n"

        return StreamingResponse(lines(), media_type="text/plain; charset=utf-8")

    return Starlette(routes=[Route("/hello", hello, methods=["POST"]), Route("/stream", stream, methods=["POST"])])
