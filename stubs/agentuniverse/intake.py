"""Reading a run request: its JSON, and the fields each profile insists on (anything else: a Refusal)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..body import parse_json
from ..refusal import Refusal
from .wire import UPSTREAM

# agentUniverse passes inspect._empty for a missing field and prints it in its messages.
MISSING_SERVICE = "<class 'inspect._empty'>"


@dataclass(frozen=True)
class RunRequest:
    service_id: str  # as the message prints it: str() of whatever was sent
    params: dict[str, Any]
    saved: bool | None  # None: the endpoint's default


def parse_run(profile: str, content_type: str | None, body: bytes, *, sync: bool = False) -> RunRequest:
    if content_type is None or "application/json" not in content_type.lower():
        if sync and profile == UPSTREAM and content_type is not None and not _form_names_service(body):
            # agentUniverse reads a non-JSON body as a form; without service_id it looks up
            # inspect._empty before anything else can fail.
            raise Refusal(404, f"Service {MISSING_SERVICE} not found.")
        raise Refusal(415, "Content-Type must be application/json")
    doc = parse_json(body)
    if not isinstance(doc, dict):
        raise Refusal(400, "body must be a JSON object")
    if profile == UPSTREAM:
        return _upstream_fields(doc)
    return _documented_fields(doc)


def _form_names_service(body: bytes) -> bool:
    from urllib.parse import parse_qs

    return "service_id" in parse_qs(body.decode("latin-1"))


def _documented_fields(doc: dict[str, Any]) -> RunRequest:
    service_id = doc.get("service_id")
    if not isinstance(service_id, str) or not service_id:
        raise Refusal(422, "service_id is required and must be a non-empty string")
    params = doc.get("params")
    if not isinstance(params, dict):
        raise Refusal(422, "params is required and must be an object")
    if "input" not in params:
        raise Refusal(422, "Input must have key: input.")
    if not isinstance(params["input"], str):
        raise Refusal(422, "params.input must be a string")
    return RunRequest(service_id, params, None)


def _upstream_fields(doc: dict[str, Any]) -> RunRequest:
    # Where agentUniverse answers 500 (a crash on bad input), the stub answers 422 instead.
    if "params" not in doc:
        raise Refusal(422, "params is required")
    params = {} if doc["params"] is None else doc["params"]
    if not isinstance(params, dict):
        raise Refusal(422, "params must be an object")
    if "saved" in params or "func" in params:
        raise Refusal(422, "params may not contain the keys 'saved' or 'func'")
    if params.get("input") is not None and not isinstance(params["input"], str):
        raise Refusal(422, "params.input must be a string or null")
    service_id = str(doc["service_id"]) if "service_id" in doc else MISSING_SERVICE
    saved = doc.get("saved")
    return RunRequest(service_id, params, None if saved is None else bool(saved))
