"""The reference stub of an HTTP service behind snet-daemon (`aicontract serve snet [--proto FILE]`).

    POST /{rpc}          each rpc of the protos, named as the proto names it (case kept)
    GET  /heartbeat      200 and a JSON body: what `service_heartbeat_type: http` wants
    GET  /_stub/info     what this is, its rpcs and the credentials it requires

Every rpc requires the configured service_credentials (by default the seed's: the body field
example_body_param = 12345 and the header X-API-Key) and tolerates all the daemon adds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aicontract.contracts.snetd.credentials import Credential, parse
from aicontract.contracts.snetd.protos import ProtoError, compile_protos

from ..app import Errors, stub_app
from ..body import MAX_BODY, read_body
from ..config import StubConfigError, choose_profile, switch_on
from ..refusal import Refusal
from .faults import FAULTS
from .service import Service, build
from .wire import answer, error

DOCUMENTED = "documented"
PROFILES = (DOCUMENTED,)
EXAMPLE_PROTO = Path(str(resources.files("aicontract.openapi").joinpath("snet-example.proto")))
# The seed's service_credentials example: a body field and a header.
SEED_CREDENTIALS = (
    {"key": "example_body_param", "value": 12345, "location": "body"},
    {"key": "X-API-Key", "value": "546bd7d4-d3e1-46ba-b752-bc45e4dc5b39", "location": "header"},
)
DEFAULT_CREDENTIALS: tuple[Credential, ...] = parse(list(SEED_CREDENTIALS))
HEARTBEAT = "/heartbeat"
HANG_SECONDS = 30.0  # the `hangs` fault holds a request this long (bounded, like every wait)
RPC_METHOD = "POST"


def create_app(
    profile: str = DOCUMENTED,
    faults: Collection[str] = (),
    *,
    protos: Sequence[str | Path] = (),
    includes: Sequence[str | Path] = (),
    credentials: Sequence[Credential] | None = None,
    heartbeat: str = HEARTBEAT,
    max_body: int = MAX_BODY,
) -> FastAPI:
    """Serve the rpcs of `protos` (default: the seed's example), requiring `credentials`
    (default: the seed's). Raises StubConfigError (one line) for bad settings."""
    choose_profile("snet", profile, PROFILES)
    switched = switch_on("snet", faults, FAULTS)
    if not heartbeat.startswith("/"):
        raise StubConfigError(f"heartbeat path {heartbeat!r}: must start with /")
    try:
        catalog = compile_protos(list(protos) or [EXAMPLE_PROTO], includes)
    except ProtoError as exc:
        raise StubConfigError(str(exc)) from None
    service = build(catalog, DEFAULT_CREDENTIALS if credentials is None else credentials, switched)
    rpc_method = "PUT" if "route-wrong-method" in service.faults else RPC_METHOD

    async def dispatch(request: Request) -> Response:
        return await _dispatch(service, request, rpc_method, heartbeat)

    # One catch-all route: the rpcs are named by the protos, and the daemon joins paths itself
    # (no slash redirects: Go's client would turn a redirected POST into a GET).
    every = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app = stub_app(
        [Route("/{path:path}", dispatch, methods=every)], Errors(error=error), max_body=max_body, redirect_slashes=False
    )
    app.state.service = service
    return app


async def _dispatch(service: Service, request: Request, rpc_method: str, heartbeat: str) -> Response:
    path = request.url.path
    if path == heartbeat:
        if request.method not in ("GET", "HEAD"):
            raise Refusal(405, f"{heartbeat} takes GET", {"allow": "GET, HEAD"})
        if "heartbeat-empty" in service.faults:
            return Response(b"", 200)
        return answer({"status": "SERVING"})
    if path == "/_stub/info":
        return answer(_info(service))
    method = service.route(path[1:]) if path.count("/") == 1 else None
    if method is None:
        served = ", ".join(f"/{m.name}" for m in service.catalog.served())
        raise Refusal(404, f"no rpc at {path}; this service's rpcs: {served}")
    if request.method != rpc_method:
        raise Refusal(405, f"{path} takes {rpc_method}", {"allow": rpc_method})
    service.authorize(request.headers, [k.decode("latin-1") for k, _ in request.scope["headers"]], _query(request))
    raw = await read_body(request)  # capped by stub_app's max_body
    if "hangs" in service.faults:
        await _hang(request)
    found = service.call(method, raw)
    return Response(found.body, found.status, media_type=found.media_type)


async def _hang(request: Request) -> None:
    """Hold the request until its caller gives up (or HANG_SECONDS pass), so a shutdown has nothing to cancel."""
    deadline = asyncio.get_running_loop().time() + HANG_SECONDS
    while asyncio.get_running_loop().time() < deadline and not await request.is_disconnected():
        await asyncio.sleep(0.05)


def _query(request: Request) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        found.setdefault(key, []).append(value)
    return found


def _info(service: Service) -> dict[str, object]:
    return {
        "implementation": "aicontract snet reference stub",
        "rpcs": [
            {"name": m.name, "service": m.service, "input": m.input.full_name, "output": m.output.full_name}
            for m in service.catalog.served()
        ],
        "credentials": [{"key": c.key, "location": c.location} for c in service.credentials],
        "faults": sorted(service.faults),
    }
