"""An agentUniverse Web API written from the seed with Flask (as the real server is), both profiles.

Its own careful choices: errors are 400 with its own wording and no `result`/`request_id` keys, the
JSON is pretty-printed with keys in insertion order, every run is stored (also those sent without
`saved`), answers carry an extra `elapsed_ms` field, and SSE frames are `data: ` with a space.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

from flask import Flask, Response, request

PROFILES = ("documented", "upstream")


def create_app(profile: str = "documented") -> Flask:
    app = Flask(__name__)
    runs: dict[str, dict[str, Any]] = {}
    lock = threading.Lock()
    upstream = profile == "upstream"

    def answer(status: int, **fields: Any) -> Response:
        return Response(json.dumps({**fields, "elapsed_ms": 0}, indent=2), status, mimetype="application/json")

    def refuse(status: int, message: str) -> Response:
        return answer(status, success=False, message=message)

    def result_of(text: str) -> str:
        said = f"Your input is {text}."
        return json.dumps({"output": said}, ensure_ascii=False) if upstream else said

    def parse() -> tuple[dict[str, Any] | None, str]:
        body = request.get_json(silent=True) if request.is_json else None
        if not isinstance(body, dict):
            return None, "the body must be a JSON object"
        if not isinstance(body.get("service_id"), str) or not body["service_id"]:
            return None, "service_id must be a string"
        params = body.get("params")
        if not isinstance(params, dict):
            return None, "params must be an object"
        text = params.get("input")
        if not isinstance(text, str) and not (upstream and text is None and "input" in params):
            return None, "params.input must be a string"
        if upstream and "saved" in body and not isinstance(body["saved"], bool):
            return None, "saved must be a boolean"
        return body, ""

    def store(rid: str, state: str, outcome: Any) -> None:
        with lock:
            runs[rid] = {"state": state, "outcome": outcome}

    def kept(body: dict[str, Any]) -> bool:
        return body.get("saved") is not False  # stores more than agentUniverse: only saved: false is honoured

    def record(rid: str) -> dict[str, Any]:
        found = runs[rid]
        outcome = found["outcome"]
        if upstream:
            outcome = {} if outcome is None else {"result": outcome}
        return {"state": found["state"], "steps": [], "result": outcome}

    @app.post("/service_run")
    def service_run() -> Response:
        body, why = parse()
        if body is None:
            return refuse(400, why)
        if body["service_id"] != "demo_service":
            return refuse(404, f"no service named {body['service_id']}")
        rid = uuid.uuid4().hex
        result = result_of(str(body["params"].get("input")))
        if kept(body):
            store(rid, "finished", result)
        return answer(200, success=True, request_id=rid, result=result, message=None)

    @app.post("/service_run_stream")
    def service_run_stream() -> Response:
        body, why = parse()
        if body is None:
            return refuse(400, why)
        if body["service_id"] != "demo_service":
            return refuse(404, f"no service named {body['service_id']}")
        rid = uuid.uuid4().hex
        result = result_of(str(body["params"].get("input")))
        if kept(body):
            store(rid, "finished", result)

        def frames() -> Any:
            yield f"data: {json.dumps({'process': {'chunk': 'working'}})}\n\n"
            yield f"data: {json.dumps({'result': result})}\n\n"

        response = Response(frames(), mimetype="text/event-stream")
        response.headers["X-Request-ID"] = rid
        return response

    @app.post("/service_run_async")
    def service_run_async() -> Response:
        body, why = parse()
        if body is None:
            return refuse(400, why)
        rid = uuid.uuid4().hex
        known = body["service_id"] == "demo_service"
        text = str(body["params"].get("input"))
        if kept(body):
            store(rid, "init", None)

            def work() -> None:
                time.sleep(0.01)
                if known:
                    store(rid, "finished", result_of(text))
                else:
                    store(rid, "fail", {"error_msg": f"no service named {body['service_id']}"})

            threading.Thread(target=work, daemon=True).start()
        return answer(200, success=True, request_id=rid, result=None, message=None)

    @app.get("/service_run_result")
    def service_run_result() -> Response:
        rid = request.args.get("request_id")
        if rid is None:
            return refuse(400, "request_id is required")
        with lock:
            if rid not in runs:
                return answer(200, success=False, message="unknown request id", request_id=None, result=None)
            found = record(rid)
        return answer(200, success=True, request_id=rid, result=found, message=None)

    return app
