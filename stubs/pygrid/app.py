"""The Grid Node's HTTP face: routes per profile, bodies read and capped, refusals answered in one place.

documented   POST /serve-model  POST /delete-model  GET /models  POST /model/{id}
upstream     POST /serve-model/ POST /delete_model/ GET /models/ POST /models/{id}
             (the seed's /serve-model and /models answer 308 to the slash form)
both         GET /is_model_copy_allowed/{id}  GET /get_model/{id}  GET /dataset-tags
             POST /search-encrypted-models  POST /search  GET /_stub/info (what this is)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..app import Errors, stub_app
from ..body import parse_json, read_body
from ..config import choose_profile, switch_on
from ..refusal import Refusal
from . import inference, wire
from .catalog import Catalog, Dataset, EncryptedModel
from .faults import FAULTS
from .node import DOCUMENTED, PROFILES, UPSTREAM, Limits, Node
from .store import Store
from .wire import JSON, NodeRefusal

IMPLEMENTATION = "aicontract pygrid reference stub"
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
UNLIMITED = 1 << 62  # bytes: the no-body-limit fault's cap
_TRACEBACK = (
    b'Traceback (most recent call last):\n  File "routes.py", line 1, in search\njson.decoder.JSONDecodeError\n'
)

Handler = Callable[["Runtime", Request, dict[str, str]], Awaitable[Response]]


@dataclass(frozen=True)
class Rule:
    method: str
    template: str
    handler: Handler
    pattern: re.Pattern[str]


def rule(method: str, template: str, handler: Handler) -> Rule:
    # `{name}` matches one path segment, as Flask's `<name>` does.
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return Rule(method, template, handler, re.compile(f"^{regex}$"))


@dataclass
class Runtime:
    node: Node
    rules: list[Rule]
    limit: int  # request body cap (the no-body-limit fault: as good as none)

    @property
    def faults(self) -> frozenset[str]:
        return self.node.faults

    @property
    def upstream(self) -> bool:
        return self.node.upstream


def create_app(
    profile: str = DOCUMENTED,
    faults: Collection[str] = (),
    *,
    db: str | Path = ":memory:",
    datasets: Sequence[Dataset] = (),
    encrypted_models: Sequence[EncryptedModel] = (),
    seed: Path | None = None,
    limits: Limits | None = None,
) -> FastAPI:
    """The reference Grid Node. `db` is its SQLite file (default in memory); `seed` a YAML file of
    datasets and encrypted models (see catalog.py), added to `datasets` and `encrypted_models`.

    `app.state.node` is the running node: `app.state.node.catalog.add_dataset(...)` adds holdings later.
    """
    profile = choose_profile("pygrid", profile, PROFILES)
    switched = switch_on("pygrid", faults, FAULTS)
    catalog = Catalog()
    for dataset in datasets:
        catalog.add_dataset(dataset.tags, dataset.description, dataset.id or None)
    for smpc in encrypted_models:
        catalog.add_encrypted_model(smpc.model_id, smpc.workers, smpc.crypto_provider)
    if seed is not None:
        catalog.load(Path(seed))
    chosen = limits or Limits()
    node = Node(profile, switched, Store(str(db)), catalog, chosen)
    rt = Runtime(node, _rules(profile), UNLIMITED if "no-body-limit" in switched else chosen.body)

    async def dispatch(request: Request) -> Response:
        return await _dispatch(rt, request)

    app = stub_app(
        [Route("/{path:path}", dispatch, methods=ALL_METHODS)],
        Errors(error=functools.partial(_refused, node.upstream)),
        max_body=rt.limit,
        redirect_slashes=False,  # the upstream node's 308s are its own (see _not_found)
        text_errors="text-errors" in switched,
    )
    app.state.node = node
    return app


def _refused(upstream: bool, refusal: Refusal) -> Response:
    """The one place a refusal becomes an answer: the node's own wording, or the shared refusals
    (the body cap's 413, a crash's 500) as the node would word them."""
    if isinstance(refusal, NodeRefusal):
        return refusal.response()
    if refusal.status == 500:
        return Response(wire.dumps({"error": "internal error"}), 500, media_type=JSON)
    return NodeRefusal.of(refusal.status, refusal.message).response()


def _rules(profile: str) -> list[Rule]:
    model_routes = (
        [
            rule("POST", "/serve-model/", _serve),
            rule("GET", "/models/", _models),
            rule("POST", "/delete_model/", _delete),
            rule("POST", "/models/{model_id}", _infer),
            rule("GET", "/identity/", _identity),
            rule("GET", "/detailed_models_list/", _detailed),
        ]
        if profile == UPSTREAM
        else [
            rule("POST", "/serve-model", _serve),
            rule("GET", "/models", _models),
            rule("POST", "/delete-model", _delete),
            rule("POST", "/model/{model_id}", _infer),
        ]
    )
    return [
        *model_routes,
        rule("GET", "/is_model_copy_allowed/{model_id}", _copy_allowed),
        rule("GET", "/get_model/{model_id}", _download),
        rule("POST", "/search-encrypted-models", _search_encrypted),
        rule("GET", "/dataset-tags", _dataset_tags),
        rule("POST", "/search", _search),
        rule("GET", "/_stub/info", _stub_info),
    ]


async def _dispatch(rt: Runtime, request: Request) -> Response:
    path = request.url.path
    matched = [(r, m) for r in rt.rules if (m := r.pattern.match(path))]
    if not matched:
        return _not_found(rt, request)
    methods = {r.method for r, _ in matched}
    method = "GET" if request.method == "HEAD" and "GET" in methods else request.method
    found = next(((r, m) for r, m in matched if r.method == method), None)
    if found is None:
        allow = _allow(rt, methods)
        if request.method == "OPTIONS":
            return _preflight(request, allow)
        if rt.upstream:
            raise NodeRefusal(405, html="", headers={"allow": allow})
        raise NodeRefusal(405, {"error": f"method {request.method} not allowed"}, headers={"allow": allow})
    handler, params = found[0].handler, found[1].groupdict()
    response = await handler(rt, request, params)
    if request.method == "HEAD":
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        headers["content-length"] = str(len(response.body))
        return Response(b"", response.status_code, headers=headers)
    return response


def _allow(rt: Runtime, methods: set[str]) -> str:
    if "allow-header-wrong" in rt.faults:
        return ", ".join(ALL_METHODS)
    # The order Werkzeug happened to write (a set's): it is not part of the contract.
    return "HEAD, OPTIONS, GET" if "GET" in methods else "OPTIONS, " + ", ".join(sorted(methods))


def _preflight(request: Request, allow: str) -> Response:
    """Flask's automatic OPTIONS answer, with Flask-Cors's headers when it is a CORS preflight."""
    headers = {"content-type": "text/html; charset=utf-8", "allow": allow}
    origin = request.headers.get("origin")
    if origin:
        headers["access-control-allow-origin"] = origin
        headers["access-control-allow-methods"] = "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT"
        headers["vary"] = "Origin"
    return Response(b"", 200, headers=headers)


def _not_found(rt: Runtime, request: Request) -> Response:
    path = request.url.path
    if rt.upstream:
        slashed = path + "/"
        if any(r.template == slashed for r in rt.rules) and "no-slash-redirect" not in rt.faults:
            query = f"?{request.url.query}" if request.url.query else ""
            return wire.redirect(f"{str(request.base_url).rstrip('/')}{slashed}{query}")
        raise NodeRefusal(404, html="")
    raise NodeRefusal.of(404, f"no such path: {path}")


# -- bodies ----------------------------------------------------------------------------------------


async def _fields(rt: Runtime, request: Request, *, multipart_ok: bool = True) -> tuple[dict[str, Any], bool]:
    """The request's fields and whether they came as a form. Upstream reads only forms (as Flask's
    `request.form`: any other body gives no fields); the documented node reads JSON or a form."""
    body = await read_body(request)
    media = wire.media_type(request)
    if media == "multipart/form-data" and "multipart-refused" in rt.faults:
        raise NodeRefusal.of(415, "multipart/form-data is not accepted")
    if media in wire.FORMS:
        return await wire.form_fields(request, rt.limit), True
    if rt.upstream:
        return {}, True
    if "json-upload-refused" in rt.faults:
        raise NodeRefusal.of(415, "a JSON body is not accepted")
    return _object(rt, body), False


def _object(rt: Runtime, body: bytes) -> dict[str, Any]:
    doc = _json(rt, body, "the body")
    if not isinstance(doc, dict):
        raise NodeRefusal.of(400, "the body must be a JSON object")
    return doc


class _Crash(Exception):
    pass


def _json(rt: Runtime, body: bytes, what: str) -> Any:
    try:
        return parse_json(body)
    except Refusal as refused:
        if "bad-payload-500" in rt.faults:
            raise _Crash from None
        raise NodeRefusal.of(400, f"{what}: {refused.message}"[:300]) from None


def _crashing(handler: Handler) -> Handler:
    """For the bad-payload-500 fault: a traceback as the real node's local mode shows it."""

    async def wrapped(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
        try:
            return await handler(rt, request, params)
        except _Crash:
            return Response(_TRACEBACK, 500, media_type="text/plain")

    return wrapped


# -- handlers --------------------------------------------------------------------------------------


@_crashing
async def _serve(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    fields, form = await _fields(rt, request)
    return wire.answer(rt.node.serve(fields, form=form))


@_crashing
async def _delete(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    fields, form = await _fields(rt, request)
    return wire.answer(rt.node.delete(fields, form=form))


async def _models(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    return wire.answer(rt.node.models())


async def _copy_allowed(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    status, body = rt.node.copy_allowed(params["model_id"])
    return wire.answer(body, status)


async def _download(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    return wire.answer(rt.node.download(params["model_id"]))


@_crashing
async def _infer(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    from starlette.concurrency import run_in_threadpool

    fields, form = await _fields(rt, request)
    # onnxruntime blocks: off the event loop, so that other requests are served meanwhile.
    answer = await run_in_threadpool(rt.node.infer, params["model_id"], fields, form=form)
    return wire.answer(answer)


async def _search_payload(rt: Runtime, request: Request) -> Any:
    """A search route's JSON payload, or the node's 400 (a crash under the `bad-payload-500` fault)."""
    try:
        return parse_json(await read_body(request))
    except Refusal:
        if "bad-payload-500" in rt.faults:
            raise _Crash from None
        raise NodeRefusal.of(400, "Invalid payload format") from None


@_crashing
async def _search_encrypted(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    return wire.answer(rt.node.search_encrypted(await _search_payload(rt, request)))


async def _dataset_tags(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    return wire.answer(rt.node.dataset_tags())


@_crashing
async def _search(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    return wire.answer({"content": rt.node.search(await _search_payload(rt, request))})


async def _identity(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    return Response(b"OpenGrid", headers={**wire.CORS, "content-type": "text/html; charset=utf-8"})


async def _detailed(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    # The web-UI route has no Flask-Cors decorator: no CORS header.
    return Response(wire.dumps(rt.node.detailed_models()), media_type=JSON)


async def _stub_info(rt: Runtime, request: Request, params: dict[str, str]) -> Response:
    """What this server is, so that a harness knows which models it runs and what it holds."""
    node = rt.node
    # The records as registered (not as the search answers them), so that a harness can judge the search.
    encrypted = {
        m.model_id: {"workers": [list(w) for w in m.workers], "crypto_provider": list(m.crypto_provider)}
        for m in node.catalog.encrypted.values()
    }
    return wire.answer(
        {
            "implementation": IMPLEMENTATION,
            "profile": node.profile,
            "inference": ["onnx"] if inference.available() else [],
            "recorded_syft": True,
            "encrypted_models": encrypted,
            "limits": {"body": node.limits.body, "model": node.limits.model, "data": node.limits.data},
        }
    )
