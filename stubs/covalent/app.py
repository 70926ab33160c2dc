"""The reference stub of Covalent Cloud function services: both planes on one app.

    data plane      POST /{function_id}/{route}             (the record's invoke_url is /{function_id})
                    POST /{route}                           (the root function's, e.g. the example's)
    control plane   GET  /fn/api/v0/functions[/{id}], PUT .../{id}/teardown, .../{id}/inference-keys
    stub only       GET  /_stub/info, POST /_stub/deployments (what this is; deploy a service again)

So one served stub is both the SDK's `COVALENT_CLOUD_DISPATCHER_URI` and every deployment's host,
and its root URL is itself an invoke URL: `aicontract check covalent --base-url http://HOST:PORT`.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Match, Route

from ..app import Errors, stub_app
from ..body import MAX_BODY, read_body
from ..config import StubConfigError, choose_profile, switch_on
from ..refusal import Refusal
from . import wire
from .arguments import ArgumentError, Signature, UnknownArgument, bind
from .deployment import ACTIVE, CREATING, ERROR, INACTIVE, NEW_OBJECT, STATUSES, Deployment, Registry
from .example import SEED_INVOKE_ALIAS, example_service
from .faults import FAULTS
from .service import Endpoint, Service

DOCUMENTED = "documented"
PROFILES = (DOCUMENTED,)
DEFAULT_API_KEY = "covalent-stub-key"
CP = "/fn/api/v0"
# Every method reaches the data plane's handler, so that a wrong one gets a 405 naming the right one
# (left to the router, OPTIONS and HEAD would get a 405 listing these catch-all methods instead).
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
STREAM_MEDIA = "application/octet-stream"
ENDLESS_PAUSE = 0.05
MAX_CREATE_DELAY = 3600.0
# What the public API can grow, capped (see the README): beyond these, the oldest made through the
# API is forgotten, so a long-lived stub checked again and again stays small.
MAX_DEPLOYMENTS = 256  # hosted at once, counting those made through /_stub/deployments
MAX_KEYS = 256  # inference keys per deployment, counting the configured API keys
_TRACEBACK = b'Traceback (most recent call last):\n  File "service.py", line 1, in <module>\n'

Handler = Callable[["Runtime", Request], Awaitable[Response]]


@dataclass
class Runtime:
    registry: Registry
    templates: dict[str, Service]  # services /_stub/deployments can deploy, by title and by id
    faults: frozenset[str]
    create_delay: float
    root_function: str | None  # the deployment whose data plane is also served at /{route}

    def status(self, deployment: Deployment) -> str:
        status = deployment.status
        if status == ACTIVE and "stuck-creating" in self.faults:
            return CREATING
        return status

    def invoke_url(self, request: Request, deployment: Deployment) -> str:
        # From the request, so that the record is right on whatever host and port the stub runs.
        prefix = "/v0" if "invoke-url-wrong" in self.faults else ""
        return f"{str(request.base_url).rstrip('/')}{prefix}/{deployment.id}"

    def record(self, request: Request, deployment: Deployment) -> dict[str, Any]:
        record = deployment.record(self.invoke_url(request, deployment), self.status(deployment))
        if "record-missing-field" in self.faults:
            del record["invoke_url"]
        return record


def create_app(
    profile: str = DOCUMENTED,
    faults: Collection[str] = (),
    *,
    api_keys: Sequence[str] = (DEFAULT_API_KEY,),
    create_delay: float = 0.0,
    services: Sequence[Service] = (),
    example: bool = True,
    root_function: str | None = None,
    max_body: int = MAX_BODY,
) -> FastAPI:
    """Build the stub hosting the seed's example service (unless `example=False`) and `services`.

    `api_keys` are accepted on the control plane and start out as every deployment's inference
    keys; `create_delay` is how long each deployment stays CREATING before it is ACTIVE;
    `root_function` (default: the first hosted) is also served at the root, /{route}.
    """
    choose_profile("covalent", profile, PROFILES)
    switched = switch_on("covalent", faults, FAULTS)
    keys = tuple(api_keys)
    if not keys or not all(isinstance(k, str) and k and k.isascii() and k.isprintable() for k in keys):
        raise StubConfigError("api keys must be one or more non-empty printable ASCII strings")
    if not 0 <= create_delay <= MAX_CREATE_DELAY:
        raise StubConfigError(f"create delay {create_delay}: must be from 0 to {MAX_CREATE_DELAY} seconds")
    hosted = [example_service(), *services] if example else list(services)
    registry = Registry(keys)
    for svc in hosted:
        registry.deploy(svc, create_delay=create_delay)
    if example:
        registry.alias(SEED_INVOKE_ALIAS, hosted[0].id)
    templates = {name: svc for svc in hosted for name in (svc.title, svc.id)}
    root = root_function if root_function is not None else (hosted[0].id if hosted else None)
    if root is not None and registry.get(root) is None:
        raise StubConfigError(f"root function {root!r} is not a hosted function")
    rt = Runtime(registry, templates, switched, create_delay, root)

    control: list[BaseRoute] = [
        _route(rt, CP + "/functions", {"GET": _list_functions}),
        _route(rt, CP + "/functions/{function_id}", {"GET": _get_function}),
        _route(rt, CP + "/functions/{function_id}/teardown", {"PUT": _teardown}),
        _route(rt, CP + "/functions/{function_id}/inference-keys", {"GET": _list_keys, "POST": _create_key}),
        _route(rt, CP + "/functions/{function_id}/inference-keys/{key_id}", {"DELETE": _delete_key}),
        _route(rt, "/_stub/info", {"GET": _stub_info}),
        _route(rt, "/_stub/deployments", {"POST": _stub_deploy}),
    ]

    async def unknown_control_path(request: Request) -> Response:
        # The data plane's /{id}/{route} would otherwise claim these paths.
        for route in control:
            match, _ = route.matches(request.scope)
            if match is Match.PARTIAL:
                allow = ", ".join(sorted(getattr(route, "methods", ())))
                raise Refusal(405, f"method {request.method} not allowed here", {"allow": allow})
        raise Refusal(404, f"no control-plane path {request.url.path}")

    async def data_plane(request: Request) -> Response:
        segment = request.path_params.get("function_id", rt.root_function)
        if segment is None:
            raise Refusal(404, "no function is served at the root; call /{function_id}/{route}")
        return await _invoke(rt, request, segment, "/" + request.path_params["route"])

    routes = [
        *control,
        Route("/fn/{rest:path}", unknown_control_path, methods=ALL_METHODS),
        Route("/_stub/{rest:path}", unknown_control_path, methods=ALL_METHODS),
        Route("/{route}", data_plane, methods=ALL_METHODS),
        Route("/{function_id}/{route:path}", data_plane, methods=ALL_METHODS),
    ]

    # /{id} is no endpoint: a redirect to /{id}/ would not make it one.
    app = stub_app(
        routes,
        Errors(error=wire.refused),
        max_body=64 * max_body if "no-body-limit" in switched else max_body,
        redirect_slashes=False,
        text_errors="text-errors" in switched,
    )
    app.state.runtime = rt
    return app


def _route(rt: Runtime, path: str, handlers: dict[str, Handler]) -> Route:
    async def endpoint(request: Request) -> Response:
        return await handlers[request.method](rt, request)

    return Route(path, endpoint, methods=list(handlers))


# -- data plane ---------------------------------------------------------------------------------


async def _invoke(rt: Runtime, request: Request, segment: str, route: str) -> Response:
    deployment = rt.registry.invoked(segment)
    if deployment is None:
        raise Refusal(404, f"no function service {segment!r}")
    _authorize(rt, request, deployment)
    _require_serving(rt, deployment)
    endpoint = deployment.service.find(route)
    if endpoint is None or ("dashed-route-missing" in rt.faults and "-" in route):
        routes = ", ".join(e.route for e in deployment.service.endpoints) or "none"
        raise Refusal(404, f"no endpoint {route} in {deployment.service.title}; its routes: {routes}")
    if request.method != endpoint.method:
        allow = ", ".join(ALL_METHODS) if "allow-header-wrong" in rt.faults else endpoint.method
        raise Refusal(405, f"{route} takes {endpoint.method}", {"allow": allow})
    arguments = await _arguments(rt, request, deployment, endpoint)
    if isinstance(arguments, Response):
        return arguments
    if endpoint.streaming:
        return await _stream(rt, endpoint, arguments)
    return await _call(rt, endpoint, arguments)


def _authorize(rt: Runtime, request: Request, deployment: Deployment) -> None:
    if not deployment.service.auth or "auth-ignored" in rt.faults:
        return
    key = request.headers.get("x-api-key")
    if "bearer-auth-only" in rt.faults:
        key = request.headers.get("authorization", "").removeprefix("Bearer ").strip() or None
    if not key:
        raise Refusal(401, "missing x-api-key header: this function service requires an API key")
    if not deployment.accepts(key) and "wrong-key-accepted" not in rt.faults:
        raise Refusal(401, "invalid API key for this function service")


def _require_serving(rt: Runtime, deployment: Deployment) -> None:
    status = rt.status(deployment)
    if status == INACTIVE and "teardown-ignored" not in rt.faults:
        raise Refusal(410, f"function service {deployment.id} was torn down (INACTIVE)")
    if status in (NEW_OBJECT, CREATING) and "serves-while-creating" not in rt.faults:
        detail = f"function service {deployment.id} is {status}; retry when it is ACTIVE"
        raise Refusal(503, detail, {"retry-after": "1"})
    if status == ERROR:
        raise Refusal(503, f"function service {deployment.id} failed to start: {deployment.error}")


async def _arguments(
    rt: Runtime, request: Request, deployment: Deployment, endpoint: Endpoint
) -> dict[str, Any] | Response:
    body = await read_body(request)
    if "content-type-required" in rt.faults and body and "json" not in request.headers.get("content-type", ""):
        raise Refusal(415, "Content-Type must be application/json")
    try:
        supplied = wire.parse_arguments(body)
    except Refusal as refusal:
        if refusal.status == 400 and "malformed-json-500" in rt.faults:
            return Response(_TRACEBACK + b"json.decoder.JSONDecodeError: Expecting value\n", 500)
        raise
    try:
        arguments = bind(
            endpoint.route,
            endpoint.signature,
            deployment.defaults,
            supplied,
            check_types="mistyped-argument-accepted" not in rt.faults,
        )
        if "override-ignored" in rt.faults:
            arguments = bind(endpoint.route, endpoint.signature, deployment.defaults, {})
    except UnknownArgument as exc:
        if "unknown-argument-500" in rt.faults:
            return Response(_TRACEBACK + f"TypeError: {exc}\n".encode(), 500)
        raise Refusal(422, str(exc)) from None
    except ArgumentError as exc:
        raise Refusal(422, str(exc)) from None
    return arguments


async def _call(rt: Runtime, endpoint: Endpoint, arguments: dict[str, Any]) -> Response:
    func = endpoint.func
    try:
        if inspect.iscoroutinefunction(func):
            result = await func(**arguments)
        else:
            result = await run_in_threadpool(func, **arguments)
    except Exception as exc:  # the service's own code failed
        return wire.error(500, f"{endpoint.route} raised {type(exc).__name__}: {exc}")
    try:
        body = wire.dumps(result)
    except (TypeError, ValueError):
        return wire.error(500, f"{endpoint.route} returned a value that is not JSON ({type(result).__name__})")
    media = "text/plain; charset=utf-8" if "wrong-content-type" in rt.faults else wire.JSON
    return Response(body, 200, media_type=media)


async def _stream(rt: Runtime, endpoint: Endpoint, arguments: dict[str, Any]) -> Response:
    func = endpoint.func
    try:
        if inspect.isasyncgenfunction(func):
            produced: Any = func(**arguments)
        elif inspect.iscoroutinefunction(func):
            produced = await func(**arguments)
        else:
            produced = await run_in_threadpool(func, **arguments)
        chunks = _faulty(rt, _chunks(produced))
        # The first chunk is read before the answer starts, so that a failure up to there is a
        # proper 500 rather than a broken stream.
        first = await anext(chunks, None)
    except Exception as exc:
        return wire.error(500, f"{endpoint.route} raised {type(exc).__name__}: {exc}")
    return StreamingResponse(_prepend(first, chunks), media_type=STREAM_MEDIA)


async def _chunks(produced: Any) -> AsyncIterator[bytes]:
    """Whatever a streaming endpoint returned, as byte chunks: each yielded item is one chunk."""
    if isinstance(produced, str | bytes) or not isinstance(produced, Iterable | AsyncIterable):
        yield _as_bytes(produced)
        return
    if isinstance(produced, AsyncIterable):
        async for item in produced:
            yield _as_bytes(item)
        return
    async for item in iterate_in_threadpool(iter(produced)):
        yield _as_bytes(item)


def _as_bytes(item: Any) -> bytes:
    if isinstance(item, bytes):
        return item
    return item.encode() if isinstance(item, str) else str(item).encode()


async def _faulty(rt: Runtime, chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    faults = rt.faults
    held: list[bytes] = []
    async for chunk in chunks:
        if "no-done-line" in faults and chunk == b"Done streaming\n":
            continue
        if "wrong-item-join" in faults and chunk.startswith(b"Items: "):
            chunk = b"Items: " + chunk[7:].rstrip(b"\n").replace(b" ", b", ") + b"\n"
        if "stream-one-chunk" in faults:
            held.append(chunk)
            continue
        yield chunk
    if held:
        yield b"".join(held)
    while "endless-stream" in faults:
        await asyncio.sleep(ENDLESS_PAUSE)
        yield b"still streaming\n"


async def _prepend(first: bytes | None, rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    if first is not None:
        yield first
    async for chunk in rest:
        yield chunk


# -- control plane ------------------------------------------------------------------------------


def _account(rt: Runtime, request: Request) -> None:
    key = request.headers.get("x-api-key")
    if not key:
        raise Refusal(401, "missing x-api-key header: the control plane requires a Covalent Cloud API key")
    if not rt.registry.account_key_ok(key):
        raise Refusal(401, "invalid Covalent Cloud API key")


def _deployment(rt: Runtime, request: Request) -> Deployment:
    _account(rt, request)
    function_id = request.path_params["function_id"]
    found = rt.registry.get(function_id)
    if found is None:
        raise Refusal(404, f"function {function_id!r} not found")
    return found


_SORTS = {
    "created_at": lambda d: d.created_at,
    "updated_at": lambda d: d.updated_at,
    "title": lambda d: d.service.title.lower(),
    "status": lambda d: d.status,
}


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise Refusal(422, f"query parameter {name} must be an integer from {low} to {high}")
    return int(raw)


async def _list_functions(rt: Runtime, request: Request) -> Response:
    _account(rt, request)
    q = request.query_params
    count = _int_param(request, "count", 10, 1, 1000)
    page = _int_param(request, "page", 0, 0, 1_000_000)
    direction = q.get("direction", "DESC").upper()
    if direction not in ("ASC", "DESC"):
        raise Refusal(422, "query parameter direction must be ASC or DESC")
    sort = q.get("sort", "created_at")
    if sort not in _SORTS:
        raise Refusal(422, f"query parameter sort must be one of {', '.join(_SORTS)}")
    status = q.get("status")
    if status is not None and status not in STATUSES:
        raise Refusal(422, f"query parameter status must be one of {', '.join(STATUSES)}")
    search = (q.get("search") or "").lower()
    found = [
        d
        for d in rt.registry.deployments.values()
        if (status is None or rt.status(d) == status)
        and (not search or search in d.service.title.lower() or search in d.service.description.lower())
    ]
    found.sort(key=_SORTS[sort], reverse=direction == "DESC")
    shown = found[page * count : (page + 1) * count]
    return wire.answer(
        {
            "records": [d.summary(rt.status(d)) for d in shown],
            "metadata": {"total_count": len(found), "page": page, "count": len(shown)},
        }
    )


async def _get_function(rt: Runtime, request: Request) -> Response:
    return wire.answer(rt.record(request, _deployment(rt, request)))


async def _teardown(rt: Runtime, request: Request) -> Response:
    deployment = _deployment(rt, request)
    deployment.teardown()
    return wire.answer(rt.record(request, deployment))


async def _list_keys(rt: Runtime, request: Request) -> Response:
    deployment = _deployment(rt, request)
    return wire.answer([{"id": k.id, "created_at": k.created_at, "last_used": k.last_used} for k in deployment.keys])


async def _create_key(rt: Runtime, request: Request) -> Response:
    deployment = _deployment(rt, request)
    await read_body(request)  # nothing is expected; only bounded
    if deployment.torn_down:
        raise Refusal(409, f"function {deployment.id} was torn down")
    key = deployment.add_key(MAX_KEYS)
    return wire.answer({"id": key.id, "key": key.key, "created_at": key.created_at}, 201)


async def _delete_key(rt: Runtime, request: Request) -> Response:
    deployment = _deployment(rt, request)
    key_id = request.path_params["key_id"]
    if not deployment.remove_key(key_id):
        raise Refusal(404, f"function {deployment.id} has no inference key {key_id!r}")
    return Response(status_code=204)


async def _stub_info(rt: Runtime, request: Request) -> Response:
    """What this server is, so that a harness knows it may check stub-only lifecycle semantics."""
    base = str(request.base_url).rstrip("/")
    return wire.answer(
        {
            "implementation": "aicontract covalent reference stub",
            "root_function": rt.root_function,
            "functions": sorted(rt.registry.deployments),
            "deploy": f"{base}/_stub/deployments",
        }
    )


async def _stub_deploy(rt: Runtime, request: Request) -> Response:
    """Deploy one of the hosted services again under a new id (stub only: for lifecycle checks).

    Body: {"service": title or id (default: the first hosted), "create_delay": seconds,
    "arguments": keyword arguments of the initializer}.
    """
    _account(rt, request)
    doc = wire.parse_arguments(await read_body(request))
    name = doc.get("service", next(iter(rt.templates), None))
    svc = rt.templates.get(name) if isinstance(name, str) else None
    if svc is None:
        raise Refusal(404, f"no hosted service {name!r}; hosted: {', '.join(sorted(rt.templates))}")
    delay = doc.get("create_delay", rt.create_delay)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= MAX_CREATE_DELAY:
        raise Refusal(422, f"create_delay must be a number of seconds from 0 to {MAX_CREATE_DELAY:g}")
    init = doc.get("arguments", {})
    if not isinstance(init, dict):
        raise Refusal(422, "arguments must be an object of the initializer's keyword arguments")
    extra = set(doc) - {"service", "create_delay", "arguments"}
    if extra:
        raise Refusal(422, f"unknown field(s): {', '.join(sorted(extra))}")
    try:
        init = bind("the initializer", Signature.of(svc.initializer), {}, init)
    except ArgumentError as exc:
        raise Refusal(422, str(exc)) from None
    if not rt.registry.make_room(MAX_DEPLOYMENTS):
        raise Refusal(409, f"the stub hosts {MAX_DEPLOYMENTS} deployments, the most it keeps")
    deployment = rt.registry.deploy(svc, create_delay=float(delay), function_id=rt.registry.new_id(), **init)
    return wire.answer(rt.record(request, deployment), 201)
