"""agentUniverse 0.0.19.1's Web API re-written from the seed and its measured behaviour, with Starlette.

Its own careful choices: it refuses at once what agentUniverse defers or crashes on (an unknown
service on every route, a missing request_id, a non-JSON body: 400 and 404 where agentUniverse
answers 500), speaks agentUniverse's wording, keeps only the runs `saved` says, and answers an
unknown request_id 200 `success: false` as agentUniverse does.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

PROFILES = ("upstream",)
EMPTY = "<class 'inspect._empty'>"  # what agentUniverse names a missing service_id


def create_app(profile: str = "upstream") -> Starlette:
    runs: dict[str, Any] = {}

    def envelope(
        status: int, success: bool, result: Any = None, message: str | None = None, rid: str | None = None
    ) -> Response:
        body = {"message": message, "request_id": rid, "result": result, "success": success}
        return Response(
            json.dumps(body, sort_keys=True, ensure_ascii=False) + "\n", status, media_type="application/json"
        )

    async def parse(request: Request) -> dict[str, Any] | Response:
        try:
            body = (
                json.loads(await request.body())
                if "application/json" in request.headers.get("content-type", "")
                else None
            )
        except ValueError:
            body = None
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("params"), dict)
            or ("saved" in body and not isinstance(body["saved"], bool))
        ):
            return envelope(400, False, message="the body must be a JSON object with params")
        if not isinstance(body.get("service_id"), str) or not body["service_id"]:
            return envelope(404, False, message=f"Service {body.get('service_id', EMPTY)} not found.")
        text = body["params"].get("input")
        if "input" not in body["params"] or not (text is None or isinstance(text, str)):
            return envelope(400, False, message="Input must have key: input.")
        if body["service_id"] != "demo_service":
            return envelope(404, False, message=f"Service {body['service_id']} not found.")
        return body

    def result_of(body: dict[str, Any]) -> str:
        return json.dumps({"output": f"Your input is {body['params']['input']}."}, ensure_ascii=False)

    def keep(rid: str, body: dict[str, Any], default: bool, result: str) -> None:
        if body.get("saved", default):
            runs[rid] = {"result": {"result": result}, "state": "finished", "steps": []}

    async def service_run(request: Request) -> Response:
        body = await parse(request)
        if isinstance(body, Response):
            return body
        rid, result = secrets.token_hex(16), result_of(body)
        keep(rid, body, False, result)
        return envelope(200, True, result, rid=rid)

    async def service_run_stream(request: Request) -> Response:
        body = await parse(request)
        if isinstance(body, Response):
            return body
        rid, result = secrets.token_hex(16), result_of(body)
        keep(rid, body, False, result)

        async def frames() -> AsyncIterator[bytes]:
            yield ("data:" + json.dumps({"result": result}) + "\n\n ").encode()

        return StreamingResponse(frames(), media_type="text/event-stream", headers={"X-Request-ID": rid})

    async def service_run_async(request: Request) -> Response:
        body = await parse(request)
        if isinstance(body, Response):
            if body.status_code == 404:  # agentUniverse accepts, then the task fails: so does this one
                rid = secrets.token_hex(16)
                message = json.loads(bytes(body.body))["message"]
                runs[rid] = {"result": {"result": {"error_msg": message}}, "state": "fail", "steps": []}
                return envelope(200, True, rid=rid)
            return body
        rid = secrets.token_hex(16)
        keep(rid, body, True, result_of(body))
        return envelope(200, True, rid=rid)

    async def service_run_result(request: Request) -> Response:
        rid = request.query_params.get("request_id")
        if rid is None:
            return envelope(400, False, message="request_id is required")
        if rid not in runs:
            return envelope(200, False, message=f"request {rid} not found")
        return envelope(200, True, runs[rid], rid=rid)

    return Starlette(
        routes=[
            Route("/service_run", service_run, methods=["POST"]),
            Route("/service_run_stream", service_run_stream, methods=["POST"]),
            Route("/service_run_async", service_run_async, methods=["POST"]),
            Route("/service_run_result", service_run_result, methods=["GET"]),
        ]
    )
