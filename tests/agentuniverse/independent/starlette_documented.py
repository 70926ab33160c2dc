"""An agentUniverse Web API written from the seed with Starlette, documented profile.

Its own careful choices: invalid input is 422, an unknown service is a 200 `success: false`, an
unknown request_id a 200 `success: false`, request ids are dashed UUIDs (the seed asks only for "a
randomly generated string"), keys come in another order, and async runs go init → running → finished.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

PROFILES = ("documented",)


def create_app(profile: str = "documented") -> Starlette:
    runs: dict[str, dict[str, Any]] = {}

    def answer(status: int, body: dict[str, Any]) -> Response:
        return Response(json.dumps(body, separators=(",", ":")), status, media_type="application/json")

    def failed(status: int, message: str) -> Response:
        return answer(status, {"message": message, "success": False, "request_id": None})

    async def parse(request: Request) -> tuple[dict[str, Any] | None, str]:
        if "json" not in request.headers.get("content-type", ""):
            return None, "send the body as application/json"
        try:
            body = json.loads(await request.body())
        except ValueError:
            return None, "the body is not JSON"
        if not isinstance(body, dict) or not isinstance(body.get("service_id"), str) or not body["service_id"]:
            return None, "a service_id string is required"
        params = body.get("params")
        if not isinstance(params, dict) or not isinstance(params.get("input"), str):
            return None, "params.input (a string) is required"
        return body, ""

    def ok(rid: str, result: Any) -> Response:
        return answer(200, {"request_id": rid, "result": result, "message": None, "success": True})

    async def service_run(request: Request) -> Response:
        body, why = await parse(request)
        if body is None:
            return failed(422, why)
        if body["service_id"] != "demo_service":
            return failed(200, f"service {body['service_id']!r} is not registered")
        rid = str(uuid.uuid4())
        result = f"Your input is {body['params']['input']}."
        runs[rid] = {"state": "finished", "result": result}
        return ok(rid, result)

    async def service_run_stream(request: Request) -> Response:
        body, why = await parse(request)
        if body is None:
            return failed(422, why)
        rid = str(uuid.uuid4())
        known = body["service_id"] == "demo_service"
        result = f"Your input is {body['params']['input']}."
        runs[rid] = {"state": "finished", "result": result} if known else {"state": "fail", "result": None}

        async def frames() -> AsyncIterator[bytes]:
            if known:
                for word in result.split(" "):
                    yield f"data:{json.dumps({'process': word})}\n\n".encode()
                yield f"data:{json.dumps({'result': result})}\n\n".encode()
            else:
                yield f"data:{json.dumps({'error': {'error_msg': 'unknown service'}})}\n\n".encode()

        return StreamingResponse(frames(), media_type="text/event-stream", headers={"X-Request-ID": rid})

    async def service_run_async(request: Request) -> Response:
        body, why = await parse(request)
        if body is None:
            return failed(422, why)
        if body["service_id"] != "demo_service":
            return failed(404, "unknown service")
        rid = str(uuid.uuid4())
        runs[rid] = {"state": "init", "result": None}
        result = f"Your input is {body['params']['input']}."

        def work() -> None:
            time.sleep(0.02)
            runs[rid] = {"state": "running", "result": None}
            time.sleep(0.02)
            runs[rid] = {"state": "finished", "result": result}

        threading.Thread(target=work, daemon=True).start()
        return ok(rid, None)

    async def service_run_result(request: Request) -> Response:
        rid = request.query_params.get("request_id")
        if rid is None:
            return failed(422, "request_id is required")
        found = runs.get(rid)
        if found is None:
            return failed(200, f"request {rid} not found")
        return ok(rid, {"steps": [], "state": found["state"], "result": found["result"]})

    return Starlette(
        routes=[
            Route("/service_run", service_run, methods=["POST"]),
            Route("/service_run_stream", service_run_stream, methods=["POST"]),
            Route("/service_run_async", service_run_async, methods=["POST"]),
            Route("/service_run_result", service_run_result, methods=["GET"]),
        ]
    )
