"""The reference stub of the agentUniverse Web API: four routes over services, agents and tasks."""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from collections.abc import AsyncIterator, Collection, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from ..app import Errors, stub_app
from ..body import MAX_BODY, read_body
from ..config import StubConfigError, choose_profile, positive, switch_on
from ..refusal import Refusal
from ..workers import THREADS, Workers
from . import tasks, wire
from .agents import AgentError, InputError
from .faults import FAULTS
from .intake import RunRequest, parse_run
from .services import Service, default_services, load_services
from .wire import DOCUMENTED, PROFILES, UPSTREAM

MAX_RUNNING = 1000  # stream and async runs under way at once; beyond, 429 until some end


@dataclass
class Runtime:
    profile: str
    faults: frozenset[str]
    services: dict[str, Service]
    store: tasks.TaskStore
    sync_timeout: float
    # Background runs, held so the event loop does not drop them half-way.
    running: set[asyncio.Task[None]] = field(default_factory=set)
    polls: dict[str, int] = field(default_factory=dict)

    def make_room(self) -> None:
        if len(self.running) >= MAX_RUNNING:
            message = f"{MAX_RUNNING} runs are under way, the most the stub takes: retry later"
            raise Refusal(429, message, {"retry-after": "1"})

    def spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    def new_id(self) -> str:
        if "repeated-request-id" in self.faults:
            return "0123456789abcdef0123456789abcdef"
        if "bad-request-id" in self.faults:
            return str(uuid.uuid4()).upper()
        return secrets.token_hex(16)

    def stores(self, run: RunRequest, default: bool) -> bool:
        """Whether a run is kept for /service_run_result: always as documented, `saved` upstream."""
        if self.profile == DOCUMENTED or "saved-ignored" in self.faults:
            return True
        return default if run.saved is None else run.saved

    def service(self, run: RunRequest) -> Service | None:
        found = self.services.get(run.service_id)
        if found is None and "unknown-service-accepted" in self.faults:
            return self.services.get("demo_service")
        return found


def create_app(
    profile: str = DOCUMENTED,
    faults: Collection[str] = (),
    *,
    services: Collection[Path] = (),
    db: str = ":memory:",
    sync_timeout: float = 30.0,
    max_body: int = MAX_BODY,
    max_tasks: int | None = None,
    agent_threads: int = THREADS,
) -> FastAPI:
    """Build the stub. `services` adds agentUniverse-style service/agent yaml files or folders;
    `db` is the SQLite file for task records (in memory by default); `max_tasks` caps how many
    are kept (default: 100,000 in memory, all in a file); custom agents' blocking `execute()`
    runs on at most `agent_threads` threads. A bad setting is a StubConfigError."""
    in_memory = db == ":memory:"
    if max_tasks is None and in_memory:
        max_tasks = tasks.MAX_TASKS
    choose_profile("agentuniverse", profile, PROFILES)
    switched = switch_on("agentuniverse", faults, FAULTS)
    positive("sync timeout", sync_timeout)
    if max_tasks is not None and max_tasks < 1:
        raise StubConfigError(f"max tasks {max_tasks}: must be at least 1")
    if agent_threads < 1:
        raise StubConfigError(f"agent threads {agent_threads}: must be at least 1")
    workers = Workers(agent_threads)
    rt = Runtime(
        profile=profile,
        faults=switched,
        services=load_services(services, workers) if services else default_services(),
        store=tasks.TaskStore(db, max_tasks, tasks.MAX_TASK_BYTES if in_memory else None),
        sync_timeout=sync_timeout,
    )
    routes: list[BaseRoute] = [
        Route("/service_run", _endpoint(rt, _service_run), methods=["POST"]),
        Route("/service_run_stream", _endpoint(rt, _service_run_stream), methods=["POST"]),
        Route("/service_run_async", _endpoint(rt, _service_run_async), methods=["POST"]),
        Route("/service_run_result", _endpoint(rt, _service_run_result), methods=["GET"]),
    ]
    if profile == UPSTREAM:
        # agentUniverse's own probes, undocumented by the seed (the overlay documents them).
        routes += [
            Route("/liveness", _endpoint(rt, _liveness), methods=["GET"]),
            Route("/echo", _endpoint(rt, _echo), methods=["GET"]),
        ]
    gets = {"/service_run_result", "/liveness", "/echo"}

    def method_not_allowed(request: Request, _router_allow: str) -> Response:
        allow = "GET, HEAD, OPTIONS" if request.url.path in gets else "POST, OPTIONS"
        if "allow-header-wrong" in rt.faults:
            allow = "GET, POST, PUT, DELETE, PATCH"
        if request.method == "OPTIONS" and profile == UPSTREAM:
            return wire.options_page(allow)  # Flask answers OPTIONS itself
        return wire.method_not_allowed_page(profile, allow)

    errors = Errors(
        error=lambda refusal: wire.failure(profile, refusal.status, refusal.message, refusal.headers),
        not_found=lambda request: wire.not_found_page(profile),
        method_not_allowed=method_not_allowed,
    )
    app = stub_app(
        routes,
        errors,
        max_body=64 * max_body if "no-body-limit" in rt.faults else max_body,
        text_errors="text-errors" in rt.faults,
    )
    app.state.runtime = rt
    return app


def _endpoint(rt: Runtime, handler: Any) -> Any:
    async def endpoint(request: Request) -> Response:
        return await handler(rt, request)  # type: ignore[no-any-return]

    return endpoint


async def _read_run(rt: Runtime, request: Request, *, sync: bool = False) -> RunRequest | Response:
    body = await read_body(request)
    try:
        return parse_run(rt.profile, request.headers.get("content-type"), body, sync=sync)
    except Refusal as refusal:
        if "service_id" in refusal.message and "missing-service-id-accepted" in rt.faults:
            return RunRequest("demo_service", dict(json.loads(body).get("params") or {}), None)
        if refusal.status == 400 and "error-on-malformed-body" in rt.faults:
            return Response(b"Traceback (most recent call last):\n  ...\nJSONDecodeError", 500)
        if "nested deeper" in refusal.message and "deep-nesting-crash" in rt.faults:
            return Response(b'{"detail": "RecursionError"}', 500, media_type="application/json")
        if "lone surrogate" in refusal.message and "surrogate-crash" in rt.faults:
            return Response(b'{"detail": "UnicodeEncodeError"}', 500, media_type="application/json")
        raise


def _not_found(run: RunRequest) -> Refusal:
    return Refusal(404, f"Service {run.service_id} not found.")


async def _service_run(rt: Runtime, request: Request) -> Response:
    run = await _read_run(rt, request, sync=True)
    if isinstance(run, Response):
        return run
    if "hang" in rt.faults:
        await asyncio.Event().wait()
    service = rt.service(run)
    if service is None:
        raise _not_found(run)
    request_id = rt.new_id()
    saved = rt.stores(run, default=False) and "sync-run-not-stored" not in rt.faults
    if saved:
        rt.store.create(request_id, service.name, run.params, tasks.RUNNING)
    try:
        output = await asyncio.wait_for(_execute(service, run.params, _ignore), rt.sync_timeout)
    except TimeoutError:
        if saved:
            rt.store.update(request_id, tasks.FAIL, {"error_msg": "AU sync service timeout"})
        return wire.failure(rt.profile, 504, "AU sync service timeout")
    except AgentError as exc:
        if saved:
            rt.store.update(request_id, tasks.FAIL, {"error_msg": str(exc)})
        if isinstance(exc, InputError):
            # agentUniverse answers 500 here; a reference stub says it is the caller's mistake.
            raise Refusal(422, str(exc)) from None
        if rt.profile == UPSTREAM:
            return wire.failure(rt.profile, 500, "Internal Server Error")
        return wire.envelope(rt.profile, success=False, message=str(exc), request_id=request_id)
    result = wire.service_result(rt.profile, output)
    if "wrong-result" in rt.faults and isinstance(result, str):
        result = result.replace("Your input is", "Your input was")
    if saved:
        rt.store.update(request_id, tasks.FINISHED, {"output": result})
    response = wire.envelope(rt.profile, success=True, result=result, request_id=request_id)
    return _sync_faults(rt, response, result, request_id)


def _sync_faults(rt: Runtime, response: Response, result: Any, request_id: str) -> Response:
    if "wrong-status" in rt.faults:
        response.status_code = 202
    if "missing-field" in rt.faults or "mistyped-field" in rt.faults:
        doc: dict[str, Any] = {"success": True, "result": result, "message": None, "request_id": request_id}
        if "missing-field" in rt.faults:
            del doc["message"]
        if "mistyped-field" in rt.faults:
            doc["success"] = "true"
        return Response(json.dumps(doc).encode(), response.status_code, media_type="application/json")
    return response


async def _ignore(item: Any) -> None:
    return None


async def _execute(service: Service, params: dict[str, Any], emit: Any) -> dict[str, Any]:
    return await service.agent.run(params, emit)


async def _accept(rt: Runtime, request: Request) -> tuple[RunRequest, Service | None] | Response:
    """Read a stream or async run. Upstream reports an unknown service later, not here."""
    run = await _read_run(rt, request)
    if isinstance(run, Response):
        return run
    service = rt.service(run)
    if service is None and rt.profile == DOCUMENTED:
        raise _not_found(run)
    rt.make_room()
    return run, service


async def _service_run_stream(rt: Runtime, request: Request) -> Response:
    accepted = await _accept(rt, request)
    if isinstance(accepted, Response):
        return accepted
    run, service = accepted
    request_id = rt.new_id()
    saved = rt.stores(run, default=False)
    stored_id = rt.new_id() if "mismatched-request-id-header" in rt.faults else request_id
    if saved:
        rt.store.create(stored_id, run.service_id, run.params, tasks.RUNNING)
    headers = wire.stream_headers(rt.profile, request_id)
    if "missing-request-id-header" in rt.faults:
        del headers["x-request-id"]
    media = "text/plain" if "stream-wrong-content-type" in rt.faults else "text/event-stream"
    frames = _frames(rt, service, run, stored_id if saved else None)
    return StreamingResponse(frames, headers=headers, media_type=media)


async def _frames(rt: Runtime, service: Service | None, run: RunRequest, stored_id: str | None) -> AsyncIterator[bytes]:
    profile = rt.profile
    if service is None:
        error = {"error_msg": f"Service {run.service_id} not found."}
        if stored_id:
            rt.store.update(stored_id, tasks.FAIL, error)
        yield wire.sse_frame(profile, {"error": error}, last=True)
        return
    queue: asyncio.Queue[Any] = asyncio.Queue()
    steps: list[Any] = []

    async def emit(item: Any) -> None:
        steps.append(item)
        await queue.put(("process", item))

    async def work() -> None:
        try:
            output = await _execute(service, run.params, emit)
            await queue.put(("result", wire.service_result(profile, output)))
        except AgentError as exc:
            await queue.put(("error", {"error_msg": str(exc)}))

    rt.spawn(work())
    while True:
        kind, value = await queue.get()
        if kind == "process":
            yield wire.sse_frame(profile, {"process": value})
            continue
        if stored_id:
            state = tasks.FINISHED if kind == "result" else tasks.FAIL
            rt.store.update(stored_id, state, {"output": value} if kind == "result" else value, steps)
        if kind == "result" and "stream-result-differs" in rt.faults:
            value = f"{value} (streamed)"
        if "malformed-event" in rt.faults:
            yield b"data: {not json\n\n"
        if "endless-stream" in rt.faults:
            while True:
                yield wire.sse_frame(profile, {"process": "still thinking"})
                await asyncio.sleep(0.05)
        if "no-final-event" not in rt.faults:
            yield wire.sse_frame(profile, {kind: value}, last=True)
        return


async def _service_run_async(rt: Runtime, request: Request) -> Response:
    accepted = await _accept(rt, request)
    if isinstance(accepted, Response):
        return accepted
    run, service = accepted
    request_id = rt.new_id()
    saved = rt.stores(run, default=True)
    if saved:
        rt.store.create(request_id, run.service_id, run.params)
    rt.spawn(_run_task(rt, service, run, request_id if saved else None))
    if "blocking-async" in rt.faults:
        await asyncio.sleep(2.0)
    return wire.envelope(rt.profile, success=True, request_id=request_id)


async def _run_task(rt: Runtime, service: Service | None, run: RunRequest, request_id: str | None) -> None:
    def record(state: str, outcome: Any = None, steps: list[Any] | None = None) -> None:
        if request_id is not None:
            rt.store.update(request_id, state, outcome, steps)

    # Yield once so that the caller's answer goes out while the task is still `init`.
    await asyncio.sleep(0)
    if service is None:
        record(tasks.FAIL, {"error_msg": f"Service {run.service_id} not found."})
        return
    steps: list[Any] = []

    async def emit(item: Any) -> None:
        steps.append(item)
        record(tasks.RUNNING, None, steps)

    record(tasks.RUNNING)
    if "stuck-task" in rt.faults:
        return
    try:
        output = await _execute(service, run.params, emit)
    except AgentError as exc:
        record(tasks.FAIL, {"error_msg": str(exc)}, steps)
        return
    result = wire.service_result(rt.profile, output)
    if "async-result-differs" in rt.faults and isinstance(result, str):
        result = result.upper()
    record(tasks.FINISHED, {"output": result}, steps)


async def _liveness(rt: Runtime, request: Request) -> Response:
    return wire.envelope(rt.profile, success=True, result="liveness health check pass!")


async def _echo(rt: Runtime, request: Request) -> Response:
    return wire.echo_page()


async def _service_run_result(rt: Runtime, request: Request) -> Response:
    profile = rt.profile
    request_id = request.query_params.get("request_id")
    if request_id is None:
        raise Refusal(422, "the query parameter request_id is required")
    task = rt.store.get(request_id)
    if task is None:
        if "unknown-request-id-crash" in rt.faults:
            return Response(b"Internal Server Error", 500, media_type="text/plain")
        message = f"no run {request_id}" if "reworded-errors" in rt.faults else f"request {request_id} not found"
        return wire.failure(profile, 200 if profile == UPSTREAM else 404, message)
    state = task.state
    if "state-goes-backwards" in rt.faults and state == tasks.FINISHED:
        rt.polls[request_id] = rt.polls.get(request_id, 0) + 1
        if rt.polls[request_id] % 2 == 0:
            state = tasks.RUNNING
    outcome: Any = None
    if task.result is not None and state in tasks.TERMINAL:
        outcome = task.result.get("output", task.result)
    record = wire.task_record(profile, state, outcome, task.steps)
    return wire.envelope(profile, success=True, result=record, request_id=task.request_id)
