"""An independent Grid Node, written from the seed alone, that chooses differently wherever the
seed is silent or ambiguous. The default gate must pass it.

Its choices: booleans are the strings "True"/"False" in every answer (the seed's literal text), and
a JSON upload must write its flags that way too (JSON booleans are refused); an unknown id at
/is_model_copy_allowed is a 200 with success "False"; models are kept in a dict; only the codec
names ISO-8859-1/latin-1 are taken; it runs no models (inference on an allowed model is a 422);
other error texts; bodies over 40 MiB are 413; unknown paths and methods get JSON errors.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

CODECS = {"iso-8859-1", "latin-1", "latin1"}
LIMIT = 40 << 20


class Bad(Exception):
    def __init__(self, code: int, error: str, **extra: Any) -> None:
        self.code, self.body = code, {**extra, "error": error}


def flag(value: Any) -> bool:
    if value in ("True", "False"):
        return value == "True"
    raise Bad(400, "flags are the strings True or False")


async def fields(request: Request) -> dict[str, Any]:
    if int(request.headers.get("content-length") or 0) > LIMIT:
        raise Bad(413, "too large")
    body = await request.body()
    if len(body) > LIMIT:
        raise Bad(413, "too large")
    if request.headers.get("content-type", "").startswith(("multipart/", "application/x-www-form")):
        form = await request.form()
        found: dict[str, Any] = {}
        for key, value in form.multi_items():
            found[key] = (await value.read()).decode() if isinstance(value, UploadFile) else value
        return found
    try:
        doc = json.loads(body)
    except ValueError:
        raise Bad(400, "Invalid payload format") from None
    if not isinstance(doc, dict):
        raise Bad(400, "Invalid payload format")
    return doc


def text(doc: dict[str, Any], name: str) -> str:
    value = doc.get(name)
    if not isinstance(value, str) or (name in ("model_id", "encoding") and not value):
        raise Bad(400, f"{name} is required")
    return value


class Node:
    def __init__(self) -> None:
        self.models: dict[str, dict[str, Any]] = {}
        self.tags = ["#cifar"]

    async def serve(self, request: Request) -> dict[str, Any]:
        doc = await fields(request)
        encoding, model_id, model = text(doc, "encoding"), text(doc, "model_id"), text(doc, "model")
        if encoding.lower() not in CODECS:
            raise Bad(400, "only ISO-8859-1 is supported")
        download, remote = flag(doc.get("allow_download")), flag(doc.get("allow_remote_inference"))
        try:
            data = model.encode("latin-1")
        except UnicodeEncodeError:
            raise Bad(400, "model is not ISO-8859-1 text") from None
        if model_id in self.models:
            raise Bad(409, f"{model_id} exists")
        self.models[model_id] = {"data": data, "download": download, "remote": remote}
        return {"success": "True", "message": f"Model saved with id: {model_id}"}

    async def delete(self, request: Request) -> dict[str, Any]:
        model_id = text(await fields(request), "model_id")
        if self.models.pop(model_id, None) is None:
            raise Bad(404, "no such model")
        return {"success": "True", "message": "deleted"}

    async def infer(self, request: Request) -> dict[str, Any]:
        doc = await fields(request)
        text(doc, "encoding")
        text(doc, "data")
        found = self.models.get(request.path_params["model_id"])
        if found is None:
            raise Bad(404, "no such model", status="False")
        if not found["remote"]:
            raise Bad(403, "You're not allowed to run inference on this model.", status="False")
        raise Bad(422, "this node runs no model format", status="False")


def create_app() -> Starlette:
    node = Node()

    def endpoint(handler: Any) -> Any:
        async def run(request: Request) -> Response:
            try:
                return JSONResponse(await handler(request))
            except Bad as bad:
                return JSONResponse(bad.body, bad.code)

        return run

    async def models(request: Request) -> dict[str, Any]:
        return {"success": "True", "models": sorted(node.models)}

    async def copy(request: Request) -> dict[str, Any]:
        found = node.models.get(request.path_params["model_id"])
        if found is None:
            return {"success": "False", "error": "unknown model"}
        return {"success": "True"} if found["download"] else {"success": "False", "error": "not allowed"}

    async def download(request: Request) -> dict[str, Any]:
        found = node.models.get(request.path_params["model_id"])
        if found is None:
            raise Bad(404, "unknown model")
        if not found["download"]:
            raise Bad(403, "You're not allowed to download this model.")
        return {"serialized_model": found["data"].decode("latin-1")}

    async def smpc(request: Request) -> dict[str, Any]:
        doc = await fields(request)
        text(doc, "model_id")
        raise Bad(404, "Model ID not found!")

    async def tags(request: Request) -> list[str]:
        return node.tags

    async def search(request: Request) -> dict[str, Any]:
        query = (await fields(request)).get("query")
        if not isinstance(query, list) or not all(isinstance(q, str) for q in query):
            raise Bad(400, "Invalid payload format")
        return {"content": "True" if all(q in node.tags for q in query) else "False"}

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return JSONResponse({"error": exc.detail}, exc.status_code, headers=exc.headers)

    routes = [
        Route("/serve-model", endpoint(node.serve), methods=["POST"]),
        Route("/delete-model", endpoint(node.delete), methods=["POST"]),
        Route("/models", endpoint(models), methods=["GET"]),
        Route("/is_model_copy_allowed/{model_id}", endpoint(copy), methods=["GET"]),
        Route("/get_model/{model_id}", endpoint(download), methods=["GET"]),
        Route("/model/{model_id}", endpoint(node.infer), methods=["POST"]),
        Route("/search-encrypted-models", endpoint(smpc), methods=["POST"]),
        Route("/dataset-tags", endpoint(tags), methods=["GET"]),
        Route("/search", endpoint(search), methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: http_error})
